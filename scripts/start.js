#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm start`: a real n8n with this package installed as a community package, a Pocket
 * credential and the example workflows, against a local Pocket-compatible server (or your own).
 *
 * Environment:
 *   POCKET_N8N_CACHE        cache folder (default ~/.cache/n8n-nodes-pocket)
 *   N8N_PORT                n8n port (default 5678, or a free one if taken)
 *   POCKET_AUTHENTICATION   the credential's mode: emailPassword (default with the local server,
 *                           and with your own when POCKET_EMAIL is set) or accessToken
 *   POCKET_BASE_URL         use your own Pocket-compatible server instead of the local one
 *   POCKET_CONSUMER_KEY     its consumer key
 *   POCKET_ACCESS_TOKEN     its access token (Access Token mode)
 *   POCKET_EMAIL            the account's email (Email and Password mode, open-pocket style /login)
 *   POCKET_PASSWORD         the account's password
 *   POCKET_SERVER_PORT      port of the local Pocket-compatible server (default 8089, or free)
 *   POCKET_FEED_PORT        port of the local demo RSS feed (default 8090, or free)
 *   POCKET_SERVER_KIND      what the local server behaves as: pocket (default) or open-pocket
 *                           (drops tags on send, refuses numeric since; test/server/server-kind.ts)
 *   POCKET_SKIP_BUILD=1     do not run `npm run build` before packing
 */

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { N8N_VERSION, REPO_DIR, cacheDir, log } = require('./runtime/config');
const { importExamples, saveWebhookSecret } = require('./runtime/examples');
const { installPackage, packPackage, prepare } = require('./runtime/install');
const { freePort, startN8n, startPocketServer } = require('./runtime/process');
const { DEFAULT_OWNER, N8nClient } = require('./runtime/rest-client');

const FEED_FILE = path.join(REPO_DIR, 'test', 'e2e', 'fixtures', 'feed.xml');
const EXAMPLE_FEED_URL = 'https://hnrss.org/frontpage';

/**
 * @typedef {import('./runtime/process').N8nInstance} N8nInstance
 * @typedef {import('./runtime/rest-client').CredentialRef} CredentialRef
 * @typedef {import('./runtime/rest-client').PocketCredentialData} PocketCredentialData
 * @typedef {import('./runtime/examples').ImportedExample} ImportedExample
 * @typedef {import('./runtime/examples').WebhookSecret} WebhookSecret
 * @typedef {{ url: string, close: () => Promise<void> }} FeedServer
 * @typedef {{ credential: PocketCredentialData, origin?: string, demoKeys?: { consumerKey: string, accessToken: string } }} PocketBackend
 * @typedef {{ n8n: N8nInstance, client: N8nClient, credential: CredentialRef, pocket: PocketBackend, webhook: WebhookSecret, imported: ImportedExample[], stop: () => Promise<void> }} Stack
 */

/** The local server's sign-in account, unless POCKET_EMAIL / POCKET_PASSWORD say otherwise. */
const LOCAL_ACCOUNT = Object.freeze({ email: 'reader@pocket.test', password: 'PocketReader1234' });

/**
 * The Pocket credential's fields for a server: Email and Password when asked for (or when an
 * email is given), otherwise Access Token.
 * @param {{ baseUrl: string, consumerKey: string, accessToken: string, email: string, password: string, signIn: boolean }} server
 * @returns {PocketCredentialData}
 */
function pocketCredential({ baseUrl, consumerKey, accessToken, email, password, signIn }) {
	const mode = process.env.POCKET_AUTHENTICATION || (signIn ? 'emailPassword' : 'accessToken');
	if (mode === 'emailPassword') return { baseUrl, consumerKey, authentication: 'emailPassword', email, password };
	if (mode === 'accessToken') return { baseUrl, consumerKey, authentication: 'accessToken', accessToken };
	throw new Error(`POCKET_AUTHENTICATION must be emailPassword or accessToken (got ${mode})`);
}

/** @param {PocketCredentialData} credential */
function describeCredential(credential) {
	return credential.authentication === 'emailPassword'
		? `Email and Password mode: ${credential.email} / ${credential.password} (signs in at ${credential.baseUrl}/login)`
		: 'Access Token mode';
}

/**
 * Serves the demo RSS feed on loopback so the RSS example runs without internet access.
 * @param {number} [port]
 * @returns {Promise<FeedServer>}
 */
