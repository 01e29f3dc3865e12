/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * Issue 19, the second adversarial review: one block per finding (1, 9, 12, 13, 15, 16, 17).
 * Each test failed on the node before its fix and passes now. Workflow tests run in n8n's engine
 * against the Pocket test server or a bare `node:http` server on loopback, and assert on what
 * the servers received and hold afterwards.
 */
import type { IDataObject, NodeParameterValueType } from 'n8n-workflow';

import { compileRules, countedMatch, matchRules, words } from '../nodes/Pocket/actions/tagging';
import { readRateLimit, announcedWait } from '../nodes/Pocket/transport/response';
import { redactBody, redactHeaders, redactText, secretsOf } from '../nodes/Pocket/transport/secrets';
import { runWorkflow } from './harness/engine';
import { sendCalls, useServer } from './harness/pocket-fixture';
import { rawServer } from './harness/raw-server';
import { expectNoSecrets } from './harness/secrets';
import { loadWorkflow, pocketCredentials, signInCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

const descriptionOf = (result: { error?: unknown }) => (result.error as { description?: string } | undefined)?.description ?? '';

function addLinks(parameters: Record<string, NodeParameterValueType> = {}, items: IDataObject[] = [{ link: 'https://example.com/0' }]) {
	return withPocket(withItems(loadWorkflow('item-add'), items), { additionalFields: {}, options: {}, ...parameters });
}

// ---------------------------------------------------------------------------------------------

describe('finding 1: no number a server sends can stretch a wait past Max Wait', () => {
	const negativeReset = { type: 'http', status: 429, headers: { 'X-Limit-User-Remaining': '0', 'X-Limit-User-Reset': '-100000' } } as const;
	const retryAfter6 = { type: 'http', status: 429, headers: { 'Retry-After': '6' } } as const;

	test('numbers out of their range count as not sent: negative or fractional counts, negative waits', () => {
		const headers = { 'x-limit-user-remaining': '-3', 'x-limit-user-limit': '2.5', 'x-limit-user-reset': '-100000', 'x-limit-key-remaining': '0', 'x-limit-key-reset': 'NaN' };
		expect(readRateLimit(headers)).toEqual({ user: undefined, key: { limit: undefined, remaining: 0, resetSeconds: undefined } });
		const answer = (h: Record<string, string>) => ({ statusCode: 429, headers: h, body: '' });
		expect(announcedWait(answer({ 'retry-after': '-6' }), undefined, 0)).toBeUndefined();
		expect(announcedWait(answer({ 'retry-after': '-1' }), undefined, Date.parse('2026-01-01'))).toBeUndefined();
		expect(announcedWait(answer({ 'retry-after': 'Thu, 01 Jan 2026 00:00:00 GMT' }), undefined, Date.parse('2026-01-02'))).toBe(0);
		expect(announcedWait(answer({ 'x-limit-user-remaining': '0', 'x-limit-user-reset': '-100000' }), readRateLimit({ 'x-limit-user-remaining': '0', 'x-limit-user-reset': '-100000' }), 0)).toBeUndefined();
	});

	test('/send: a reset of -100000 s, then Retry-After: 6 with Max Wait 1 s: gives up, nothing applied', async () => {
		server.current.faults.push(negativeReset, retryAfter6);
		const started = Date.now();
		const result = await runWorkflow(addLinks({ options: { maxWait: 1 } }), { credentials: pocketCredentials(server.current) });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(sendCalls(server.current)).toHaveLength(2);
		expect(server.current.applied).toEqual([]);
		expect(descriptionOf(result)).toMatch(/beyond Max Wait \(1 s\)/);
	});

	test('/get: the same answers with Max Wait 1 s: gives up after two reads', async () => {
		server.current.faults.push(negativeReset, retryAfter6);
		const started = Date.now();
		const workflow = withPocket(withItems(loadWorkflow('item-get-many'), [{}]), { options: { maxWait: 1 } });
		const result = await runWorkflow(workflow, { credentials: pocketCredentials(server.current) });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(server.current.requests.filter((r) => r.path.endsWith('/get'))).toHaveLength(2);
		expect(descriptionOf(result)).toMatch(/beyond Max Wait \(1 s\)/);
	});

	test('/login: the same answers within its own 4 s bound: two sign-in attempts, no 6 s wait', async () => {
		let logins = 0;
		const login = await rawServer((_req, res) => {
			logins++;
			res.writeHead(429, logins === 1 ? { 'X-Limit-User-Remaining': '0', 'X-Limit-User-Reset': '-100000' } : { 'Retry-After': '6' });
			res.end();
		});
		const started = Date.now();
		const result = await runWorkflow(addLinks(), { credentials: signInCredentials(server.current, { baseUrl: `${login.origin}/api/v1` }) });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(login.received.map((r) => r.url)).toEqual(['/api/v1/login', '/api/v1/login']);
		expect(result.errorMessage).toMatch(/^Signing in failed: The server refused the call because the rate limit is used up/);
	});
});

describe('finding 9: an answer nested 10,000 levels deep is a clear protocol error, read once', () => {
	const deep = (inner: string) => `${'['.repeat(10_000)}${inner}${']'.repeat(10_000)}`;

	test('Get Many: one read, no retry, no "lost connection"', async () => {
		const get = await rawServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(`{"status":1,"list":{"1":{"item_id":"1","given_url":"https://example.com/a\\/b","deep":${deep('"x\\\\y"')}}}}`);
		});
		const workflow = withPocket(withItems(loadWorkflow('item-get-many'), [{}]), {});
		const result = await runWorkflow(workflow, { credentials: pocketCredentials({ url: `${get.origin}/api/v1` }) });
		expect(get.received.map((r) => r.url)).toEqual(['/api/v1/get']);
		expect(result.errorMessage).toBe("The server's answer nested its values more than 64 levels deep, far beyond any Pocket answer, and was not read");
	});

	test('/send: the same', async () => {
		const send = await rawServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(`{"status":1,"action_results":[true],"x":${deep('"\\\\"')}}`);
		});
		const result = await runWorkflow(addLinks({ options: { resendAfterTimeout: true } }), { credentials: pocketCredentials({ url: `${send.origin}/api/v1` }) });
		expect(send.received.map((r) => r.url)).toEqual(['/api/v1/send']);
		expect(result.errorMessage).toMatch(/^The server's answer nested its values more than 64 levels deep/);
		expect(descriptionOf(result)).toMatch(/may or may not have been applied/);
	});
});

