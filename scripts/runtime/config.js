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
/** Minimum Node.js major version the pinned n8n declares in `engines`. */
const N8N_NODE_MAJOR = 24;
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
	REPO_DIR,
	PACKAGE_NAME,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	log,
	setQuiet,
	cacheDir,
	elapsed,
	envWithNode,
};