function startFeedServer(port = 0) {
	return new Promise((resolve, reject) => {
		const server = http.createServer((req, res) => {
			if (req.url && req.url.split('?')[0] === '/feed.xml') {
				res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
				res.end(fs.readFileSync(FEED_FILE));
				return;
			}
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('not found');
		});
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const { port: p } = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({
				url: `http://127.0.0.1:${p}/feed.xml`,
				close: () => new Promise((r) => server.close(() => r())),
			});
		});
	});
}

/**
 * @param {N8nClient} client
 * @param {PocketCredentialData} data
 * @returns {Promise<CredentialRef>}
 */
async function upsertCredential(client, data) {
	const name = 'Pocket account';
	const existing = await client.findCredential(name);
	if (existing) {
		await client.updateCredential(existing.id, { name, ...data });
		return { id: existing.id, name };
	}
	const created = await client.createCredential({ name, ...data });
	return { id: created.id, name: created.name };
}

/**
 * Starts the whole demo stack. Used by `npm start` (below) and scripts/screenshots.js.
 * @param {{ onUnexpectedExit?: (code: number | string | null, logFile: string) => void }} [options]
 * @returns {Promise<Stack>}
 */
async function startStack({ onUnexpectedExit } = {}) {
	/** @type {Array<() => Promise<void>>} */
	const cleanups = [];
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (err) {
				console.error(`[start] cleanup failed: ${err instanceof Error ? err.message : err}`);
			}
		}
	};
	try {
		const { nodeBin, n8nFolder } = await prepare();
		const tarball = packPackage({ build: process.env.POCKET_SKIP_BUILD !== '1' });
		const userFolder = process.env.POCKET_N8N_USER_FOLDER || path.join(cacheDir(), 'user');
		installPackage(userFolder, tarball);

		// Pocket-compatible backend: the user's own, or the local test server.
		/** @type {PocketBackend} */
		let pocket;
		/** @type {FeedServer | undefined} */
		let feed;
		if (process.env.POCKET_BASE_URL) {
			pocket = {
				credential: pocketCredential({
					baseUrl: process.env.POCKET_BASE_URL,
					consumerKey: process.env.POCKET_CONSUMER_KEY || '',
					accessToken: process.env.POCKET_ACCESS_TOKEN || '',
					email: process.env.POCKET_EMAIL || '',
					password: process.env.POCKET_PASSWORD || '',
					signIn: Boolean(process.env.POCKET_EMAIL),
				}),
			};
			log(`using your Pocket-compatible server at ${pocket.credential.baseUrl}`);
		} else {
			const consumerKey = process.env.POCKET_CONSUMER_KEY || 'demo-consumer-key';
			const accessToken = process.env.POCKET_ACCESS_TOKEN || 'demo-access-token';
			// The local server takes both: the static token and the account's sign-in.
			const account = { email: process.env.POCKET_EMAIL || LOCAL_ACCOUNT.email, password: process.env.POCKET_PASSWORD || LOCAL_ACCOUNT.password };
			const port = await freePort(Number(process.env.POCKET_SERVER_PORT || 8089));
			const stateFile = path.join(cacheDir(), 'pocket-state.json');
			const server = await startPocketServer({ port, consumerKey, accessToken, account, stateFile });
			cleanups.push(() => server.close());
			pocket = {
				credential: pocketCredential({ baseUrl: server.url, consumerKey, accessToken, ...account, signIn: true }),
				origin: server.origin,
				demoKeys: { consumerKey, accessToken },
			};
			log(`local Pocket-compatible server (${server.kind} kind) at ${server.url} (state: ${stateFile})`);
			// A stable port: the imported RSS example keeps this URL across restarts.
			const feedPort = await freePort(Number(process.env.POCKET_FEED_PORT || 8090));
			const feedServer = await startFeedServer(feedPort);
			feed = feedServer;
			cleanups.push(() => feedServer.close());
			log(`demo RSS feed at ${feedServer.url}`);
		}

		const port = await freePort(Number(process.env.N8N_PORT || 5678));
		const n8n = await startN8n({ nodeBin, n8nFolder, userFolder, port, echo: process.env.POCKET_N8N_ECHO === '1' });
		cleanups.push(() => n8n.stop());
		n8n.process.on('exit', (code, signal) => {
			if (!stopping && onUnexpectedExit) onUnexpectedExit(code ?? signal, n8n.logFile);
		});

		const client = new N8nClient(n8n.url);
		await client.setupOwner(DEFAULT_OWNER);
		const credential = await upsertCredential(client, pocket.credential);
		const test = await client.testCredential({
			id: String(credential.id),
			name: credential.name,
			data: { ...pocket.credential, allowUnencryptedHttp: pocket.credential.baseUrl.startsWith('http:') },
		});
		log(`credential "${credential.name}" (${credential.id}), ${describeCredential(pocket.credential)}`);
		log(`credential test: ${test && test.status}${test && test.message ? ` - ${test.message}` : ''}`);
		// A new secret on every start: whoever knew the last one cannot call the webhook any more.
		const webhook = await saveWebhookSecret(client);
		log(`webhook secret: credential "${webhook.credential.name}" (${webhook.credential.id}), header ${webhook.header}`);
		/** @type {Record<string, string>} */
		const replacements = feed ? { [EXAMPLE_FEED_URL]: feed.url } : {};
		const imported = await importExamples(client, credential, replacements, webhook.credential);
		for (const wf of imported) {
			log(`${wf.imported ? 'imported' : 'already present'}: "${wf.name}" ${n8n.url}/workflow/${wf.id}`);
		}
		// Publish (activate) the webhook example so its production URL answers right away.
		const webhookExample = imported.find((wf) => path.basename(wf.file) === 'webhook.json');
		if (webhookExample) {
			try {
				const current = await client.getWorkflow(webhookExample.id);
				// Examples are not re-imported over a user's copy, so an older, open one stays as it
				// was: it is not published, and the user is told.
				const hook = current.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
				if (hook && hook.parameters.authentication !== 'headerAuth') {
					log(`WARNING: "${current.name}" in this n8n is an older version that anyone can call; delete it and run npm start again`);
				} else {
					if (!current.active && !current.activeVersionId) await client.activateWorkflow(webhookExample.id);
					log(`webhook example active: POST ${n8n.url}/webhook/pocket`);
				}
			} catch (err) {
				log(`could not activate the webhook example: ${err instanceof Error ? err.message : err}`);
			}
		}

		return { n8n, client, credential, pocket, webhook, imported, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

async function main() {
	const started = Date.now();
	/** @type {Stack | undefined} */
	let stack;
	let stopping = false;
	/** @param {number} code */
	const stopAll = async (code) => {
		if (stopping) return;
		stopping = true;
		console.log('\n[start] stopping...');
		if (stack) await stack.stop();
		console.log('[start] stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => stopAll(0));
	process.on('SIGTERM', () => stopAll(0));
	try {
		stack = await startStack({
			onUnexpectedExit: (code, logFile) => {
				console.error(`[start] n8n exited unexpectedly (${code}); see ${logFile}`);
				stopAll(1);
			},
		});
	} catch (err) {
		console.error(`[start] ${err instanceof Error ? err.stack : err}`);
		await stopAll(1);
		return;
	}
	const { n8n, pocket, webhook } = stack;
	console.log('');
	console.log('=====================================================================');
	console.log(` n8n ${N8N_VERSION} with n8n-nodes-pocket is running (ready in ${((Date.now() - started) / 1000).toFixed(0)}s)`);
	console.log(` Editor:   ${n8n.url}/`);
	console.log(` Login:    ${DEFAULT_OWNER.email}`);
	console.log(` Password: ${DEFAULT_OWNER.password}`);
	console.log(` Pocket:   ${pocket.credential.baseUrl}${pocket.origin ? ` (state: ${pocket.origin}/__state)` : ''}`);
	console.log(` Credential "Pocket account": ${describeCredential(pocket.credential)}`);
	// Only the local demo server's keys: a user creating a credential by hand needs them, and
	// they open nothing but this throwaway server. Your own server's keys are never printed.
	if (pocket.demoKeys) {
		console.log(` Demo server keys, for a credential you create by hand:`);
		console.log(`   Consumer Key: ${pocket.demoKeys.consumerKey}`);
		console.log(`   Access Token: ${pocket.demoKeys.accessToken} (Authentication: Access Token)`);
	}
	console.log(` Webhook (adds a link; the secret is new on every start):`);
	console.log(`   curl -X POST ${n8n.url}/webhook/pocket -H '${webhook.header}: ${webhook.secret}' \\`);
	console.log(`     -H 'content-type: application/json' -d '{"url":"https://example.com/article","tags":["demo"]}'`);
	console.log(` n8n log:  ${n8n.logFile}`);
	console.log(' Press Ctrl-C to stop.');
	console.log('=====================================================================');
}

module.exports = { startStack, startFeedServer };

if (require.main === module) main();
