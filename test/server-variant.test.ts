/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The test server's kinds (test/server/server-kind.ts), spoken to over plain HTTP: the open-pocket
 * style server that issue 18 found (send-`add` drops tags, `/add` keeps them, URLs duplicate, `/get`
 * refuses numeric `since` and ignores filters), and `/add` on the Pocket-like default.
 */
import { seedItem, useServer } from './harness/pocket-fixture';
import { ACCESS_TOKEN, ACCOUNT, CONSUMER_KEY } from './harness/workflows';
import type { PocketServer } from './server/pocket-server';
import { startPocketServer } from './server/pocket-server';
import type { ServerKind } from './server/server-kind';

const server = useServer();

interface Answer {
	status: number;
	headers: Headers;
	body: unknown;
}

async function post(endpoint: string, body: Record<string, unknown>, on: PocketServer = server.current): Promise<Answer> {
	const res = await fetch(`${on.url}${endpoint}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN, ...body }),
	});
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// A text answer (401) stays text.
	}
	return { status: res.status, headers: res.headers, body: parsed };
}

const sendActions = (...actions: Array<Record<string, unknown>>) => post('/send', { actions });

/** The items the server stored, without the fields a test does not choose (ids' times). */
const stored = () => server.current.liveItems().map(({ item_id, given_url, title, tags }) => ({ item_id, given_url, title, tags }));

describe('the open-pocket kind', () => {
	beforeEach(() => (server.current.kind = 'open-pocket'));

	test('a send add keeps the title, stores no tags and answers only true', async () => {
		const answer = await sendActions({ action: 'add', url: 'https://example.com/a', title: 'A', tags: 'rss,news' });
		expect(answer).toMatchObject({ status: 200, body: { status: 1, action_results: [true], action_errors: [null] } });
		expect(stored()).toEqual([{ item_id: '1001', given_url: 'https://example.com/a', title: 'A', tags: [] }]);
	});

	test('tags_add, tags_replace and tags_remove change an item it saved', async () => {
		await sendActions({ action: 'add', url: 'https://example.com/a', tags: 'dropped' });
		const [{ item_id }] = server.current.liveItems();
		const answer = await sendActions(
			{ action: 'tags_add', item_id, tags: 'a,b' },
			{ action: 'tags_replace', item_id, tags: 'b,c,d' },
			{ action: 'tags_remove', item_id, tags: 'd' },
		);
		expect(answer.body).toMatchObject({ status: 1, action_results: [true, true, true] });
		expect(stored()).toEqual([{ item_id, given_url: 'https://example.com/a', title: '', tags: ['b', 'c'] }]);
	});

	test('a URL added again, by send or by /add, is stored as another copy', async () => {
		await sendActions({ action: 'add', url: 'https://example.com/a' }, { action: 'add', url: 'https://example.com/a' });
		await post('/add', { url: 'https://example.com/a', tags: 'x' });
		expect(stored()).toEqual([
			{ item_id: '1001', given_url: 'https://example.com/a', title: '', tags: [] },
			{ item_id: '1002', given_url: 'https://example.com/a', title: '', tags: [] },
			{ item_id: '1003', given_url: 'https://example.com/a', title: '', tags: ['x'] },
		]);
	});

	test('/add stores the tags and title and answers with the item at the top level', async () => {
		const answer = await post('/add', { url: 'https://example.com/a', title: 'A', tags: 'rss,news' });
		expect(stored()).toEqual([{ item_id: '1001', given_url: 'https://example.com/a', title: 'A', tags: ['rss', 'news'] }]);
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			item_id: '1001',
			normal_url: 'https://example.com/a',
			resolved_id: '1001',
			resolved_url: 'https://example.com/a',
			title: 'A',
			excerpt: 'About A',
		});
		expect(answer.body).not.toHaveProperty('item');
		expect(answer.body).not.toHaveProperty('status');
	});

	test.each([1_700_000_000, '1700000000', 0])('/get refuses the numeric since %p with HTTP 500 and the reason in JSON', async (since) => {
		seedItem(server.current, { item_id: '1001' });
		const answer = await post('/get', { since, detailType: 'complete' });
		expect(answer.status).toBe(500);
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		expect(answer.body).toEqual({
			statusCode: 500,
			code: 'FST_ERR_FAILED_ERROR_SERIALIZATION',
			error: 'Internal Server Error',
			message: 'Failed to serialize an error. Error: "body/since" must match format "uri". Original error: body/since must match format "uri"',
		});
	});

	test('/get refuses count above 100 with HTTP 500 and the reason in JSON, and serves 100', async () => {
		const refused = await post('/get', { count: 101 });
		expect(refused.status).toBe(500);
		expect(refused.body).toMatchObject({ statusCode: 500, code: 'FST_ERR_FAILED_ERROR_SERIALIZATION', message: expect.stringContaining('body/count must be <= 100') });
		expect((await post('/get', { count: 100 })).status).toBe(200);
	});

	test('/get ignores every filter, count and offset: the whole list at once, no total, no tags', async () => {
		seedItem(server.current, { item_id: '1001', tags: ['read-later'], time_added: 10, time_updated: 10 });
		seedItem(server.current, { item_id: '1002', status: 1, favorite: 1, time_added: 20, time_updated: 20 });
		seedItem(server.current, { item_id: '1003', content_type: 'video', time_added: 30, time_updated: 30 });
		seedItem(server.current, { item_id: '1004', status: 2, time_added: 40, time_updated: 40 });
		const answer = await post('/get', {
			state: 'unread',
			favorite: '0',
			tag: 'read-later',
			contentType: 'article',
			search: 'nothing matches this',
			domain: 'elsewhere.org',
			sort: 'oldest',
			detailType: 'complete',
			count: 1,
			offset: 2,
			total: '1',
			since: 'https://example.com/since',
		});
		expect(answer.status).toBe(200);
		const body = answer.body as { list: Record<string, Record<string, unknown>> };
		expect(Object.keys(body.list).sort()).toEqual(['1001', '1002', '1003']);
		expect(body).not.toHaveProperty('total');
		for (const item of Object.values(body.list)) expect(item).not.toHaveProperty('tags');
	});

	test('reset returns the server to the kind it was started as', () => {
		server.current.reset();
		expect(server.current.kind).toBe('pocket');
		expect(server.current.getVariant).toMatchObject({ tags: 'map', ignores: [], since: 'unix-seconds' });
	});
});

describe('the Pocket kind (the default)', () => {
	test('/add stores the tags and answers with the item wrapped, as Pocket v3', async () => {
		const answer = await post('/add', { url: 'https://example.com/a', title: 'A', tags: 'rss,news' });
		expect(stored()).toEqual([{ item_id: '1001', given_url: 'https://example.com/a', title: 'A', tags: ['rss', 'news'] }]);
		expect(answer).toMatchObject({
			status: 200,
			body: { status: 1, item: { item_id: '1001', normal_url: 'https://example.com/a', resolved_id: '1001', resolved_url: 'https://example.com/a', title: 'A' } },
		});
	});

	test('a URL added again by /add or send is the same item, re-added, with the tags of both', async () => {
		await post('/add', { url: 'https://example.com/a', tags: 'one' });
		await sendActions({ action: 'archive', item_id: '1001' });
		const answer = await post('/add', { url: 'https://example.com/a', tags: 'two' });
		expect(answer.body).toMatchObject({ item: { item_id: '1001' } });
		const sent = await sendActions({ action: 'add', url: 'https://example.com/a', tags: 'three' });
		expect(sent.body).toMatchObject({ action_results: [{ item_id: '1001', tags: ['one', 'two', 'three'] }] });
		expect(stored()).toEqual([{ item_id: '1001', given_url: 'https://example.com/a', title: '', tags: ['one', 'two', 'three'] }]);
		expect(server.current.liveItems()[0].status).toBe(0);
	});

	test('/get still serves since, filters and tags as Pocket', async () => {
		seedItem(server.current, { item_id: '1001', tags: ['keep'], time_updated: 100 });
		seedItem(server.current, { item_id: '1002', time_updated: 50 });
		const answer = await post('/get', { since: 60, detailType: 'complete' });
		expect(answer.body).toMatchObject({ list: { '1001': { tags: { keep: { tag: 'keep' } } } } });
		expect(Object.keys((answer.body as { list: object }).list)).toEqual(['1001']);
	});

	test('/get pages through a selection as a fresh read would, and sees a change made between pages', async () => {
		for (let i = 0; i < 100; i++) seedItem(server.current, { item_id: String(1001 + i), time_added: 1000 + i });
		const ids = Array.from({ length: 100 }, (_, i) => String(1001 + i));
		const page = async (offset: number) => {
			const answer = await post('/get', { state: 'unread', sort: 'oldest', count: 30, offset, total: 1 });
			const { list, total } = answer.body as { list: Record<string, { sort_id: number }>; total: string };
			return { ids: Object.keys(list).sort((a, b) => list[a].sort_id - list[b].sort_id), total };
		};
		const paged = [];
		for (let offset = 0; offset < 100; offset += 30) paged.push(...(await page(offset)).ids);
		expect(paged).toEqual(ids);

		const first = await page(0);
		await sendActions({ action: 'archive', item_id: '1031' });
		const second = await page(30);
		expect(first).toEqual({ ids: ids.slice(0, 30), total: '100' });
		expect(second).toEqual({ ids: ids.slice(31, 61), total: '99' });
	});
});

describe.each<ServerKind>(['pocket', 'open-pocket'])('/add on the %s kind goes through the same gate as /send', (kind) => {
	beforeEach(() => (server.current.kind = kind));

	test('a malformed add is refused before anything is stored', async () => {
		for (const body of [{}, { url: 'example.com/no-scheme' }, { url: 'https://example.com/a', tags: 'a,,b' }, { url: 'https://example.com/a', time: 'soon' }]) {
			const answer = await post('/add', body);
			expect(answer.status).toBe(400);
			expect(answer.headers.get('x-error')).toMatch(/^Invalid request: /);
		}
		expect(server.current.liveItems()).toEqual([]);
	});

	test('wrong keys are refused, and a sign-in token is accepted', async () => {
		expect((await post('/add', { url: 'https://example.com/a', access_token: 'not-the-token' })).status).toBe(401);
		expect((await post('/add', { url: 'https://example.com/a', consumer_key: 'not-the-key' })).status).toBe(401);
		const login = await fetch(`${server.current.url}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ACCOUNT) });
		const { tokens } = (await login.json()) as { tokens: { accessToken: string } };
		expect((await post('/add', { url: 'https://example.com/a', access_token: tokens.accessToken })).status).toBe(200);
		expect(stored().map((i) => i.given_url)).toEqual(['https://example.com/a']);
	});

	test('a fault replaces the answer and is used up', async () => {
		server.current.faults.push({ type: 'http', status: 503, body: '{"error":"maintenance"}' });
		expect((await post('/add', { url: 'https://example.com/a' })).status).toBe(503);
		expect(server.current.liveItems()).toEqual([]);
		expect((await post('/add', { url: 'https://example.com/a' })).status).toBe(200);
		expect(server.current.faults).toEqual([]);
	});

	test('it counts against the same rate limit', async () => {
		const limited = await startPocketServer({ consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, userLimit: 2, kind });
		try {
			await post('/send', { actions: [{ action: 'add', url: 'https://example.com/a' }] }, limited);
			expect((await post('/add', { url: 'https://example.com/b' }, limited)).status).toBe(200);
			const refused = await post('/add', { url: 'https://example.com/c' }, limited);
			expect(refused.status).toBe(403);
			expect(refused.headers.get('x-limit-user-remaining')).toBe('0');
			expect(limited.liveItems().map((i) => i.given_url)).toEqual(['https://example.com/a', 'https://example.com/b']);
		} finally {
			await limited.close();
		}
	});
});

describe('picking the kind', () => {
	const start = (kind?: ServerKind) => startPocketServer({ consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, kind });

	afterEach(() => delete process.env.POCKET_SERVER_KIND);

	test('the option, else POCKET_SERVER_KIND, else Pocket; a misspelt kind is refused', async () => {
		const servers = [await start('open-pocket'), await start()];
		process.env.POCKET_SERVER_KIND = 'open-pocket';
		servers.push(await start(), await start('pocket'));
		try {
			expect(servers.map((s) => s.kind)).toEqual(['open-pocket', 'pocket', 'open-pocket', 'pocket']);
			servers[0].reset();
			expect(servers[0].kind).toBe('open-pocket');
			expect(servers[0].getVariant).toMatchObject({ tags: 'absent', since: 'uri' });
		} finally {
			await Promise.all(servers.map((s) => s.close()));
		}
		process.env.POCKET_SERVER_KIND = 'openpocket';
		await expect(start()).rejects.toThrow('Unknown test server kind "openpocket": use pocket or open-pocket');
	});
});
