/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The built node and the engine that runs it share one n8n-workflow. n8n tells the node's own
 * errors (NodeApiError, NodeOperationError) from unexpected ones with instanceof, so a second
 * copy would replace the node's messages with n8n's generic ones. Runs in both unit projects:
 * on 2.x (the dev dependencies) and on 1.x (jest.config.js maps the imports to the cache).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { NodeApiError } from 'n8n-workflow';

import { loadPackage, runWorkflow } from './harness/engine';
import { useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials } from './harness/workflows';

const server = useServer();

/** The package.json of the copy of `name` this project loads. */
function loadedPackage(name: string): { version: string; dependencies?: Record<string, string> } {
	let dir = path.dirname(require.resolve(name));
	while (path.basename(dir) !== name) dir = path.dirname(dir);
	return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

test('n8n-core and n8n-workflow are a matching pair (the n8n-workflow this n8n-core ships with)', () => {
	const core = loadedPackage('n8n-core');
	expect(core.dependencies?.['n8n-workflow']).toBe(loadedPackage('n8n-workflow').version);
});

test("the node's NodeApiError is the engine's class, and keeps the node's message", async () => {
	// What the node throws, before n8n-core turns it into the run's (serialised) error.
	const { nodeTypes } = await loadPackage();
	const type = nodeTypes.getByNameAndVersion('n8n-nodes-pocket.pocket', 1);
	const execute = type.execute;
	if (!execute) throw new Error('the Pocket node has no execute method');
	let thrown: unknown;
	type.execute = async function (this: ThisParameterType<typeof execute>) {
		try {
			return await execute.call(this);
		} catch (error) {
			thrown = error;
			throw error;
		}
	};
	try {
		const result = await runWorkflow(loadWorkflow('item-add'), {
			credentials: pocketCredentials(server.current, { accessToken: 'revoked-token' }),
		});
		expect(thrown).toBeInstanceOf(NodeApiError);
		expect(result.errorMessage).toMatch(/rejected the credentials \(HTTP 401\)/);
	} finally {
		type.execute = execute;
	}
});
