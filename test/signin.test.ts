/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The Email and Password credential against an open-pocket style server with short-lived
 * tokens, in n8n's engine: the harness stores what preAuthentication returns with the
 * credential, as n8n does, so consecutive runs share the token like scheduled executions.
 */
import type { RunResult } from './harness/engine';
import { runWorkflow } from './harness/engine';
import { sendCalls, useServer } from './harness/pocket-fixture';
import { expectNoSecrets } from './harness/secrets';
import { ACCOUNT, CONSUMER_KEY, loadWorkflow, signInCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer({ tokenLifetimeSeconds: 600 });

const links = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => ({ link: `https://example.com/${prefix}${i}` }));

const add = (items: unknown[], credentials: ReturnType<typeof signInCredentials>, parameters = {}, settings = {}) =>
	runWorkflow(withPocket(withItems(loadWorkflow('item-add'), items), { additionalFields: {}, ...parameters }, settings), { credentials });

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The password and every token the server issued appear nowhere in what the run produced. */
const expectNoSecret = (result: RunResult) => expectNoSecrets(result, [ACCOUNT.password, CONSUMER_KEY, ...server.current.signIn.accessTokens.keys()]);

test('the first run signs in once, stores the token with the credential and sends with it', async () => {
	const credentials = signInCredentials(server.current);
	const result = await add(links(3), credentials);
	expect(result.errorMessage).toBeUndefined();
	expect(server.current.signIn.logins).toBe(1);
	expect(server.current.liveItems()).toHaveLength(3);
	const token = credentials.pocketApi.sessionToken;
	expect(server.current.signIn.accessTokens.has(token)).toBe(true);
	expect((sendCalls(server.current)[0].body as { access_token: string }).access_token).toBe(token);
	const login = server.current.requests.find((r) => r.path.endsWith('/login'));
	expect(login).toMatchObject({ contentType: 'application/json', body: { email: ACCOUNT.email, password: ACCOUNT.password } });
	expectNoSecret(result);
});

test('a token that expires between two runs is renewed before the second run sends: one extra sign-in, no 401', async () => {
	server.current.tokenLifetimeSeconds = 1;
	const credentials = signInCredentials(server.current);
	expect((await add(links(2, 'a'), credentials)).errorMessage).toBeUndefined();
	const first = credentials.pocketApi.sessionToken;
	await wait(1200);
	const second = await add(links(2, 'b'), credentials);
	expect(second.errorMessage).toBeUndefined();
	expect(server.current.signIn.logins).toBe(2);
	expect(credentials.pocketApi.sessionToken).not.toBe(first);
	expect(sendCalls(server.current)).toHaveLength(2);
	expect(server.current.liveItems()).toHaveLength(4);
	expectNoSecret(second);
});

test('a token the server stops accepting before the send (its exp still valid): 401, one sign-in, the call sent once more', async () => {
	const credentials = signInCredentials(server.current);
	expect((await add(links(1, 'warm'), credentials)).errorMessage).toBeUndefined();
	server.current.faults.push({ type: 'expire-tokens' });
	const result = await add(links(300), credentials);
	expect(result.errorMessage).toBeUndefined();
	expect(server.current.signIn.logins).toBe(2);
	// warm-up, the refused call, the same call with the new token
	expect(sendCalls(server.current)).toHaveLength(3);
	expect(server.current.liveItems()).toHaveLength(301);
	expect(server.current.applied).toHaveLength(301);
	expectNoSecret(result);
});

test('a token that expires in the middle of a large batch split into calls: the refused call is sent again, nothing twice', async () => {
	const credentials = signInCredentials(server.current);
	// The fault waits for the second call: the first passes it on to the second.
	server.current.faults.push({ type: 'status-0-all-true' }, { type: 'expire-tokens' });
	const result = await add(links(300), credentials, { options: { maxActionsPerCall: 100 } });
	expect(result.errorMessage).toBeUndefined();
	expect(server.current.signIn.logins).toBe(2);
	expect(sendCalls(server.current)).toHaveLength(4);
	expect(server.current.applied).toHaveLength(300);
	expect(new Set(server.current.applied.map((a) => a.url)).size).toBe(300);
	expect(result.output('Pocket').every((o) => o.json.success === true)).toBe(true);
});

