/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * A self-hosted server with a self-signed certificate: the test server serves https on
 * loopback with one, made in the test. Without "Ignore SSL Issues (Insecure)" every request of
 * the node, the trigger, the sign-in and the credential Test fails before anything is sent,
 * naming the certificate problem; with it they work; plain http stays refused either way.
 */
import { X509Certificate } from 'node:crypto';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { ActiveRun } from './harness/engine';
import { activate, runWorkflow, testCredential } from './harness/engine';
import { sendCalls, useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials, signInCredentials, withItems, withPocket } from './harness/workflows';
import { cryptoCertificate, opensslCertificate } from './server/certificate';

const server = useServer({ https: true });

const IGNORE = { ignoreSSLIssues: true };
const accessToken = (overrides: ICredentialDataDecryptedObject = {}) => pocketCredentials(server.current, overrides);
const emailPassword = (overrides: ICredentialDataDecryptedObject = {}) => signInCredentials(server.current, overrides);

const ITEMS = [{ link: 'https://example.com/a', categories: 'x' }];
const add = (credentials: Record<string, ICredentialDataDecryptedObject>, parameters: INodeParameters = {}) =>
	runWorkflow(withPocket(withItems(loadWorkflow('item-add'), ITEMS), parameters), { credentials });
const getMany = (credentials: Record<string, ICredentialDataDecryptedObject>) => runWorkflow(loadWorkflow('item-get-many'), { credentials });

const SELF_SIGNED = /Could not connect securely to https:\/\/127\.0\.0\.1:\d+\/api\/v1\/(send|get|add|login): the server's certificate is self-signed/;

