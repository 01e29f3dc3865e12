// @ts-check
'use strict';
/**
 * What the real-n8n runtime works with: the pinned n8n, this package's names, the cache folder
 * outside the repository, and the runtime's log line.
 *
 * The cache (POCKET_N8N_CACHE, default ~/.cache/n8n-nodes-pocket) holds:
 *   node24/          a Node.js 24 binary from the npm registry (only if the running Node.js is
 *                    older than the pinned n8n needs)
 *   n8n-<version>/   the pinned n8n, installed with --ignore-scripts, sqlite3 built
 *   pack/            `npm pack` output of this repository
 *   server/          the Pocket-compatible test server compiled to CommonJS
 *   n8n-core-<version>/  n8n-core and n8n-workflow of the newest 1.x, for the jest project
 *                    `unit-1.x` (see jest.config.js)
 *   progress-history.json  how long each install step took here, for progress estimates
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * Pinned n8n: the newest release whose whole dependency tree installs from the registry here.
 * 2.41.3 (newest at the time of writing) cannot be installed because its exact dependency
 * @n8n/agents@0.26.2 is not served; 2.41.1 (with @n8n/agents@0.26.1) installs and passes the
 * e2e suite. 2.40.7 is the known-good fallback (POCKET_N8N_VERSION=2.40.7).
 */
const N8N_VERSION = process.env.POCKET_N8N_VERSION || '2.41.1';

/**
 * The lowest Node.js major that runs an n8n version with its default settings: 2.0-2.8 run on
 * 20.19, 2.10-2.35 need 22, 2.36 and later 24 (their `engines`). 1.x declares 20.19 too, but
 * the last 1.x releases (1.123.x) start their default expression engine on isolated-vm, which
 * ships binaries for Node.js 22 and 24 only (on 20, `n8n start` exits "Could not initialize
 * the vm expression engine"); n8n's own 1.x images run Node.js 22.
 * @param {string} version
 */
function nodeMajorFor(version) {
	const [major, minor] = version.split('.').map(Number);
	if (major < 2) return 22;
	if (minor < 10) return 20;
	return minor < 36 ? 22 : 24;
}
/** Minimum Node.js major version the chosen n8n needs (see nodeMajorFor). */
const N8N_NODE_MAJOR = nodeMajorFor(N8N_VERSION);

/**
 * The newest n8n 1.x line's engine (shipped by n8n 1.123.81), which the in-process workflow
 * tests also run on (jest project `unit-1.x`), installed into the cache by
 * scripts/runtime/install.js.
 */
const N8N_1X = Object.freeze({ n8n: '1.123.81', core: '1.122.48', workflow: '1.120.31' });
const REPO_DIR = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-pocket';
const NODE_TYPE = 'n8n-nodes-pocket.pocket';
const CREDENTIAL_TYPE = 'pocketApi';

let quiet = false;

/** @param {string} msg */
function log(msg) {
	if (!quiet) console.log(`[n8n-runtime] ${msg}`);
}

/** @param {boolean} value */
function setQuiet(value) {
	quiet = value;
}

/** The cache folder, created on first use. */
function cacheDir() {
	const dir = process.env.POCKET_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pocket');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** Where the newest 1.x n8n-core and n8n-workflow are installed (node_modules below it). */
function inProcess1xDir() {
	return path.join(cacheDir(), `n8n-core-${N8N_1X.core}`);
}

/** @param {number} start a Date.now() value */
function elapsed(start) {
	return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}

/**
 * The environment with the given Node binary's folder first on PATH.
 * @param {string} nodeBin
 * @param {NodeJS.ProcessEnv} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function envWithNode(nodeBin, extra = {}) {
	const binDir = path.dirname(nodeBin);
	return { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, ...extra };
}

module.exports = {
	N8N_VERSION,
	N8N_NODE_MAJOR,
	N8N_1X,
	REPO_DIR,
	PACKAGE_NAME,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	log,
	setQuiet,
	cacheDir,
	inProcess1xDir,
	elapsed,
	envWithNode,
};
