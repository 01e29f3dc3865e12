/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The credential: its Test (n8n's declarative test, run as n8n's CLI runs it), where credentials
 * travel, and which base URLs are safe.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IAuthenticateRuleResponseCode, INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { PocketApi } from '../credentials/PocketApi.credentials';
import { runWorkflow, testCredential } from './harness/engine';
import { sendCalls, useServer } from './harness/pocket-fixture';
import { ACCESS_TOKEN, ACCOUNT, CONSUMER_KEY, loadWorkflow, pocketCredentials, signInCredentials, withItems } from './harness/workflows';

const server = useServer();

const credential = (overrides: Record<string, string | boolean> = {}) => ({
	baseUrl: server.current.url,
	consumerKey: CONSUMER_KEY,
	accessToken: ACCESS_TOKEN,
	...overrides,
});

/** The Test's message n8n shows for a status: the rule's (the node's words), if there is one. */
const ruleFor = (status: number) =>
	(new PocketApi().test.rules as IAuthenticateRuleResponseCode[]).find((r) => r.properties.value === status)?.properties.message;

/**
 * n8n applies the Test's status rules only where its errors keep their cause (n8n 2.41 does;
 * n8n-workflow 1.x and the 2.8 the in-process engine runs drop an Error cause, and n8n shows its
 * own words for the status). The engine this file runs on decides which the user sees.
 */
const engineKeepsCause = new NodeOperationError({ name: 'probe' } as INode, new Error('probe')).cause !== undefined;

const servePage = async (body: string) => {
	const page = createServer((_req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html' });
		res.end(body);
	});
	await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
	return { port: (page.address() as AddressInfo).port, close: () => page.close() };
};

describe("the Test's rules speak the node's words", () => {
	test.each([
		[
			401,
			/^The server rejected the credentials \(HTTP 401\)\. The test sent an empty batch, which changes nothing\. With Access Token, check the Access Token and the Consumer Key\. With Email and Password, signing in has just worked, so check the Consumer Key\.$/,
		],
		[403, /^The server denied access \(HTTP 403\)/],
		[404, /^There is no Pocket send endpoint at \{Base URL\}\/send \(HTTP 404\)\. .*Check the Base URL/],
	])('HTTP %s', (status, message) => {
		expect(ruleFor(status)).toMatch(message);
	});

	// n8n picks a rule by status alone, in both modes: in Email and Password mode the empty batch
	// is sent only after a sign-in that worked, and it carries no action.
	test('each rule words what the Test did: no action to apply, no sign-in to doubt', () => {
		for (const rule of new PocketApi().test.rules as IAuthenticateRuleResponseCode[]) {
			expect(rule.properties.message).toMatch(/The test sent an empty batch, which changes nothing\./);
			expect(rule.properties.message).not.toMatch(/None of the actions|were applied/);
			expect(rule.properties.message).not.toMatch(/check the Email|the Password/i);
		}
	});
});

describe('the dialog: Authentication first, each mode with its own servers; saved credentials unchanged', () => {
	const properties = new PocketApi().properties;
	/** What n8n makes of stored credential data (CredentialsHelper.applyDefaultsAndOverwrites): n8n-workflow's own defaults. */
	const asN8nReads = (data: INodeParameters) => NodeHelpers.getNodeParameters(properties, data, true, false, null, null) ?? {};
	/** The properties the dialog shows for these values (n8n-workflow's own display rules). */
	const shown = (data: INodeParameters) => {
		const values = asN8nReads(data);
		return properties.filter((p) => NodeHelpers.displayParameter(values, p, null, null)).map((p) => [p.name, p.placeholder ?? p.type]);
	};

	test('a credential saved before Authentication existed (no value) still means Access Token, with its Base URL', () => {
		const saved = { baseUrl: 'https://bridge.example.com/v3', consumerKey: 'ck', accessToken: 'at' };
		expect(asN8nReads(saved)).toMatchObject({ authentication: 'accessToken', ...saved, ignoreSSLIssues: false });
	});

	test('Authentication comes first; each mode shows the Base URL of its own servers', () => {
		expect(properties[0].name).toBe('authentication');
		expect(shown({}).slice(0, 2)).toEqual([
			['authentication', 'options'],
			['baseUrl', 'e.g. https://bridge.example.com/v3'],
		]);
		expect(shown({ authentication: 'emailPassword' }).slice(0, 2)).toEqual([
			['authentication', 'options'],
			['baseUrl', 'e.g. https://pocket.example.com/api/v1'],
		]);
		// One value for both: switching the mode keeps the typed URL.
		expect(asN8nReads({ authentication: 'emailPassword', baseUrl: 'https://pocket.example.com/api/v1' }).baseUrl).toBe('https://pocket.example.com/api/v1');
	});

	test('an /api/v1 Base URL with Access Token shows the notice that points to Email and Password', () => {
		const notice = (data: INodeParameters) => shown(data).some(([name]) => name === 'serverKindNotice');
		expect(notice({ baseUrl: 'https://pocket.example.com/api/v1' })).toBe(true);
		expect(notice({ baseUrl: 'https://bridge.example.com/v3' })).toBe(false);
		expect(notice({ authentication: 'emailPassword', baseUrl: 'https://pocket.example.com/api/v1' })).toBe(false);
	});
});

