#!/usr/bin/env node
'use strict';
/**
 * `npm start`: a real n8n with this package installed as a community package, a Pocket
 * credential and the example workflows, against a local Pocket-compatible server (or your own).
 *
 * Environment:
 *   POCKET_N8N_CACHE        cache folder (default ~/.cache/n8n-nodes-pocket)
 *   N8N_PORT                n8n port (default 5678, or a free one if taken)
 *   POCKET_BASE_URL         use your own Pocket-compatible server instead of the local one
 *   POCKET_CONSUMER_KEY     its consumer key
 *   POCKET_ACCESS_TOKEN     its access token
 *   POCKET_SERVER_PORT      port of the local Pocket-compatible server (default 8089, or free)
 *   POCKET_FEED_PORT        port of the local demo RSS feed (default 8090, or free)
 *   POCKET_SKIP_BUILD=1     do not run `npm run build` before packing
 */

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const rt = require('./n8n-runtime');

const FEED_FILE = path.join(rt.REPO_DIR, 'test', 'e2e', 'fixtures', 'feed.xml');
const EXAMPLE_FEED_URL = 'https://hnrss.org/frontpage';

/** Serves the demo RSS feed on loopback so the RSS example runs without internet access. */
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
			const { port: p } = server.address();
			resolve({
				url: `http://127.0.0.1:${p}/feed.xml`,
				close: () => new Promise((r) => server.close(() => r())),
			});
		});
	});
}

async function upsertCredential(client, data) {
	const name = 'Pocket account';
	const existing = await client.findCredential(name);
	if (existing) {
		await client.request('PATCH', `/rest/credentials/${existing.id}`, {
			name,
			type: rt.CREDENTIAL_TYPE,
			data: { ...data, allowUnencryptedHttp: data.baseUrl.startsWith('http:') },
		});
		return { id: existing.id, name };
	}
	const created = await client.createCredential({ name, ...data });
	return { id: created.id, name: created.name };
}

/**
 * Starts the whole demo stack; returns { n8n, client, credential, pocket, imported, stop() }.
 * Used by `npm start` (below) and scripts/screenshots.js.
 */
async function startStack({ onUnexpectedExit } = {}) {
	const cleanups = [];
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (err) {
				console.error(`[start] cleanup failed: ${err.message}`);
			}
		}
	};
	try {
		const { nodeBin, n8nFolder } = await rt.prepare();
		const tarball = rt.packPackage({ build: process.env.POCKET_SKIP_BUILD !== '1' });
		const userFolder = process.env.POCKET_N8N_USER_FOLDER || path.join(rt.cacheDir(), 'user');
		rt.installPackage(userFolder, tarball);

		// Pocket-compatible backend: the user's own, or the local test server.
		let pocket;
		let feed;
		if (process.env.POCKET_BASE_URL) {
			pocket = {
				baseUrl: process.env.POCKET_BASE_URL,
				consumerKey: process.env.POCKET_CONSUMER_KEY || '',
				accessToken: process.env.POCKET_ACCESS_TOKEN || '',
			};
			rt.log(`using your Pocket-compatible server at ${pocket.baseUrl}`);
		} else {
			const consumerKey = process.env.POCKET_CONSUMER_KEY || 'demo-consumer-key';
			const accessToken = process.env.POCKET_ACCESS_TOKEN || 'demo-access-token';
			const port = await rt.freePort(Number(process.env.POCKET_SERVER_PORT || 8089));
			const server = await rt.startPocketServer({
				port,
				consumerKey,
				accessToken,
				stateFile: path.join(rt.cacheDir(), 'pocket-state.json'),
			});
			cleanups.push(() => server.close());
			pocket = { baseUrl: server.url, consumerKey, accessToken, origin: server.origin };
			rt.log(`local Pocket-compatible server at ${server.url} (state: ${path.join(rt.cacheDir(), 'pocket-state.json')})`);
			// A stable port: the imported RSS example keeps this URL across restarts.
			const feedPort = await rt.freePort(Number(process.env.POCKET_FEED_PORT || 8090));
			feed = await startFeedServer(feedPort);
			cleanups.push(() => feed.close());
			rt.log(`demo RSS feed at ${feed.url}`);
		}

		const port = await rt.freePort(Number(process.env.N8N_PORT || 5678));
		const n8n = await rt.startN8n({ nodeBin, n8nFolder, userFolder, port, echo: process.env.POCKET_N8N_ECHO === '1' });
		cleanups.push(() => n8n.stop());
		n8n.process.on('exit', (code, signal) => {
			if (!stopping && onUnexpectedExit) onUnexpectedExit(code ?? signal, n8n.logFile);
		});

		const client = new rt.N8nClient(n8n.url);
		await client.setupOwner(rt.DEFAULT_OWNER);
		const credential = await upsertCredential(client, {
			baseUrl: pocket.baseUrl,
			consumerKey: pocket.consumerKey,
			accessToken: pocket.accessToken,
		});
		const test = await client.testCredential({
			id: String(credential.id),
			name: credential.name,
			data: {
				baseUrl: pocket.baseUrl,
				consumerKey: pocket.consumerKey,
				accessToken: pocket.accessToken,
				allowUnencryptedHttp: pocket.baseUrl.startsWith('http:'),
			},
		});
		rt.log(`credential "${credential.name}" (${credential.id}) test: ${test && test.status}${test && test.message ? ` - ${test.message}` : ''}`);
		const replacements = feed ? { [EXAMPLE_FEED_URL]: feed.url } : {};
		const imported = await rt.importExamples(client, credential, replacements);
		for (const wf of imported) {
			rt.log(`${wf.imported ? 'imported' : 'already present'}: "${wf.name}" ${n8n.url}/workflow/${wf.id}`);
		}
		// Publish (activate) the webhook example so its production URL answers right away.
		const webhook = imported.find((wf) => path.basename(wf.file) === 'webhook.json');
		if (webhook) {
			try {
				const current = await client.getWorkflow(webhook.id);
				if (!current.active && !current.activeVersionId) await client.activateWorkflow(webhook.id);
				rt.log(`webhook example active: POST ${n8n.url}/webhook/pocket`);
			} catch (err) {
				rt.log(`could not activate the webhook example: ${err.message}`);
			}
		}

		return { n8n, client, credential, pocket, imported, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

async function main() {
	const started = Date.now();
	let stack;
	let stopping = false;
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
		console.error(`[start] ${err && err.stack ? err.stack : err}`);
		await stopAll(1);
		return;
	}
	const { n8n, pocket } = stack;
	console.log('');
	console.log('=====================================================================');
	console.log(` n8n ${rt.N8N_VERSION} with n8n-nodes-pocket is running (ready in ${((Date.now() - started) / 1000).toFixed(0)}s)`);
	console.log(` Editor:   ${n8n.url}/`);
	console.log(` Login:    ${rt.DEFAULT_OWNER.email}`);
	console.log(` Password: ${rt.DEFAULT_OWNER.password}`);
	console.log(` Pocket:   ${pocket.baseUrl}${pocket.origin ? ` (state: ${pocket.origin}/__state)` : ''}`);
	console.log(` Webhook:  curl -X POST ${n8n.url}/webhook/pocket -H 'content-type: application/json' \\`);
	console.log(`             -d '{"url":"https://example.com/article","tags":["demo"]}'`);
	console.log(` n8n log:  ${n8n.logFile}`);
	console.log(' Press Ctrl-C to stop.');
	console.log('=====================================================================');
}

module.exports = { startStack, startFeedServer };

if (require.main === module) main();
