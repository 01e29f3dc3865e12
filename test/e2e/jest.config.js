/**
 * End-to-end tests against a real n8n (see scripts/n8n-runtime.js). Run with `npm run test:e2e`.
 * The first run installs Node.js 24 and n8n into ~/.cache/n8n-nodes-pocket (about 10 minutes).
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.test.js'],
	transform: {},
	maxWorkers: 1,
	testTimeout: 120000,
	verbose: true,
};