describe('the self-signed certificate the test makes', () => {
	test.each([
		['openssl', () => opensslCertificate('127.0.0.1')],
		['node:crypto', () => cryptoCertificate('127.0.0.1')],
	])('%s: a certificate for 127.0.0.1 that signs itself, and a TLS client refuses it as self-signed', async (_name, make) => {
		const made = make();
		if (made === undefined) return; // openssl not installed: the node:crypto case still runs.
		const certificate = new X509Certificate(made.cert);
		expect(certificate.subjectAltName).toBe('IP Address:127.0.0.1');
		expect(certificate.checkIssued(certificate)).toBe(true);
		expect(certificate.verify(certificate.publicKey)).toBe(true);
		const tls = createServer(made, (_req, res) => res.end('ok'));
		await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
		const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`;
		const get = (options: { ca?: string }) =>
			new Promise<string>((resolve) => {
				const req = request(url, options, (res) => {
					res.resume();
					resolve(`HTTP ${res.statusCode}`);
				});
				req.on('error', (e: NodeJS.ErrnoException) => resolve(String(e.code)));
				req.end();
			});
		try {
			// Refused as self-signed, and accepted once trusted: valid for this address and date.
			expect(await get({})).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
			expect(await get({ ca: made.cert })).toBe('HTTP 200');
		} finally {
			tls.close();
		}
	});
});

describe('without "Ignore SSL Issues (Insecure)": refused before anything is sent, the certificate named', () => {
	test.each([
		['Add (/send)', () => add(accessToken())],
		['Add through /add', () => add(accessToken(), { options: { tagLanding: 'addEndpoint' } })],
		['Get Many (/get)', () => getMany(accessToken())],
	])('%s', async (_name, run) => {
		const result = await run();
		expect(result.errorMessage).toMatch(SELF_SIGNED);
		const description = String((result.error as { description?: string }).description);
		expect(description).toMatch(/"Ignore SSL Issues \(Insecure\)" in the Pocket API credential/);
		expect(description).toMatch(/NODE_EXTRA_CA_CERTS/);
		// The handshake failed, so the server received no request at all.
		expect(server.current.requests).toEqual([]);
		expect(server.current.liveItems()).toEqual([]);
	});

	test('Email and Password: the sign-in is refused the same way, nothing sent', async () => {
		const result = await add(emailPassword());
		expect(result.errorMessage).toMatch(/^Signing in failed: Could not connect securely to https:\/\/127\.0\.0\.1:\d+\/api\/v1\/login: the server's certificate is self-signed/);
		expect(server.current.requests).toEqual([]);
	});

	test('the trigger: activation goes ahead (issue 18.3), and the next poll fails with the same words', async () => {
		const active = await activate(loadWorkflow('trigger-events'), { credentials: accessToken() });
		try {
			expect(active.first.errors).toEqual({});
			const failed = await active.poll();
			expect(failed.errors['Item Saved']?.message).toMatch(SELF_SIGNED);
			expect(server.current.requests).toEqual([]);
		} finally {
			await active.deactivate();
		}
	});
});

describe('with "Ignore SSL Issues (Insecure)": every request works', () => {
	test('Add (/send), Add through /add and Get Many (/get)', async () => {
		expect((await add(accessToken(IGNORE))).errorMessage).toBeUndefined();
		expect((await add(accessToken(IGNORE), { options: { tagLanding: 'addEndpoint' } })).errorMessage).toBeUndefined();
		const read = await getMany(accessToken(IGNORE));
		expect(read.errorMessage).toBeUndefined();
		expect(read.output('Pocket').map((o) => o.json.url)).toEqual(['https://example.com/a']);
		expect(server.current.liveItems().map((i) => [i.given_url, i.tags])).toEqual([['https://example.com/a', ['x']]]);
		expect(new Set(server.current.requests.map((r) => r.path))).toEqual(new Set(['/api/v1/send', '/api/v1/add', '/api/v1/get']));
	});

	test('Email and Password: signs in over the same connection settings', async () => {
		expect((await add(emailPassword(IGNORE))).errorMessage).toBeUndefined();
		expect(server.current.signIn.logins).toBe(1);
		expect(server.current.liveItems()).toHaveLength(1);
	});

	describe('the trigger', () => {
		let active: ActiveRun | undefined;
		afterEach(async () => await active?.deactivate());
		test('polls', async () => {
			active = await activate(loadWorkflow('trigger-events'), { credentials: accessToken(IGNORE) });
			expect(server.current.requests.filter((r) => r.path.endsWith('/get')).length).toBeGreaterThan(0);
		});
	});
});

describe("the credential's Test over https", () => {
	test('with the option: OK for both modes, after an empty batch', async () => {
		expect(await testCredential('pocketApi', accessToken(IGNORE).pocketApi)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testCredential('pocketApi', emailPassword(IGNORE).pocketApi)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sendCalls(server.current).map((c) => (c.body as IDataObject).actions)).toEqual([[], []]);
	});

	test('without it: Email and Password names the certificate (the sign-in is the node\'s); Access Token gets n8n\'s words', async () => {
		const signIn = await testCredential('pocketApi', emailPassword().pocketApi);
		expect(signIn.message).toMatch(/^Signing in failed: Could not connect securely to .*: the server's certificate is self-signed/);
		expect(signIn.message).toMatch(/Ignore SSL Issues \(Insecure\)/);
		// The Test's own request is n8n's, and so are its words: the TLS error's text or code (README).
		const token = await testCredential('pocketApi', accessToken().pocketApi);
		expect(token).toEqual({ status: 'Error', message: expect.stringMatching(/^(self-signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT)$/) });
		expect(server.current.requests).toEqual([]);
	});
});

test('the option never allows plain http to a public host: the keys still stay home', async () => {
	const result = await add(accessToken({ ...IGNORE, baseUrl: 'http://pocket.example.com/api/v1' }));
	expect(result.errorMessage).toBe('Refusing to send the access token over plain http to pocket.example.com');
	const tested = await testCredential('pocketApi', accessToken({ ...IGNORE, baseUrl: 'http://pocket.example.com/api/v1' }).pocketApi);
	expect(tested.message).toMatch(/^Refusing to send the access token over plain http to pocket\.example\.com/);
});