describe('finding 12: the answer cap grows with what was sent', () => {
	test('an add with 100,000 tags and a 1 MB title is saved and answered', async () => {
		const tags = Array.from({ length: 100_000 }, (_, i) => `tag-${i}`);
		const title = 'T'.repeat(1024 * 1024);
		const parameters = { additionalFields: { tags: '={{ $json.categories }}', title: '={{ $json.title }}' } };
		const result = await runWorkflow(addLinks(parameters, [{ link: 'https://example.com/big', categories: tags, title }]), {
			credentials: pocketCredentials(server.current),
		});
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Pocket')[0].json.success).toBe(true);
		expect(server.current.applied).toHaveLength(1);
	});
});

describe('finding 13: every plausible spelling of a secret is masked, short ones included', () => {
	const password = 'p@ss word/+*!é~';
	const token = 'tok.en-77b2c0';
	const secrets = secretsOf([password, token, 'ab', undefined]);
	const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
	const spellings = (s: string) => [
		s,
		encodeURIComponent(s),
		encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
		encodeURIComponent(s).replace(/%20/g, '+'),
		new URLSearchParams({ s }).toString().slice(2),
		encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
		encodeURI(s),
		b64(s),
		b64(s).replace(/=+$/, ''),
		Buffer.from(s).toString('base64url'),
		s.replace(/&/g, '&amp;'),
	];

	test.each([password, token])('%s in each spelling, in a header and in a text body', (secret) => {
		for (const spelled of spellings(secret)) {
			expect({ spelled, clean: redactText(`echo: ${spelled} end`, secrets) }).toEqual({ spelled, clean: 'echo: [redacted] end' });
			expect(redactHeaders({ 'x-error': `bad ${spelled}` }, secrets)).toEqual({ 'x-error': 'bad [redacted]' });
		}
	});

	test('inside a longer base64 text (Basic auth of email:password), at any offset', () => {
		for (const prefix of ['', 'a', 'ab', 'abc', 'reader@pocket.test:']) {
			const basic = b64(`${prefix}${password}`);
			const clean = redactText(`Authorization: Basic ${basic}`, secrets);
			expect(Buffer.from(clean.slice('Authorization: Basic '.length).replace('[redacted]', ''), 'base64').toString('utf8')).not.toContain(password.slice(2, -2));
			expect(clean).toContain('[redacted]');
		}
	});

	test('a secret of 1 to 3 characters is masked too, inside JSON values without breaking the JSON', () => {
		const short = secretsOf(['7', 'ab', 'n']);
		expect(redactText('grab 7 things', short)).toBe('gr[redacted] [redacted] thi[redacted]gs');
		const body = '{"status":1,"n":null,"list":{"17":{"item_id":"17","title":"ab cd","count":27}}}';
		const clean = JSON.parse(redactBody(body, short)) as IDataObject;
		expect(JSON.stringify(clean)).not.toMatch(/7|ab/);
		expect(clean.status).toBe(1);
	});

	test('a numeric password of 4+ digits inside a number keeps the JSON valid and is masked', () => {
		const numeric = secretsOf(['2024']);
		const clean = redactBody('{"status":1,"since":1702024000,"x":"pin 2024"}', numeric);
		expect(JSON.parse(clean)).toEqual({ status: 1, since: '170[redacted]000', x: 'pin [redacted]' });
	});

	test('in a workflow: a server echoing the password form-encoded and base64-encoded, and a 3-character token', async () => {
		const echo = await rawServer((req, res, body) => {
			if (req.url?.endsWith('/login')) {
				const { password: sent } = JSON.parse(body) as { password: string };
				res.writeHead(401, { 'X-Error': `Bad password ${new URLSearchParams({ p: sent }).toString().slice(2)} (${b64(sent)})` });
				res.end();
			}
		});
		const result = await runWorkflow(addLinks(), {
			credentials: signInCredentials({ url: `${echo.origin}/api/v1` }, { password, baseUrl: `${echo.origin}/api/v1` }),
		});
		expect(result.errorMessage).toContain('Bad password [redacted] ([redacted])');
		expectNoSecrets(result, spellings(password));
	});

	test('the README says what happens to short secrets', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const readme = (require('node:fs') as typeof import('node:fs')).readFileSync(`${__dirname}/../README.md`, 'utf8');
		expect(readme).toMatch(/shorter than 4 characters/);
	});
});

