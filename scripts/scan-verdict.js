#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Runs n8n's verification scanner CLI and fails when it reports a failure. The CLI
 * (@n8n/scan-community-package) prints its verdict and exits 0 whether the package passed or
 * not, so a release job that only ran it would go green on a failed scan.
 *
 * Usage: node scripts/scan-verdict.js <command> [args...]
 *   e.g. node scripts/scan-verdict.js npx --yes @n8n/scan-community-package n8n-nodes-pocket@1.2.3
 * Exits 0 only when the command exits 0 and prints the scanner's pass line and no fail line.
 */

const { spawnSync } = require('node:child_process');

/** The CLI's lines (scanner/cli.mjs): one of these per run. */
const PASSED = /^✅ Package \S+ has passed all security checks$/m;
const FAILED = /^❌ Package \S+ has failed security checks$/m;

/**
 * What the scanner's output says.
 * @param {string} output its stdout and stderr
 * @returns {{ passed: boolean, reason: string }}
 */
function scanVerdict(output) {
	if (FAILED.test(output)) {
		const reason = /^Reason: (.*)$/m.exec(output)?.[1] ?? 'no reason given';
		return { passed: false, reason: `the scanner reported a failure: ${reason}` };
	}
	if (PASSED.test(output)) return { passed: true, reason: 'the scanner passed the package' };
	return { passed: false, reason: 'the scanner printed no verdict' };
}

/**
 * @param {string[]} command
 * @returns {number} the exit code
 */
function main(command) {
	if (command.length === 0) {
		console.error('Usage: node scripts/scan-verdict.js <command> [args...]');
		return 2;
	}
	const run = spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	process.stdout.write(run.stdout ?? '');
	process.stderr.write(run.stderr ?? '');
	if (run.error) {
		console.error(`scan-verdict: could not run ${command[0]}: ${run.error.message}`);
		return 1;
	}
	if (run.status !== 0) {
		console.error(`scan-verdict: the scanner exited with ${run.status ?? run.signal}`);
		return 1;
	}
	const verdict = scanVerdict(`${run.stdout}\n${run.stderr}`);
	console.error(`scan-verdict: ${verdict.reason}`);
	return verdict.passed ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { scanVerdict, PASSED, FAILED };
