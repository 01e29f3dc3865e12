/**
 * `npm test` runs both projects: the workflow tests in n8n's execution engine (unit) and the
 * end-to-end suite against a real n8n server (e2e, installs n8n into a cache on first run).
 */
module.exports = {
	projects: [
		{
			displayName: 'unit',
			preset: 'ts-jest',
			testEnvironment: 'node',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			testMatch: ['<rootDir>/test/e2e/**/*.test.js'],
			transform: {},
		},
	],
	testTimeout: 30000,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
	// n8n-core keeps an internal handle open after a workflow run (none shows under
	// --detectOpenHandles); without this jest waits on it after the last test.
	forceExit: true,
};
