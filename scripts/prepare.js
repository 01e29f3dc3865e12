#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Runs before `npm test` and `npm start` (package.json `pretest`, `pretest:e2e`, `prestart`),
 * so that on a fresh clone those commands are all there is to type:
 *
 *   1. the dev dependencies: `npm ci` when node_modules is missing or does not match
 *      package-lock.json (a fresh clone, or a pull that changed the lock);
 *   2. the n8n runtime for the end-to-end suite and `npm start`: Node.js 24 if needed, n8n,
 *      its sqlite3 build (scripts/runtime/install.js);
 *   3. for `test` only: n8n 1.x's n8n-core and n8n-workflow for the jest project `unit-1.x`.
 *
 * Each step shows live progress (scripts/runtime/progress.js) and is skipped when already
 * done, so a warm run costs well under a second. Plain Node.js with no dependencies: it runs
 * before they exist. These hooks run only for this repository's own scripts, never when the
 * package is installed, so they are not install lifecycle scripts.
 *
 * Usage: node scripts/prepare.js test|e2e|start
 */

const fs = require('node:fs');
const path = require('node:path');
const { REPO_DIR, cacheDir, log } = require('./runtime/config');
const { ensureInProcess1x, npmWithProgress, prepare } = require('./runtime/install');

/** `npm ci` of the dev dependencies on the CI machine kind (2 cores, empty npm cache): 74 s measured. */
const NPM_CI_TYPICAL_SECONDS = 75;

/**
 * @typedef {{ version?: string, optional?: boolean, devOptional?: boolean }} LockEntry
 * @typedef {{ packages?: Record<string, LockEntry> }} Lockfile
 */

/** @param {string} file */
function readLock(file) {
	return /** @type {Lockfile} */ (JSON.parse(fs.readFileSync(file, 'utf8')));
}

/**
 * Why node_modules does not match package-lock.json, or undefined when it does. Compares with
 * the lockfile npm itself writes into node_modules when it installs (node_modules/.package-lock.json),
 * so the `npm ci` that .ci/run has just run is not repeated.
 * @param {string} dir the repository
 * @returns {string | undefined}
 */
function staleDependencies(dir) {
	const installed = path.join(dir, 'node_modules', '.package-lock.json');
	if (!fs.existsSync(installed)) return 'node_modules is missing';
	const wanted = readLock(path.join(dir, 'package-lock.json')).packages || {};
	const have = readLock(installed).packages || {};
	for (const [key, entry] of Object.entries(wanted)) {
		if (!key.startsWith('node_modules/')) continue;
		const present = have[key];
		// Optional packages for other platforms are legitimately absent.
		if (!present && (entry.optional || entry.devOptional)) continue;
		if (!present || present.version !== entry.version) {
			return `${key.slice(key.lastIndexOf('node_modules/') + 13)} ${entry.version} is not installed`;
		}
	}
	return undefined;
}

/** `npm ci` when the dev dependencies are missing or stale. */
async function ensureDependencies() {
	const reason = staleDependencies(REPO_DIR);
	if (!reason) return;
	log(`dev dependencies need installing (${reason}): npm ci`);
	await npmWithProgress(['ci'], { cwd: REPO_DIR }, path.join(cacheDir(), 'npm-ci.log'), {
		id: 'npm ci (dev dependencies)',
		what: 'installing the dev dependencies (npm ci)',
		typicalSeconds: NPM_CI_TYPICAL_SECONDS,
	});
}

/** @param {string} purpose */
async function main(purpose) {
	if (!['test', 'e2e', 'start'].includes(purpose)) throw new Error(`usage: node scripts/prepare.js test|e2e|start (got ${purpose})`);
	await ensureDependencies();
	await prepare();
	if (purpose === 'test') await ensureInProcess1x();
}

module.exports = { staleDependencies };

if (require.main === module) {
	main(process.argv[2] || '').catch((err) => {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	});
}