describe('credential test (as n8n runs it)', () => {
	test('passes for good credentials, with an empty batch that changes nothing', async () => {
		const result = await testCredential('pocketApi', credential());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sendCalls(server.current).map((c) => c.body)).toEqual([
			{ actions: [], consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN },
		]);
		expect(server.current.state.items).toEqual({});
	});

	test('tolerates a trailing slash or a pasted /send in the base URL', async () => {
		for (const baseUrl of [`${server.current.url}/`, `${server.current.url}/send`, `${server.current.origin}/v3`]) {
			expect((await testCredential('pocketApi', credential({ baseUrl }))).status).toBe('OK');
		}
	});

	test('fails clearly for a wrong token, without repeating it', async () => {
		const result = await testCredential('pocketApi', credential({ accessToken: 'wrong-token-value' }));
		expect(result).toEqual({ status: 'Error', message: engineKeepsCause ? ruleFor(401) : 'Authorization failed - please check your credentials' });
		expect(result.message).not.toContain('wrong-token-value');
	});

	test('fails clearly for a base URL without the API (404)', async () => {
		const result = await testCredential('pocketApi', credential({ baseUrl: `${server.current.origin}/nothing-here` }));
		expect(result).toEqual({ status: 'Error', message: engineKeepsCause ? ruleFor(404) : 'The resource you are requesting could not be found' });
	});

	test('measured limit: a base URL that answers with an HTML page passes (n8n checks the status only)', async () => {
		const page = await servePage('<html><body>Welcome to my blog</body></html>');
		try {
			const result = await testCredential('pocketApi', credential({ baseUrl: `http://127.0.0.1:${page.port}` }));
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		} finally {
			page.close();
		}
	});
});