describe('a 401 after renewal is a clear credentials error, and nothing is sent a third time', () => {
	/** A credential that already holds a token, then a server that refuses any token twice. */
	async function signedInThenRefused() {
		const credentials = signInCredentials(server.current);
		expect((await add(links(1, 'warm'), credentials)).errorMessage).toBeUndefined();
		server.current.reset();
		server.current.faults.push({ type: 'reject-credentials' }, { type: 'reject-credentials' });
		return credentials;
	}

	test('continue-on-fail off', async () => {
		const result = await add(links(3), await signedInThenRefused());
		expect(result.errorMessage).toMatch(/^The server rejected the credentials \(HTTP 401\)/);
		expect((result.error as { description?: string }).description).toMatch(/were not applied.*Check the Email, the Password and the Consumer Key/);
		expect(sendCalls(server.current)).toHaveLength(2);
		expect(server.current.signIn.logins).toBe(1);
		expect(server.current.liveItems()).toHaveLength(0);
		expectNoSecret(result);
	});

	test('continue-on-fail on: every item is an error item saying nothing was applied', async () => {
		const result = await add(links(3), await signedInThenRefused(), {}, { onError: 'continueRegularOutput' });
		const output = result.output('Pocket');
		expect(output.map((o) => o.error?.context.applied)).toEqual(['no', 'no', 'no']);
		expect(sendCalls(server.current)).toHaveLength(2);
	});

	test('a token refused right after signing in is not renewed again', async () => {
		server.current.faults.push({ type: 'reject-credentials' });
		const result = await add(links(3), signInCredentials(server.current));
		expect(result.errorMessage).toMatch(/^The server rejected the credentials \(HTTP 401\)/);
		expect(sendCalls(server.current)).toHaveLength(1);
		expect(server.current.signIn.logins).toBe(1);
	});
});

test('a wrong password fails before anything is sent, saying the sign-in failed', async () => {
	const result = await add(links(2), signInCredentials(server.current, { password: 'wrong-password-123' }));
	expect(result.errorMessage).toMatch(/^Signing in failed: The server rejected the credentials \(HTTP 401\)/);
	expect((result.error as { description?: string }).description).toMatch(/Check the Email and the Password/);
	expect(sendCalls(server.current)).toHaveLength(0);
	expect(JSON.stringify(result.run)).not.toContain('wrong-password-123');
});

test('the server down during sign-in is a connection error, not "credentials rejected"', async () => {
	const result = await add(links(1), signInCredentials(server.current, { baseUrl: 'http://127.0.0.1:9/api/v1' }));
	expect(result.errorMessage).toMatch(/^Signing in failed: Could not connect to http:\/\/127\.0\.0\.1:9\/api\/v1\/login: the connection was refused/);
	expect(result.errorMessage).not.toMatch(/rejected the credentials/);
});

test('a server without a login endpoint says so', async () => {
	const result = await add(links(1), signInCredentials(server.current, { baseUrl: `${server.current.origin}/nothing` }));
	expect(result.errorMessage).toMatch(/^Signing in failed: There is no Pocket login endpoint at .*\/nothing\/login \(HTTP 404\)/);
});

test('two executions started together after expiry both succeed', async () => {
	server.current.tokenLifetimeSeconds = 1;
	const credentials = signInCredentials(server.current);
	expect((await add(links(1, 'warm'), credentials)).errorMessage).toBeUndefined();
	await wait(1200);
	const [a, b] = await Promise.all([add(links(5, 'x'), credentials), add(links(5, 'y'), credentials)]);
	expect(a.errorMessage).toBeUndefined();
	expect(b.errorMessage).toBeUndefined();
	expect(server.current.liveItems()).toHaveLength(11);
	// Each execution renews for itself; a second sign-in does not invalidate the first token.
	expect(server.current.signIn.logins).toBeLessThanOrEqual(3);
});

test('the Access Token mode never signs in', async () => {
	const result = await runWorkflow(withItems(loadWorkflow('item-add'), links(1)), {
		credentials: { pocketApi: { baseUrl: server.current.url, consumerKey: CONSUMER_KEY, accessToken: 'at-77b2c0-SECRET-token', sessionToken: '' } },
	});
	expect(result.errorMessage).toBeUndefined();
	expect(server.current.signIn.logins).toBe(0);
});
