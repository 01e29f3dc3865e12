// @ts-check
'use strict';
/**
 * End-to-end: the credential's Test in a real n8n, through the REST call the credential dialog
 * makes (POST /rest/credentials/test). The Test is n8n's declarative one: n8n runs the
 * credential's preAuthentication (Email and Password mode signs in) and authenticate (which
 * refuses a Base URL the node would refuse), then POSTs an empty batch to /send and applies
 * the Test's status rules.
 */
const path = require('node:path');
const { N8N_VERSION, cacheDir } = require('../../scripts/runtime/config');
const { startPocketServer } = require('../../scripts/runtime/process');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('../server/pocket-server').PocketServer} PocketServer
 * @typedef {import('../../scripts/runtime/rest-client').N8nClient} N8nClient
 * @typedef {import('../../scripts/runtime/rest-client').PocketCredentialData} PocketCredentialData
 * @typedef {import('./setup').E2eStack} E2eStack
 */

const CONSUMER_KEY = 'e2e-test-consumer-key';
const ACCESS_TOKEN = 'e2e-test-SECRET-token';
const ACCOUNT = { email: 'reader@pocket.test', password: 'e2e-test-SECRET-password' };

/**
 * n8n applies the Test's status rules (the node's words) only where its errors keep their
 * cause (n8n 2.41 does; n8n-workflow 1.x drops an Error cause and n8n shows its own words for
 * the status). Asked of the n8n-workflow this n8n runs.
 */
const { NodeOperationError } = require(path.join(cacheDir(), `n8n-${N8N_VERSION}`, 'node_modules', 'n8n-workflow'));
const RULES_APPLY = new NodeOperationError({ name: 'probe' }, new Error('probe')).cause !== undefined;

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {PocketServer} */
let pocket;
/** @type {N8nClient} */
let client;

beforeAll(async () => {
	stack = await startE2eStack('credential-test', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, account: ACCOUNT });
	({ pocket, client } = stack);
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	if (stack) await stack.stop();
});

beforeEach(() => pocket.reset());

/** @param {Partial<PocketCredentialData>} overrides */
const token = (overrides = {}) => ({ baseUrl: pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, ...overrides });
/** @param {Partial<PocketCredentialData>} overrides */
const signIn = (overrides = {}) => ({
	baseUrl: pocket.url,
	authentication: 'emailPassword',
	consumerKey: CONSUMER_KEY,
	email: ACCOUNT.email,
	password: ACCOUNT.password,
	...overrides,
});

/** Each result for the test log, which the README's measured list quotes. */
const results = /** @type {Record<string, string>} */ ({});
/**
 * @param {string} name
 * @param {PocketCredentialData} data
 */
async function test_(name, data) {
	const result = await client.testCredential({ name: `Pocket ${name}`, data: /** @type {PocketCredentialData} */ (data) });
	results[name] = `${result.status}: ${result.message}`;
	return result;
}
afterAll(() => console.log(`n8n ${N8N_VERSION} credential Test results:\n${Object.entries(results).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`));

const sends = () => pocket.requests.filter((r) => r.path.endsWith('/send'));

test('good keys: OK, after an empty batch that changes nothing', async () => {
	expect(await test_('access token', /** @type {PocketCredentialData} */ (token()))).toEqual(expect.objectContaining({ status: 'OK' }));
	expect(sends().map((r) => r.body)).toEqual([{ actions: [], consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN }]);
	expect(pocket.liveItems()).toHaveLength(0);
});

test('Email and Password: n8n signs in first, then sends the empty batch with the new token', async () => {
	// Saved first, as the dialog saves before it tests: n8n stores the token the sign-in got
	// with the credential, and refuses an unsaved one ("Found credential with no ID.").
	const data = /** @type {PocketCredentialData} */ (signIn());
	const saved = await client.createCredential({ name: 'Pocket Test e2e', ...data });
	const result = await client.testCredential({ id: String(saved.id), name: saved.name, data });
	results['email and password (saved)'] = `${result.status}: ${result.message}`;
	expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
	expect(pocket.signIn.logins).toBe(1);
	expect(sends().map((r) => /** @type {{ access_token: string }} */ (r.body).access_token)).toEqual([...pocket.signIn.accessTokens.keys()]);
});

test("a wrong token: the node's message (n8n 2.x), never the token", async () => {
	const result = await test_('wrong token', /** @type {PocketCredentialData} */ (token({ accessToken: 'wrong-SECRET-token' })));
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(
		RULES_APPLY ? /^The server rejected the credentials \(HTTP 401\)\. .*With Access Token, check the Access Token and the Consumer Key/ : /Authorization failed/,
	);
	expect(result.message).not.toContain('wrong-SECRET-token');
});

test("a wrong password: the node's sign-in message, and nothing sent to /send", async () => {
	const result = await test_('wrong password', /** @type {PocketCredentialData} */ (signIn({ password: 'not-it-SECRET' })));
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/^Signing in failed: The server rejected the credentials \(HTTP 401\)\. .*Check the Email and the Password/);
	expect(result.message).not.toContain('not-it-SECRET');
	expect(sends()).toHaveLength(0);
});

