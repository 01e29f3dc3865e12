/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * Issue 20 (15): "Ignore SSL Issues (Insecure)" against a real TLS server with a self-signed
 * certificate, made for the test with openssl: the test server behind an https front. Without
 * the option the node and the credential Test fail with a clear message and nothing reaches the
 * server; with it both work. Plain http keeps its own rules.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { Server } from 'node:https';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runWorkflow, testCredential } from './harness/engine';
import { sendCalls, useServer } from './harness/pocket-fixture';
import { ACCESS_TOKEN, CONSUMER_KEY, loadWorkflow, pocketCredentials, signInCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();
let front: Server;
let frontUrl: string;

/** A self-signed certificate for 127.0.0.1, as `openssl req -x509` makes one. */
function selfSigned(): { key: Buffer; cert: Buffer } {
	const dir = mkdtempSync(path.join(tmpdir(), 'pocket-tls-'));
	const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
	return { key: readFileSync(key), cert: readFileSync(cert) };
}

beforeAll(async () => {
	// Every request passes through to the test server as it came.
	front = https.createServer(selfSigned(), (req, res) => {
		const target = new URL(server.current.url);
		const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
	frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}/api/v1`;
});

afterAll(async () => await new Promise((resolve) => front.close(resolve)));

const LINK = 'https://example.com/over-tls';
const credentials = (ignoreSslIssues: boolean) => pocketCredentials({ url: frontUrl }, { ignoreSslIssues });
const addOverTls = (ignoreSslIssues: boolean) =>
	runWorkflow(withPocket(withItems(loadWorkflow('item-add'), [{ link: LINK }]), { additionalFields: {} }), { credentials: credentials(ignoreSslIssues) });

test('without the option: a clear message naming the certificate and the option, nothing reaches the server', async () => {
	const result = await addOverTls(false);
	expect(result.errorMessage).toMatch(/^Could not reach https:\/\/127\.0\.0\.1:\d+\/api\/v1\/send: its TLS certificate is not trusted \(self-signed, expired, or for another name\), so nothing was sent\. .*"Ignore SSL Issues \(Insecure\)"/);
	expect(sendCalls(server.current)).toHaveLength(0);
	expect(server.current.liveItems()).toEqual([]);
});

test('with "Ignore SSL Issues (Insecure)": Add is applied over https', async () => {
	const result = await addOverTls(true);
	expect(result.errorMessage).toBeUndefined();
	expect(server.current.liveItems().map((i) => i.given_url)).toEqual([LINK]);
	expect(sendCalls(server.current)[0].body).toEqual(expect.objectContaining({ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN }));
});

test('Email and Password: signing in goes through the same choice, and Add is applied', async () => {
	const result = await runWorkflow(withPocket(withItems(loadWorkflow('item-add'), [{ link: LINK }]), { additionalFields: {} }), {
		credentials: signInCredentials({ url: frontUrl }, { ignoreSslIssues: true }),
	});
	expect(result.errorMessage).toBeUndefined();
	expect(server.current.requests.map((r) => r.path)).toEqual(['/api/v1/login', '/api/v1/send']);
	expect(server.current.liveItems().map((i) => i.given_url)).toEqual([LINK]);
});

test("the credential Test: fails without the option, passes with it", async () => {
	const data = (ignoreSslIssues: boolean) => credentials(ignoreSslIssues).pocketApi;
	expect(await testCredential('pocketApi', data(false))).toEqual({ status: 'Error', message: expect.stringMatching(/SELF_SIGNED|self[- ]signed/i) });
	expect(await testCredential('pocketApi', data(true))).toEqual({ status: 'OK', message: 'Connection successful!' });
});

test('the option does not open plain http: a public http Base URL is still refused before anything is sent', async () => {
	const result = await runWorkflow(withPocket(withItems(loadWorkflow('item-add'), [{ link: LINK }]), { additionalFields: {} }), {
		credentials: pocketCredentials({ url: 'http://pocket.example.com/api/v1' }, { ignoreSslIssues: true }),
	});
	expect(result.errorMessage).toMatch(/^Refusing to send the access token over plain http to pocket\.example\.com/);
});
