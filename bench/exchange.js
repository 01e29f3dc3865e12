// @ts-check
'use strict';
/**
 * The `exchange` configuration (bench/measure.js): one send call of N add actions taken apart,
 * each part timed side by side in one process, so that a shared machine moves them alike.
 * Every round sends the same actions (the server re-adds the same URLs, so it keeps N items):
 *
 *   serialise       JSON.stringify of the body, as n8n's request helper does it
 *   plain POST      node:http, the body as text, the answer collected as bytes (the floor's exchange)
 *   n8n helper      n8n's own request helper (@n8n/backend-network httpRequest, the one behind
 *                   httpRequestWithAuthentication) with the node's options, the answer stream
 *                   collected as bytes: what n8n costs over the plain POST
 *   node exchange   the same helper through the node's requester (transport/request.ts): the
 *                   answer read within its deadline and size cap, the depth check and secret
 *                   cleaning included: what the node costs over n8n's helper
 *   depth check, secret cleaning, parse, read answer: the node's steps on the answer text alone
 *
 * The median of the rounds is reported; the first round (cold code) is left out.
 */
const http = require('node:http');
const path = require('node:path');
const { now } = require('./meters');
const { makeActions } = require('./workloads');

/**
 * @typedef {import('./measure').MeasureRequest} MeasureRequest
 * @typedef {Record<string, number>} Parts milliseconds per part
 */

const ROUNDS = 7;

/**
 * @param {string} url
 * @param {string} bodyText
 * @returns {Promise<string>}
 */
function plainPost(url, bodyText) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(bodyText) } }, (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
			res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(bodyText);
	});
}

/**
 * @param {AsyncIterable<Buffer>} stream
 * @returns {Promise<string>}
 */
async function collect(stream) {
	/** @type {Buffer[]} */
	const chunks = [];
	for await (const chunk of stream) chunks.push(chunk);
	return Buffer.concat(chunks).toString('utf8');
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * @param {MeasureRequest} msg
 * @returns {Promise<{ parts: Parts, answerBytes: number, requestBytes: number }>}
 */
async function measureExchange(msg) {
	/** @type {(file: string) => any} */
	const ours = (file) => require(path.join(msg.packageDir, 'dist', 'nodes', 'Pocket', 'transport', file));
	const { requester } = ours('request.js');
	const { nestsDeeperThan } = ours('response.js');
	const { redactBody, secretsOf } = ours('secrets.js');
	const { readSendAnswer, sendEndpoint } = ours('send.js');
	/** @type {{ httpRequest: (options: object) => Promise<{ statusCode: number, headers: Record<string, unknown>, body: unknown }> }} */
	const n8nHttp = require(path.join(msg.n8nModules, '@n8n', 'backend-network', 'dist', 'http', 'axios', 'request.js'));

	const actions = makeActions(msg.n).map((a) => ({ action: 'add', ...a }));
	const body = { actions, consumer_key: msg.consumerKey, access_token: msg.accessToken };
	const secrets = secretsOf([msg.consumerKey, msg.accessToken]);
	const endpoint = sendEndpoint(msg.sendUrl, 'the Access Token and the Consumer Key');
	// The node's options (transport/request.ts httpOptions), with the keys already in the body.
	const options = () => ({
		method: 'POST',
		url: msg.sendUrl,
		headers: { 'Content-Type': 'application/json' },
		body,
		json: true,
		timeout: 60_000,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		encoding: 'stream',
	});
	const nodeRequest = requester(async (/** @type {object} */ o) => await n8nHttp.httpRequest(o), secrets);

	/** @type {Record<string, number[]>} */
	const times = {};
	/**
	 * @template T
	 * @param {string} part
	 * @param {() => Promise<T> | T} run
	 * @returns {Promise<T>}
	 */
	const timed = async (part, run) => {
		const t = now();
		const value = await run();
		(times[part] ??= []).push(now() - t);
		return value;
	};
	let answer = '';
	let requestBytes = 0;
	for (let round = 0; round <= ROUNDS; round++) {
		if (round === 1) for (const part of Object.keys(times)) times[part] = [];
		const text = await timed('serialise', () => JSON.stringify(body));
		requestBytes = Buffer.byteLength(text);
		answer = await timed('plain POST', () => plainPost(msg.sendUrl, text));
		await timed('n8n helper', async () => collect(/** @type {AsyncIterable<Buffer>} */ ((await n8nHttp.httpRequest(options())).body)));
		await timed('node exchange', () => nodeRequest({ url: msg.sendUrl, body, timeoutMs: 60_000, maxAnswerBytes: 1024 * 1024 + msg.n * 32 * 1024 }));
		await timed('depth check', () => nestsDeeperThan(answer, 64));
		await timed('secret cleaning', () => redactBody(answer, secrets));
		await timed('parse', () => JSON.parse(answer));
		const read = await timed('read answer', () => readSendAnswer({ statusCode: 200, headers: {}, body: answer }, endpoint, msg.n));
		if (!read.ok) throw new Error(`exchange: the answer was not read: ${read.failure.message}`);
	}
	/** @type {Parts} */
	const parts = {};
	for (const [part, values] of Object.entries(times)) parts[part] = median(values);
	return { parts, answerBytes: Buffer.byteLength(answer), requestBytes };
}

module.exports = { measureExchange, ROUNDS };
