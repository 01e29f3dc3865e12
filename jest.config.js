/** Unit and workflow tests; the real-n8n end-to-end suite has its own config in test/e2e. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	testTimeout: 30000,
	// n8n-core keeps an internal handle open after a workflow run (none shows under
	// --detectOpenHandles); without this jest waits on it after the last test.
	forceExit: true,
};
