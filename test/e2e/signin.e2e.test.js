// @ts-check
'use strict';
/**
 * End-to-end: a credential in Email and Password mode in a real n8n, against the test server
 * with short-lived access tokens. The token lives in n8n's database with the credential (n8n's
 * preAuthentication); nothing here touches the credential after creating it.
 */
const { CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/runtime/config');
const { nodeOutput } = require('../../scripts/runtime/executions');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('../server/pocket-server').PocketServer} PocketServer
 * @typedef {import('../../scripts/runtime/rest-client').N8nClient} N8nClient
 * @typedef {import('../../scripts/runtime/rest-client').CredentialRef} CredentialRef
 * @typedef {import('../../scripts/runtime/rest-client').FinishedExecution} FinishedExecution
 * @typedef {import('./setup').E2eStack} E2eStack
 */

const CONSUMER_KEY = 'e2e-signin-consumer-key';
const ACCOUNT = { email: 'reader@pocket.test', password: 'e2e-signin-SECRET-password' };
const TOKEN_LIFETIME_SECONDS = 3;

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {PocketServer} */
let pocket;
/** @type {N8nClient} */
let client;
/** @type {CredentialRef} */
let credential;

const wait = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A timeline for the test log: what happened, and when, from the test's start. */
const started = Date.now();
/** @param {string} what */
const mark = (what) => console.log(`[sign-in e2e +${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);

/**
 * Manual Trigger → a list of links → one item each → Pocket: Add.
 * @param {string} prefix
 */
async function addLinksWorkflow(prefix) {
	const links = [1, 2, 3].map((i) => `https://example.com/${prefix}-${i}`);
	return await client.createWorkflow({
		name: `Sign-in e2e ${prefix}`,
		nodes: [
			{ parameters: {}, id: 's-1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ links }), options: {} },
				id: 's-2',
				name: 'Links',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
			},
			{ parameters: { fieldToSplitOut: 'links', options: {} }, id: 's-3', name: 'One each', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [400, 0] },
			{
				parameters: { resource: 'item', operation: 'add', url: '={{ $json.links }}', additionalFields: {}, options: {} },
				id: 's-4',
				name: 'Pocket',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [600, 0],
				credentials: { [CREDENTIAL_TYPE]: { id: String(credential.id), name: credential.name } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Links', type: 'main', index: 0 }]] },
			Links: { main: [[{ node: 'One each', type: 'main', index: 0 }]] },
			'One each': { main: [[{ node: 'Pocket', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	});
}

/** @param {FinishedExecution} result */
function expectSaved(result) {
	const errors = Object.entries(result.runData)
		.filter(([, runs]) => runs[0]?.error)
		.map(([name, runs]) => `${name}: ${runs[0].error?.message}`);
	expect(`${result.status} ${errors.join('; ')}`).toBe('success ');
	expect(nodeOutput(result.runData, 'Pocket')?.every((o) => o.success === true)).toBe(true);
}

beforeAll(async () => {
	stack = await startE2eStack('signin', { consumerKey: CONSUMER_KEY, accessToken: 'unused-static-token', account: ACCOUNT });
	({ pocket, client } = stack);
	credential = await client.createCredential({
		name: 'Pocket sign-in e2e',
		baseUrl: pocket.url,
		authentication: 'emailPassword',
		consumerKey: CONSUMER_KEY,
		email: ACCOUNT.email,
		password: ACCOUNT.password,
	});
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	if (stack) await stack.stop();
});

test("the credential's Test signs in and sends an empty batch", async () => {
	// A credential of its own: n8n stores the token the Test's sign-in got with the credential,
	// and the runs below count the sign-ins of the main one.
	const data = { baseUrl: pocket.url, authentication: /** @type {const} */ ('emailPassword'), consumerKey: CONSUMER_KEY, email: ACCOUNT.email, password: ACCOUNT.password };
	const saved = await client.createCredential({ name: 'Pocket sign-in e2e (Test)', ...data });
	const result = await client.testCredential({ id: String(saved.id), name: saved.name, data });
	expect(result).toEqual(expect.objectContaining({ status: 'OK', message: 'Connection successful!' }));
	const wrong = await client.testCredential({
		data: { baseUrl: pocket.url, authentication: 'emailPassword', consumerKey: CONSUMER_KEY, email: ACCOUNT.email, password: 'not-it-1234' },
	});
	expect(wrong.status).toBe('Error');
	expect(wrong.message).toMatch(/^Signing in failed: The server rejected the credentials \(HTTP 401\)/);
	expect(wrong.message).not.toContain('not-it-1234');
});

test('a scheduled-style second run after the token expired succeeds with exactly one extra sign-in; two runs started together after expiry both succeed', async () => {
	pocket.reset();
	pocket.tokenLifetimeSeconds = TOKEN_LIFETIME_SECONDS;
	const first = await addLinksWorkflow('first');
	const second = await addLinksWorkflow('second');
	const [left, right] = [await addLinksWorkflow('left'), await addLinksWorkflow('right')];

	mark('run 1');
	expectSaved(await client.runWorkflowAndWait(first.id));
	expect(pocket.signIn.logins).toBe(1);
	mark(`run 1 done: ${pocket.signIn.logins} sign-in, ${pocket.liveItems().length} items`);

	await wait(TOKEN_LIFETIME_SECONDS * 1000 + 500);
	mark(`token lifetime (${TOKEN_LIFETIME_SECONDS} s) elapsed; run 2`);
	expectSaved(await client.runWorkflowAndWait(second.id));
	expect(pocket.signIn.logins).toBe(2);
	mark(`run 2 done: ${pocket.signIn.logins} sign-ins in all, ${pocket.liveItems().length} items`);

	await wait(TOKEN_LIFETIME_SECONDS * 1000 + 500);
	mark('token expired again; two runs started together');
	const ids = await Promise.all([client.runWorkflow(left.id), client.runWorkflow(right.id)]);
	const results = await Promise.all(ids.map((id) => client.waitForExecution(id)));
	results.forEach(expectSaved);
	mark(`both done: ${pocket.signIn.logins} sign-ins in all, ${pocket.liveItems().length} items`);
	// Each run may renew for itself; a second sign-in does not invalidate the first's token.
	expect(pocket.signIn.logins).toBeGreaterThanOrEqual(3);
	expect(pocket.signIn.logins).toBeLessThanOrEqual(4);
	expect(pocket.liveItems().map((i) => i.given_url).sort()).toEqual(
		['first', 'second', 'left', 'right'].flatMap((p) => [1, 2, 3].map((i) => `https://example.com/${p}-${i}`)).sort(),
	);
	// No /send was refused: every renewal happened before sending, from the token's exp.
	const refused = pocket.requests.filter((r) => r.path.endsWith('/send')).length - 4;
	expect(refused).toBe(0);

	// The password and the issued tokens appear nowhere in the executions n8n stored.
	const stored = JSON.stringify(await Promise.all(ids.map((id) => client.waitForExecution(id))));
	for (const secret of [ACCOUNT.password, ...pocket.signIn.accessTokens.keys()]) expect(stored).not.toContain(secret);
});
