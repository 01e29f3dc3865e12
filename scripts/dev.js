#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run dev`: n8n's own developer loop, `n8n-node dev` (TypeScript in watch mode, this
 * folder linked into n8n's custom nodes, n8n reloading the node when dist/ changes), with the
 * cached, pinned n8n as the n8n it talks to. `n8n-node dev` on its own starts `npx n8n@latest`,
 * which needs the registry and, at the time of writing, cannot install (n8n 2.41.3 depends on
 * an @n8n/agents version the registry does not serve); its `--external-n8n` flag is made for
 * an n8n started elsewhere with N8N_DEV_RELOAD=true, which this script starts.
 *
 * Environment: N8N_PORT (default 5678, or a free one), POCKET_N8N_CACHE (cache folder).
 */

const { spawn } = require('node:child_process');
const path = require('node:path');
const { N8N_VERSION, REPO_DIR, cacheDir, log } = require('./runtime/config');
const { prepare } = require('./runtime/install');
const { freePort, startN8n } = require('./runtime/process');
const { DEFAULT_OWNER, N8nClient } = require('./runtime/rest-client');

async function main() {
	const { nodeBin, n8nFolder } = await prepare();
	// n8n-node dev links this folder into <user folder>/.n8n/custom/node_modules, which n8n
	// loads as custom nodes and watches when N8N_DEV_RELOAD is set.
	const userFolder = path.join(cacheDir(), 'dev-user');
	const cli = spawn(process.execPath, [path.join(REPO_DIR, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs'), 'dev', '--external-n8n', '--custom-user-folder', userFolder], {
		cwd: REPO_DIR,
		stdio: 'inherit',
	});
	const port = await freePort(Number(process.env.N8N_PORT || 5678));
	const n8n = await startN8n({ nodeBin, n8nFolder, userFolder, port, env: { N8N_DEV_RELOAD: 'true' } });
	const client = new N8nClient(n8n.url);
	await client.setupOwner();
	log(`n8n ${N8N_VERSION} with the node linked from ${REPO_DIR}: ${n8n.url}/ (login ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}); edits rebuild and reload. Ctrl-C stops.`);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		cli.kill('SIGINT');
		await n8n.stop();
		process.exit(0);
	};
	// A closed terminal (SIGHUP) too: n8n and the TypeScript watcher must not outlive the loop.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
	cli.on('exit', () => void stop());
}

main().catch((err) => {
	console.error(`[dev] ${err instanceof Error ? err.stack : err}`);
	process.exit(1);
});
