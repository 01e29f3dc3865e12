// @ts-check
'use strict';
const { writeFileSync } = require('node:fs');
const path = require('node:path');

/**
 * Prints the plain closing line CI reads ("N passed, N failed"), counting a test file that
 * failed to run at all as a failure, and keeps it in .test-summary for .ci/run to repeat last.
 * @implements {Pick<import('@jest/reporters').Reporter, 'onRunComplete'>}
 */
class SummaryReporter {
	/**
	 * @param {Set<import('@jest/reporters').TestContext>} _contexts
	 * @param {import('@jest/reporters').AggregatedResult} results
	 */
	onRunComplete(_contexts, results) {
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const line = `${results.numPassedTests} passed, ${failed} failed`;
		writeFileSync(path.join(__dirname, '..', '.test-summary'), `${line}\n`);
		process.stdout.write(`\n${line}\n`);
	}
}

module.exports = SummaryReporter;
