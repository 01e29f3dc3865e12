// @ts-check
'use strict';
/**
 * `npm test` runs three projects: the workflow tests in n8n's execution engine on the
 * dev-dependency n8n-core/n8n-workflow 2.x (unit), the same workflow tests on the newest 1.x
 * (unit-1.x), and the end-to-end suite against a real n8n server (e2e). `npm test` installs
 * the n8n runtimes into the cache before jest starts (scripts/prepare.js).
 */
const fs = require('node:fs');
const path = require('node:path');
const { inProcess1xDir } = require('./scripts/runtime/config');

/**
 * The test files that run workflows through the engine harness: only they depend on which
 * n8n-core/n8n-workflow runs them, so only they run a second time on 1.x.
 */
const engineTests = fs
	.readdirSync(path.join(__dirname, 'test'))
	.filter((file) => file.endsWith('.test.ts'))
	.filter((file) => /from '\.\/harness\/engine'/.test(fs.readFileSync(path.join(__dirname, 'test', file), 'utf8')))
	.map((file) => `<rootDir>/test/${file}`);

const modules1x = path.join(inProcess1xDir(), 'node_modules');

/** @type {import('jest').Config} */
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
			displayName: 'unit-1.x',
			preset: 'ts-jest',
			testEnvironment: 'node',
			testMatch: engineTests,
			// Every `require('n8n-core')` / `require('n8n-workflow')` in this project, the harness's
			// and the BUILT node's in dist/ alike, gets the 1.x copy: the node must see the same
			// n8n-workflow classes (NodeApiError, ...) as the engine that runs it, as in a real n8n
			// 1.x. luxon too (the node's one other n8n-provided import besides zod, which is
			// 3.25.67 in both). test/engine-copies.test.ts checks there is one copy.
			moduleNameMapper: {
				'^n8n-core$': path.join(modules1x, 'n8n-core'),
				'^n8n-workflow$': path.join(modules1x, 'n8n-workflow'),
				'^luxon$': path.join(modules1x, 'luxon'),
			},
			// Installs the 1.x copies into the cache if `npm test`'s preparation did not (a direct
			// `npx jest` on a fresh cache).
			globalSetup: '<rootDir>/test/setup-1x.js',
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			testMatch: ['<rootDir>/test/e2e/**/*.test.js'],
			transform: {},
		},
		{
			// n8n's queue mode (PostgreSQL, Redis, a main and two workers): run on its own by
			// `npm run test:queue` (and .ci/run), not by `npm test`, which ignores this project.
			displayName: 'queue',
			testEnvironment: 'node',
			testMatch: ['<rootDir>/test/queue/**/*.test.js'],
			transform: {},
		},
	],
	testTimeout: 30000,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
	// n8n-core keeps an internal handle open after a workflow run (none shows under
	// --detectOpenHandles); without this jest waits on it after the last test.
	forceExit: true,
};