/** Whether a rule of `matches` tags an entry whose title is `text`. */
function tagOf(matches: string, text: string): boolean {
	const rules = compileRules([{ tag: 't', matches }]);
	if (!rules.ok) throw new Error(rules.failure);
	return matchRules(rules.value, [text]).length > 0;
}

describe('finding 15: tag rules match normalised text on real word boundaries', () => {

	test.each([
		['stanbul', 'İstanbul', false],
		['istanbul', 'İSTANBUL', true],
		['İstanbul', 'istanbul', true],
		['काम', 'कुमार', false],
		['काम', 'आज काम है', true],
		['كتب', 'كَتَبَ الولد', true],
		['café', 'cafe\u0301 au lait', true],
		['cafe\u0301', 'café', true],
		['strasse', 'Straße', true],
		['ﬁle', 'file', true],
		['σοφος', 'ΣΟΦΟΣ', true],
		['σοφοσ', 'σοφος', true],
		['e', 'cafe\u0301', false],
	])('"%s" in "%s": %s', (rule, text, expected) => {
		expect(tagOf(rule, text)).toBe(expected);
	});

	test('combining marks do not split a word', () => {
		expect(words('cafe\u0301 कुमार')).toEqual(['café', 'कुमार']);
	});
});

describe('finding 16: a rule\'s symbols are part of it', () => {
	test.each([
		['c++', 'Vitamin C', false],
		['c++', 'C# and F#', false],
		['c++', 'Modern C++ in 2026', true],
		['c#', 'learning C# today', true],
		['c#', 'C++', false],
		['.net', 'ASP.NET Core on .NET 8', true],
		['node.js', 'Node.js 24', true],
		['node', 'Node.js 24', true],
		['github', 'Trending on GitHub.com', true],
		['don\'t', 'Don’t panic', true],
		['type script', 'Type-Script', true],
		['go', 'Google', false],
	])('"%s" in "%s": %s', (rule, text, expected) => {
		expect(tagOf(rule, text)).toBe(expected);
	});
});

describe('finding 17: phrase and text length are bounded', () => {
	test('a phrase of more than 32 words is refused with a clear error', () => {
		const long = Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ');
		expect(compileRules([{ tag: 'x', matches: long }])).toEqual({ ok: false, failure: 'Tag rule 1 (tag "x"): a phrase has 33 words; at most 32 are matched' });
	});

	test('only the first 10,000 words of a text are read: 10,000-word phrases cannot make one entry take seconds', () => {
		const rules = compileRules([{ tag: 'x', matches: Array.from({ length: 32 }, () => 'a').join(' ') }]);
		if (!rules.ok) throw new Error(rules.failure);
		const started = Date.now();
		const counted = countedMatch(rules.value, ['a '.repeat(100_000)]);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(counted.words).toBe(10_000);
		expect(counted.steps).toBeLessThanOrEqual(10_000 * 32);
	});
});