test('Email and Password, a wrong consumer key: signed in, then the empty batch is refused; the message does not doubt the sign-in', async () => {
	const data = /** @type {PocketCredentialData} */ (signIn({ consumerKey: 'wrong-consumer-key' }));
	const saved = await client.createCredential({ name: 'Pocket wrong key e2e', ...data });
	const result = await client.testCredential({ id: String(saved.id), name: saved.name, data });
	results['email and password, wrong consumer key'] = `${result.status}: ${result.message}`;
	expect(result.status).toBe('Error');
	// n8n's own 401 path signs in once more and resends the empty batch once.
	expect(pocket.signIn.logins).toBe(2);
	expect(sends().map((r) => /** @type {{ actions: unknown }} */ (r.body).actions)).toEqual([[], []]);
	if (RULES_APPLY) expect(result.message).toMatch(/signing in has just worked, so check the Consumer Key\.$/);
	expect(result.message).not.toMatch(/check the Email|None of the actions/i);
});

test("a Base URL without the API (404): the node's message (n8n 2.x)", async () => {
	const result = await test_('missing API', /** @type {PocketCredentialData} */ (token({ baseUrl: `${pocket.origin}/nothing-here` })));
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(RULES_APPLY ? /^There is no Pocket send endpoint at \{Base URL\}\/send \(HTTP 404\)/ : /could not be found/);
	const login = await test_('missing login API', /** @type {PocketCredentialData} */ (signIn({ baseUrl: `${pocket.origin}/nothing-here` })));
	expect(login.message).toMatch(/^Signing in failed: There is no Pocket login endpoint at .*\/nothing-here\/login \(HTTP 404\)/);
});

test('refused Base URLs: refused before any key leaves; the server listening there receives nothing', async () => {
	const refused = [
		['query string', `${pocket.url}?next=1`, /The Base URL must not contain a query string/],
		['user info', pocket.url.replace('http://', 'http://user:pw@'), /The Base URL must not contain a query string, fragment or user info/],
		['plain http to a public name', 'http://pocket.example.com/api/v1', /Refusing to send the access token over plain http to pocket\.example\.com/],
	];
	for (const [name, baseUrl, message] of /** @type {Array<[string, string, RegExp]>} */ (refused)) {
		const viaToken = await test_(`refused ${name}`, /** @type {PocketCredentialData} */ (token({ baseUrl })));
		expect({ name, ...viaToken }).toEqual({ name, status: 'Error', message: expect.stringMatching(new RegExp(`^${message.source}`)) });
		const viaSignIn = await test_(`refused ${name} (sign-in)`, /** @type {PocketCredentialData} */ (signIn({ baseUrl })));
		expect({ name, ...viaSignIn }).toEqual({ name, status: 'Error', message: expect.stringMatching(new RegExp(`^Signing in failed: ${message.source}`)) });
	}
	expect(pocket.requests).toEqual([]);
});

test('a credential saved before Authentication existed (no value) is tested as Access Token', async () => {
	const saved = await client.createCredential({ name: 'Pocket saved before the mode', baseUrl: pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	const data = /** @type {PocketCredentialData} */ ({ baseUrl: pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	const result = await client.testCredential({ id: String(saved.id), name: saved.name, data });
	expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
	expect(sends().map((r) => r.body)).toEqual([{ actions: [], consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN }]);
	expect(pocket.signIn.logins).toBe(0);
});

describe('a server with a self-signed certificate (https on loopback, certificate made by the test)', () => {
	/** @type {PocketServer} */
	let tls;
	beforeAll(async () => {
		tls = await startPocketServer({ consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, account: ACCOUNT, https: true });
	});
	afterAll(async () => await tls?.close());
	beforeEach(() => tls.reset());

	test('without "Ignore SSL Issues (Insecure)": refused, nothing received; Email and Password names the certificate', async () => {
		const viaToken = await test_('self-signed, access token', /** @type {PocketCredentialData} */ (token({ baseUrl: tls.url })));
		expect(viaToken.status).toBe('Error');
		// The Test's own request is n8n's: n8n shows the TLS error's code or text (README).
		expect(viaToken.message).toMatch(/SELF_SIGNED|self-signed certificate/);
		const data = /** @type {PocketCredentialData} */ (signIn({ baseUrl: tls.url }));
		const saved = await client.createCredential({ name: 'Pocket TLS e2e', ...data });
		const viaSignIn = await client.testCredential({ id: String(saved.id), name: saved.name, data });
		results['self-signed, email and password'] = `${viaSignIn.status}: ${viaSignIn.message}`;
		expect(viaSignIn.message).toMatch(/^Signing in failed: Could not connect securely to https:\/\/127\.0\.0\.1:\d+\/api\/v1\/login: the server's certificate is self-signed/);
		expect(viaSignIn.message).toMatch(/"Ignore SSL Issues \(Insecure\)"/);
		expect(tls.requests).toEqual([]);
	});

	test('with it: OK in both modes, after an empty batch', async () => {
		const viaToken = await test_('self-signed, ignored', /** @type {PocketCredentialData} */ (token({ baseUrl: tls.url, ignoreSSLIssues: true })));
		expect(viaToken).toEqual(expect.objectContaining({ status: 'OK' }));
		const data = /** @type {PocketCredentialData} */ (signIn({ baseUrl: tls.url, ignoreSSLIssues: true }));
		const saved = await client.createCredential({ name: 'Pocket TLS ignored e2e', ...data });
		const viaSignIn = await client.testCredential({ id: String(saved.id), name: saved.name, data });
		results['self-signed ignored, email and password'] = `${viaSignIn.status}: ${viaSignIn.message}`;
		expect(viaSignIn).toEqual(expect.objectContaining({ status: 'OK' }));
		expect(tls.signIn.logins).toBe(1);
		expect(tls.requests.filter((r) => r.path.endsWith('/send')).map((r) => /** @type {{ actions: unknown }} */ (r.body).actions)).toEqual([[], []]);
		expect(tls.liveItems()).toHaveLength(0);
	});
});