describe('credential test in Email and Password mode: n8n signs in first, each failure named', () => {
	const signIn = (overrides: Record<string, string> = {}) => signInCredentials(server.current, overrides).pocketApi;

	test('signs in, then sends an empty batch with the new token, changing nothing', async () => {
		const result = await testCredential('pocketApi', signIn());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(server.current.signIn.logins).toBe(1);
		const [call] = sendCalls(server.current);
		expect(call.body).toEqual({ actions: [], consumer_key: CONSUMER_KEY, access_token: [...server.current.signIn.accessTokens.keys()][0] });
		expect(server.current.state.items).toEqual({});
	});

	test('a wrong email or password: the sign-in step failed, nothing else was tried', async () => {
		const result = await testCredential('pocketApi', signIn({ password: 'not-the-password' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Signing in failed: The server rejected the credentials \(HTTP 401\)\. .*Check the Email and the Password/);
		expect(result.message).not.toContain('not-the-password');
		expect(sendCalls(server.current)).toHaveLength(0);
	});

	test('a wrong consumer key: signed in, then the empty batch is refused; the message does not doubt the sign-in', async () => {
		const result = await testCredential('pocketApi', signIn({ consumerKey: 'wrong-consumer-key' }));
		// n8n's own 401 path signs in once more and resends the empty batch once.
		expect(server.current.signIn.logins).toBe(2);
		expect(sendCalls(server.current).map((c) => c.body)).toEqual([expect.objectContaining({ actions: [] }), expect.objectContaining({ actions: [] })]);
		expect(result).toEqual({ status: 'Error', message: engineKeepsCause ? ruleFor(401) : 'Authorization failed - please check your credentials' });
		expect(result.message).not.toMatch(/check the Email|None of the actions/i);
	});

	test('no login endpoint at this Base URL (404)', async () => {
		const result = await testCredential('pocketApi', signIn({ baseUrl: `${server.current.origin}/v2` }));
		expect(result.message).toMatch(/^Signing in failed: There is no Pocket login endpoint at .*\/v2\/login \(HTTP 404\)/);
	});

	test('a Base URL that answers with a page that is not an API', async () => {
		const page = await servePage('<html><body>Welcome</body></html>');
		try {
			const result = await testCredential('pocketApi', signIn({ baseUrl: `http://127.0.0.1:${page.port}/api/v1` }));
			expect(result.message).toMatch(/^Signing in failed: The server answered with an HTML page instead of a sign-in result/);
			expect(result.message).not.toContain(ACCOUNT.password);
		} finally {
			page.close();
		}
	});
});

describe("the credential test applies the node's Base URL rules before any request", () => {
	test.each([
		['plain http to a public host', 'http://pocket.example.com/api/v1', /^Refusing to send the access token over plain http to pocket\.example\.com/],
		['a name that only starts like a private address', 'http://10.attacker.example/api/v1', /^Refusing to send the access token over plain http to 10\.attacker\.example/],
	])('%s is refused', async (_name, baseUrl, message) => {
		const result = await testCredential('pocketApi', credential({ baseUrl }));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(message) });
	});

	// The listening test server is the refused address: it must receive nothing.
	test.each([
		['a query string', (url: string) => `${url}?access_token=x`, /^The Base URL must not contain a query string/],
		['user info', (url: string) => url.replace('http://', 'http://user:pw@'), /^The Base URL must not contain a query string, fragment or user info/],
	])('%s is refused, and the server at that address receives nothing', async (_name, baseUrlOf, message) => {
		const baseUrl = baseUrlOf(server.current.url);
		expect(await testCredential('pocketApi', credential({ baseUrl }))).toEqual({ status: 'Error', message: expect.stringMatching(message) });
		expect(await testCredential('pocketApi', signInCredentials(server.current, { baseUrl }).pocketApi)).toEqual({
			status: 'Error',
			message: expect.stringMatching(new RegExp(`^Signing in failed: ${message.source.slice(1)}`)),
		});
		expect(server.current.requests).toHaveLength(0);
	});
});

describe('base URL safety, enforced by the node before anything is sent', () => {
	const add = (credentials: Record<string, string | boolean>) =>
		runWorkflow(withItems(loadWorkflow('item-add'), [{ link: 'https://example.com/a' }]), {
			credentials: pocketCredentials(server.current, credentials),
		});

	test('plain http to a public host is refused with a clear message', async () => {
		const result = await add({ baseUrl: 'http://pocket.example.com/api/v1' });
		expect(result.errorMessage).toBe('Refusing to send the access token over plain http to pocket.example.com');
		expect((result.error as { description?: string }).description).toMatch(/Allow Unencrypted HTTP \(Unsafe\)/);
	});

	test('credentials in the URL are refused', async () => {
		const result = await add({ baseUrl: `${server.current.url}?access_token=${ACCESS_TOKEN}` });
		expect(result.errorMessage).toBe('The Base URL must not contain a query string, fragment or user info');
		expect(JSON.stringify(result.run)).not.toContain(ACCESS_TOKEN);
		expect(sendCalls(server.current)).toHaveLength(0);
	});

	test('loopback http is allowed, and the opt-in allows a public http host', async () => {
		expect((await add({})).errorMessage).toBeUndefined();
		expect(server.current.liveItems()).toHaveLength(1);
		// The opt-in passes the check; the name does not resolve here, which the node reports as such.
		const optedIn = await add({ baseUrl: 'http://pocket.invalid/api/v1', allowUnencryptedHttp: true });
		expect(optedIn.errorMessage).toMatch(/^Could not reach http:\/\/pocket\.invalid\/api\/v1\/send/);
	});
});
