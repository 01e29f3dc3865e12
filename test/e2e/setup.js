// @ts-check
'use strict';
/**
 * What an end-to-end file starts from: the packed package installed as a community package into
 * a real n8n of its own (its own user folder and port), the Pocket-compatible test server on
 * loopback, and n8n's owner account logged in. Each file then creates the credentials and
 * workflows it tests.
 */
const fs = require('node:fs');
const path = require('node:path');
const { cacheDir } = require('../../scripts/runtime/config');
const { installPackage, packPackage, prepare } = require('../../scripts/runtime/install');
const { startN8n, startPocketServer } = require('../../scripts/runtime/process');
const { N8nClient } = require('../../scripts/runtime/rest-client');

/**
 * @typedef {import('../server/pocket-server').PocketServer} PocketServer
 * @typedef {import('../server/pocket-server').PocketServerOptions} PocketServerOptions
 * @typedef {import('../../scripts/runtime/process').N8nInstance} N8nInstance
 * @typedef {{ pocket: PocketServer, n8n: N8nInstance, client: N8nClient, userFolder: string, stop: () => Promise<void> }} E2eStack
 */

/** A cold cache installs Node.js 24 and n8n and builds sqlite3: about 10 minutes. */
const E2E_SETUP_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * Starts the stack; `stop` ends what was started and removes the user folder (kept with
 * POCKET_E2E_KEEP=1, to read n8n's log).
 * @param {string} name names the user folder, <cache>/e2e-<name>-<pid>
 * @param {PocketServerOptions} pocketOptions `kind` picks the server's behaviour; unset, POCKET_SERVER_KIND, else Pocket
 * @returns {Promise<E2eStack>}
 */
async function startE2eStack(name, pocketOptions) {
	const { nodeBin, n8nFolder } = await prepare();
	const tarball = packPackage({ build: process.env.POCKET_SKIP_BUILD !== '1' });
	const userFolder = path.join(cacheDir(), `e2e-${name}-${process.pid}`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	installPackage(userFolder, tarball);
	const pocket = await startPocketServer(pocketOptions);
	/** @type {N8nInstance} */
	let n8n;
	try {
		n8n = await startN8n({ nodeBin, n8nFolder, userFolder });
	} catch (err) {
		await pocket.close();
		throw err;
	}
	const client = new N8nClient(n8n.url);
	await client.setupOwner();
	return {
		pocket,
		n8n,
		client,
		userFolder,
		async stop() {
			await n8n.stop();
			await pocket.close();
			if (!process.env.POCKET_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

module.exports = { E2E_SETUP_TIMEOUT_MS, startE2eStack };
