/**
 * Item → Get Many in n8n's engine against the test server's /get: every filter, the node's
 * paging, each way compatible servers answer differently, the check that drops items
 * contradicting a filter, the errors, and the chain into the send operations.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters, NodeExecutionHint } from 'n8n-workflow';

import type { RunResult } from './harness/engine';
import { runWorkflow } from './harness/engine';
import { seedItem, useServer } from './harness/pocket-fixture';
import type { GetVariant } from './server/get-route';
import { POCKET_GET } from './server/get-route';
import type { PocketServer, StoredItem } from './server/pocket-server';
import { ACCESS_TOKEN, CONSUMER_KEY, loadWorkflow, pocketCredentials, signInCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Five items that differ in every filter. */
function seedLibrary() {
	const s = server.current;
	seedItem(s, { item_id: '1001', given_url: 'https://github.com/a/one', title: 'One', tags: ['read'], time_added: 1000, time_updated: 1000 });
	seedItem(s, {
		item_id: '1002',
		given_url: 'https://www.github.com/b/two',
		resolved_url: 'https://www.github.com/b/two',
		title: 'Two',
		tags: ['read', 'dev'],
		status: 1,
		favorite: 1,
		time_added: 2000,
		time_updated: 2600,
		time_read: 2500,
		time_favorited: 2600,
	});
	seedItem(s, { item_id: '1003', given_url: 'https://example.com/three', title: 'Three', content_type: 'video', time_added: 3000, time_updated: 3000 });
	seedItem(s, {
		item_id: '1004',
		given_url: 'https://blog.github.com/four',
		title: 'Four',
		tags: ['news'],
		favorite: 1,
		content_type: 'image',
		time_added: 4000,
		time_updated: 4500,
		time_favorited: 4500,
	});
	seedItem(s, { item_id: '1005', given_url: 'https://example.org/five', title: 'Five', status: 2, time_added: 500, time_updated: 5000 });
}

function seedMany(n: number) {
	for (let i = 0; i < n; i++) {
		const id = String(2000 + i);
		seedItem(server.current, { item_id: id, given_url: `https://example.com/${id}`, title: `Item ${id}`, time_added: 10_000 + i, time_updated: 10_000 + i });
	}
}

const getCalls = (s: PocketServer) => s.requests.filter((r) => r.path.endsWith('/get')).map((r) => r.body as IDataObject);

interface RunSettings {
	items?: IDataObject[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	settings?: Parameters<typeof withPocket>[2];
}

function getMany(parameters: INodeParameters = {}, { items = [{}], credentials = pocketCredentials(server.current), settings = {} }: RunSettings = {}) {
	const workflow = withPocket(withItems(loadWorkflow('item-get-many'), items), parameters, settings);
	return runWorkflow(workflow, { credentials });
}

const ids = (result: RunResult) => result.output('Pocket').map((o) => o.json.item_id);
const hints = (result: RunResult): NodeExecutionHint[] => result.run.data.resultData.runData.Pocket?.[0]?.hints ?? [];

function expectNoSecret(result: RunResult) {
	const errors = [result.error, ...result.output('Pocket').map((o) => o.error)].filter(Boolean) as Error[];
	const text = JSON.stringify(result.run) + errors.map((e) => `${e.message} ${(e as { description?: string }).description} ${e.stack}`).join(' ');
	expect(text).not.toContain(CONSUMER_KEY);
	expect(text).not.toContain(ACCESS_TOKEN);
}

beforeEach(seedLibrary);

test('every item comes out in one shape, its id a string ready for the send operations', async () => {
	const result = await getMany({ filters: { sort: 'oldest' } });
	expect(result.errorMessage).toBeUndefined();
	expect(ids(result)).toEqual(['1001', '1002', '1003', '1004']);
	expect(result.output('Pocket')[1]).toEqual({
		json: {
			item_id: '1002',
			url: 'https://www.github.com/b/two',
			title: 'Two',
			excerpt: 'About Two',
			status: 'archived',
			favorite: true,
			tags: ['read', 'dev'],
			time_added: iso(2000),
			time_updated: iso(2600),
			time_read: iso(2500),
			time_favorited: iso(2600),
			word_count: 202,
			domain: 'github.com',
			raw: expect.objectContaining({ resolved_id: '1002', given_url: 'https://www.github.com/b/two', resolved_title: 'Two', lang: 'en' }),
		},
		pairedItem: { item: 0 },
	});
	expect(result.output('Pocket')[0].json).toMatchObject({ status: 'unread', favorite: false, time_read: null, time_favorited: null });
	// What the node asked: complete details (tags), a page with its total.
	expect(getCalls(server.current)).toEqual([
		{ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN, sort: 'oldest', detailType: 'complete', count: 30, offset: 0, total: 1 },
	]);
	expect(server.current.requests[0]).toMatchObject({ contentType: 'application/json', rawUrl: '/api/v1/get' });
});

describe('each filter is sent and applied', () => {
	const CASES: Array<{ name: string; filters: INodeParameters; sent: IDataObject; expected: string[] }> = [
		{ name: 'State: unread', filters: { state: 'unread' }, sent: { state: 'unread' }, expected: ['1001', '1003', '1004'] },
		{ name: 'State: archived', filters: { state: 'archive' }, sent: { state: 'archive' }, expected: ['1002'] },
		{ name: 'State: all', filters: { state: 'all' }, sent: { state: 'all' }, expected: ['1001', '1002', '1003', '1004'] },
		{ name: 'Favorite: favorites only', filters: { favorite: 'favorite' }, sent: { favorite: 1 }, expected: ['1002', '1004'] },
		{ name: 'Favorite: non-favorites only', filters: { favorite: 'notFavorite' }, sent: { favorite: 0 }, expected: ['1001', '1003'] },
		{ name: 'Tag', filters: { tag: ' read ' }, sent: { tag: 'read' }, expected: ['1001', '1002'] },
		{ name: 'Tag: untagged', filters: { tag: '_untagged_' }, sent: { tag: '_untagged_' }, expected: ['1003'] },
		{ name: 'Content Type', filters: { contentType: 'video' }, sent: { contentType: 'video' }, expected: ['1003'] },
		{ name: 'Search', filters: { search: 'thr' }, sent: { search: 'thr' }, expected: ['1003'] },
		{ name: 'Domain (subdomains included, typed as a URL)', filters: { domain: 'https://www.GitHub.com/' }, sent: { domain: 'github.com' }, expected: ['1001', '1002', '1004'] },
		{
			name: 'Changed Since (deleted items come back to a since read)',
			filters: { changedSince: iso(2600) },
			sent: { since: 2600 },
			expected: ['1002', '1003', '1004', '1005'],
		},
		{ name: 'Sort: title', filters: { sort: 'title' }, sent: { sort: 'title' }, expected: ['1004', '1001', '1003', '1002'] },
		{ name: 'Sort: newest', filters: { sort: 'newest' }, sent: { sort: 'newest' }, expected: ['1004', '1003', '1002', '1001'] },
		{
			name: 'several at once',
			filters: { state: 'unread', tag: 'read', domain: 'github.com', sort: 'oldest' },
			sent: { state: 'unread', tag: 'read', domain: 'github.com', sort: 'oldest' },
			expected: ['1001'],
		},
	];

	test.each(CASES)('$name', async ({ filters, sent, expected }) => {
		const result = await getMany({ filters: { sort: 'oldest', ...filters } });
		expect(result.errorMessage).toBeUndefined();
		expect([...ids(result)].sort()).toEqual([...expected].sort());
		if (filters.sort) expect(ids(result)).toEqual(expected);
		expect(getCalls(server.current)[0]).toMatchObject(sent);
		expect(hints(result)).toEqual([expect.objectContaining({ type: 'info' })]);
	});

	test('a Changed Since that is not a date names the filter and reads nothing', async () => {
		const result = await getMany({ filters: { changedSince: 'last tuesday' } });
		expect(result.errorMessage).toMatch(/^Item 0: Changed Since \(changedSince\) must be a date and time/);
		expect(getCalls(server.current)).toHaveLength(0);
	});
});

describe('paging', () => {
	beforeEach(() => server.current.reset());

	test('Return All over 10 pages: 300 items in 10 calls of 30, stopping at the total', async () => {
		seedMany(300);
		const result = await getMany({ filters: { sort: 'oldest' } });
		expect(result.output('Pocket')).toHaveLength(300);
		expect(new Set(ids(result)).size).toBe(300);
		expect(getCalls(server.current).map((c) => [c.count, c.offset])).toEqual(Array.from({ length: 10 }, (_, i) => [30, i * 30]));
	});

	test('a Limit across a page boundary: two pages read, 45 items returned', async () => {
		seedMany(100);
		const result = await getMany({ returnAll: false, limit: 45, filters: { sort: 'oldest' } });
		expect(ids(result)).toEqual(Array.from({ length: 45 }, (_, i) => String(2000 + i)));
		expect(getCalls(server.current).map((c) => [c.count, c.offset])).toEqual([
			[30, 0],
			[30, 30],
		]);
	});

	test('a server that caps the page below Page Size (Pocket: 30) is read to the end through its total', async () => {
		seedMany(95);
		const result = await getMany({ options: { pageSize: 100 } });
		expect(result.output('Pocket')).toHaveLength(95);
		expect(getCalls(server.current).map((c) => c.offset)).toEqual([0, 30, 60, 90]);
	});

	test('without a total, a short page ends the read', async () => {
		server.current.getVariant = { ...POCKET_GET, ignores: ['total'] };
		seedMany(70);
		const result = await getMany();
		expect(result.output('Pocket')).toHaveLength(70);
		expect(getCalls(server.current).map((c) => c.offset)).toEqual([0, 30, 60]);
	});

	test('a server that refuses a large page says so (HTTP 400)', async () => {
		server.current.getVariant = { ...POCKET_GET, maxCount: 100, overMaxCount: 'reject' };
		const result = await getMany({ options: { pageSize: 150 } });
		expect(result.errorMessage).toMatch(/rejected the call as malformed \(HTTP 400\)\. The server said: "Invalid request: count must be at most 100"/);
	});

	test('a server that ignores offset: the repeated page is detected, reading stops, and the hint says so', async () => {
		server.current.getVariant = { ...POCKET_GET, ignores: ['offset', 'total'] };
		seedMany(100);
		const result = await getMany();
		expect(result.output('Pocket')).toHaveLength(30);
		expect(getCalls(server.current)).toHaveLength(2);
		expect(hints(result)).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/items already read \(it ignores offset\)/) }));
	});

	test('a server that ignores count and offset sends everything at once; its total ends the read', async () => {
		server.current.getVariant = { ...POCKET_GET, ignores: ['count', 'offset'] };
		seedMany(250);
		const result = await getMany();
		expect(result.output('Pocket')).toHaveLength(250);
		expect(getCalls(server.current)).toHaveLength(1);
	});

	test('… and without a total, the second, repeated page ends it', async () => {
		server.current.getVariant = { ...POCKET_GET, ignores: ['count', 'offset', 'total'] };
		seedMany(250);
		const result = await getMany();
		expect(result.output('Pocket')).toHaveLength(250);
		expect(getCalls(server.current)).toHaveLength(2);
	});
});

describe('servers differ, the output does not', () => {
	const VARIANTS: Array<[string, Partial<GetVariant>]> = [
		['list as an array', { list: 'array' }],
		['flags as "true"/"false"', { flags: 'words' }],
		['flags as booleans', { flags: 'booleans' }],
		['flags as numbers', { flags: 'numbers' }],
		['times as ISO strings', { times: 'iso' }],
		['times as numbers', { times: 'unix-numbers' }],
		['tags as an array', { tags: 'array' }],
		['all of these at once', { list: 'array', flags: 'booleans', times: 'iso', tags: 'array' }],
	];

	test.each(VARIANTS)('%s', async (_, variant) => {
		const pocket = (await getMany({ filters: { state: 'all', sort: 'oldest' } })).output('Pocket').map((o) => o.json);
		server.current.getVariant = { ...POCKET_GET, ...variant };
		const other = (await getMany({ filters: { state: 'all', sort: 'oldest' } })).output('Pocket');
		expect(other.map((o) => ({ ...o.json, raw: undefined }))).toEqual(pocket.map((json) => ({ ...json, raw: undefined })));
	});

	test('tags never sent: every item has tags [], and a Tag filter the node cannot check stops the run (issue 18.4)', async () => {
		server.current.getVariant = { ...POCKET_GET, tags: 'absent' };
		const stopped = await getMany({ filters: { tag: 'read' } });
		expect(stopped.errorMessage).toBe('The Tag (tag) filter cannot be applied on this server');
		expect((stopped.error as { description?: string }).description).toMatch(/^Tag \(tag\): the server sends no tags.*The server returned 2 item\(s\) the node could not check, so none was returned\. Turn on Options → Return Unchecked Items/);
		expect(stopped.output('Pocket')).toEqual([]);
		const marked = await getMany({ filters: { tag: 'read' }, options: { returnUnchecked: true } });
		expect(ids(marked).sort()).toEqual(['1001', '1002']);
		expect(marked.output('Pocket').every((o) => (o.json.tags as string[]).length === 0)).toBe(true);
		expect(marked.output('Pocket').map((o) => o.json.unchecked)).toEqual([['tag'], ['tag']]);
	});

	test('an empty list is [] whatever the list shape', async () => {
		for (const list of ['object', 'array'] as const) {
			server.current.getVariant = { ...POCKET_GET, list };
			const result = await getMany({ filters: { tag: 'nothing-has-this' } });
			expect(result.errorMessage).toBeUndefined();
			expect(result.output('Pocket')).toEqual([]);
		}
	});
});

describe('items that contradict a filter are never returned', () => {
	const CASES: Array<{ name: string; ignores: GetVariant['ignores']; filters: INodeParameters; expected: string[]; dropped: string }> = [
		{ name: 'State', ignores: ['state'], filters: { state: 'unread' }, expected: ['1001', '1003', '1004'], dropped: '1 by State' },
		{ name: 'Favorite', ignores: ['favorite'], filters: { favorite: 'favorite' }, expected: ['1002', '1004'], dropped: '2 by Favorite' },
		{ name: 'Tag', ignores: ['tag'], filters: { tag: 'read' }, expected: ['1001', '1002'], dropped: '2 by Tag' },
		{ name: 'Tag: untagged', ignores: ['tag'], filters: { tag: '_untagged_' }, expected: ['1003'], dropped: '3 by Tag' },
		{ name: 'Domain', ignores: ['domain'], filters: { domain: 'github.com' }, expected: ['1001', '1002', '1004'], dropped: '1 by Domain' },
		{ name: 'Changed Since', ignores: ['since'], filters: { changedSince: iso(2600) }, expected: ['1002', '1003', '1004'], dropped: '1 by Changed Since' },
		{
			name: 'all filters ignored',
			ignores: ['state', 'favorite', 'tag', 'domain', 'since'],
			filters: { state: 'unread', favorite: 'notFavorite', tag: 'read', domain: 'github.com', changedSince: iso(900) },
			expected: ['1001'],
			dropped: '1 by State, 1 by Favorite, 1 by Tag',
		},
	];

	test.each(CASES)('$name, on a server that ignores it: dropped, and the hint says how many', async ({ ignores, filters, expected, dropped }) => {
		server.current.getVariant = { ...POCKET_GET, ignores };
		const result = await getMany({ filters });
		expect(ids(result).sort()).toEqual(expected);
		expect(hints(result)).toContainEqual({
			type: 'warning',
			message: expect.stringContaining(`contradict the filters (${dropped}): the server seems to ignore these filters`),
		});
	});

	test('a server that ignores the Tag filter and never sends tags: the run stops; with Return Unchecked Items the items are marked and the hint says so', async () => {
		server.current.getVariant = { ...POCKET_GET, ignores: ['tag'], tags: 'absent' };
		const stopped = await getMany({ filters: { tag: 'read' } });
		expect(stopped.errorMessage).toBe('The Tag (tag) filter cannot be applied on this server');
		const result = await getMany({ filters: { tag: 'read' }, options: { returnUnchecked: true } });
		expect(result.output('Pocket')).toHaveLength(4);
		expect(result.output('Pocket').every((o) => JSON.stringify(o.json.unchecked) === '["tag"]')).toBe(true);
		expect(hints(result)).toContainEqual({
			type: 'warning',
			message: 'Tag (tag) could not be checked on 4 returned item(s) (the server sends no tags, so the node cannot tell which items have the tag (or none)): each is marked in "unchecked".',
		});
	});

	test('with a Limit, dropped items do not count: the node reads on until it has enough', async () => {
		server.current.reset();
		seedMany(60);
		for (let i = 0; i < 60; i += 2) server.current.state.items[String(2000 + i)].status = 1;
		server.current.getVariant = { ...POCKET_GET, ignores: ['state'] };
		const result = await getMany({ returnAll: false, limit: 20, filters: { state: 'unread', sort: 'oldest' } });
		expect(ids(result)).toEqual(Array.from({ length: 20 }, (_, i) => String(2001 + 2 * i)));
		expect(getCalls(server.current).map((c) => [c.count, c.offset])).toEqual([
			[30, 0],
			[30, 30],
		]);
	});
});

describe('errors follow the send side', () => {
	const FAILURES: Array<{ name: string; credentials?: Record<string, string>; fault?: PocketServer['faults'][number]; message: RegExp; calls: number }> = [
		{
			name: '400',
			fault: { type: 'http', status: 400, headers: { 'X-Error': 'Invalid request', 'X-Error-Code': '130' } },
			message: /rejected the call as malformed \(HTTP 400\)\. The server said: "Invalid request" \(X-Error-Code 130\)/,
			calls: 1,
		},
		{ name: '401', credentials: { accessToken: 'revoked-token' }, message: /rejected the credentials \(HTTP 401\)/, calls: 1 },
		{ name: '403', fault: { type: 'http', status: 403, headers: { 'X-Error': 'Forbidden' } }, message: /denied access \(HTTP 403\)/, calls: 1 },
		{ name: '404', credentials: { baseUrl: 'PLACEHOLDER/nothing' }, message: /There is no Pocket get endpoint at .*\/nothing\/get \(HTTP 404\)/, calls: 1 },
		{ name: 'HTML instead of JSON', fault: { type: 'html', status: 200 }, message: /an HTML page instead of a Pocket list of items/, calls: 1 },
		{ name: 'redirect (not followed)', fault: { type: 'redirect', status: 302, location: 'https://elsewhere.example/get' }, message: /redirected the call to elsewhere\.example \(HTTP 302\); the node does not follow redirects/, calls: 1 },
		{ name: '500 for longer than Max Wait', fault: { type: 'html', status: 500 }, message: /failed while handling the call \(HTTP 500\)/, calls: 2 },
	];

	test.each(FAILURES)('$name', async ({ credentials, fault, message, calls }) => {
		if (fault) server.current.faults.push(fault, fault);
		const base = credentials?.baseUrl === 'PLACEHOLDER/nothing' ? { baseUrl: `${server.current.origin}/nothing` } : credentials;
		const result = await getMany({ options: { maxWait: 1 } }, { credentials: pocketCredentials(server.current, base) });
		expect(result.errorMessage).toMatch(message);
		expect((result.error as { description?: string }).description).toMatch(/^No items were read/);
		expect(getCalls(server.current)).toHaveLength(calls);
		expectNoSecret(result);
	});

	test('continue-on-fail: one error item, paired with the input item', async () => {
		server.current.faults.push({ type: 'http', status: 400 });
		const result = await getMany({}, { settings: { onError: 'continueRegularOutput' } });
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Pocket')).toEqual([expect.objectContaining({ json: { error: expect.stringMatching(/HTTP 400/) }, pairedItem: { item: 0 } })]);
	});

	test('a refused Base URL: nothing is read, and under continue-on-fail every input item says it was not applied', async () => {
		const credentials = pocketCredentials(server.current, { baseUrl: 'http://pocket.example.com/api/v1' });
		const result = await getMany({}, { items: [{}, {}], credentials, settings: { onError: 'continueRegularOutput' } });
		expect(result.errorMessage).toBeUndefined();
		const output = result.output('Pocket');
		expect(output.map((o) => [o.pairedItem, o.error?.context.applied])).toEqual([
			[{ item: 0 }, 'no'],
			[{ item: 1 }, 'no'],
		]);
		expect(output[0].json.error).toMatch(/^Item 0: /);
		expect(output[0].error?.description).toMatch(/Nothing was read\.$/);
		expect(getCalls(server.current)).toHaveLength(0);
	});

	test('a read is safe to repeat: a 500, a dropped connection and a timeout are retried within Max Wait', async () => {
		server.current.faults.push({ type: 'html', status: 500 }, { type: 'drop-after-apply' }, { type: 'slow', ms: 1500 });
		const result = await getMany({ options: { maxWait: 10, timeout: 500 } });
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Pocket')).toHaveLength(4);
		expect(getCalls(server.current)).toHaveLength(4);
	}, 20_000);

	test('a rate limit is waited for, and the quota left is reported after the read', async () => {
		server.current.faults.push({ type: 'http', status: 429, headers: { 'Retry-After': '1', 'X-Limit-User-Remaining': '0', 'X-Limit-User-Reset': '1' } });
		const result = await getMany();
		expect(result.output('Pocket')).toHaveLength(4);
		expect(hints(result)).toContainEqual({
			type: 'info',
			message: '1 call(s) made. User quota: 318 of 320 calls left, resets in 3600 s. Consumer key quota: 9998 of 10000 calls left, resets in 3600 s.',
		});
	});

	test('a rate limit that outlasts Max Wait fails with the reset time', async () => {
		server.current.faults.push({ type: 'http', status: 403, headers: { 'X-Limit-User-Remaining': '0', 'X-Limit-User-Reset': '900', 'X-Error': 'User rate limit exceeded' } });
		const result = await getMany({ options: { maxWait: 60 } });
		expect(result.errorMessage).toMatch(/rate limit is used up \(HTTP 403\)/);
		expect((result.error as { description?: string }).description).toMatch(/limit resets in 900 s/);
	});

	test('a server that echoes the keys in an item: the keys never reach the output', async () => {
		server.current.faults.push({ type: 'echo-secrets' });
		const result = await getMany();
		expect(result.output('Pocket')).toHaveLength(4);
		expectNoSecret(result);
	});

	test('an item the node cannot read fails the read naming the item and the field', async () => {
		(server.current.state.items['1001'] as unknown as { status: string }).status = 'maybe';
		const result = await getMany();
		expect(result.errorMessage).toBe(
			'The server sent an item the node cannot read: item 1001: status must be 0 (unread), 1 (archived) or 2 (deleted) (got "maybe")',
		);
	});
});

describe('parameters per input item', () => {
	test('fixed filters and three input items: one read, its items paired with the first input item', async () => {
		const result = await getMany({ filters: { tag: 'read' } }, { items: [{ a: 1 }, { a: 2 }, { a: 3 }] });
		expect(getCalls(server.current)).toHaveLength(1);
		expect(result.output('Pocket').map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	test('a filter from an expression: one read per input item, each paired with its own', async () => {
		const result = await getMany({ filters: { tag: '={{ $json.tag }}' } }, { items: [{ tag: 'read' }, { tag: 'news' }] });
		expect(getCalls(server.current).map((c) => c.tag)).toEqual(['read', 'news']);
		expect(result.output('Pocket').map((o) => [o.json.item_id, o.pairedItem])).toEqual([
			['1002', { item: 0 }],
			['1001', { item: 0 }],
			['1004', { item: 1 }],
		]);
	});
});

describe('Get Many feeds the send operations', () => {
	test('Get Many (tag read, unread) → Archive with {{ $json.item_id }}: exactly those items are archived, in one call', async () => {
		const result = await runWorkflow(loadWorkflow('get-many-archive'), { credentials: pocketCredentials(server.current) });
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Archive').map((o) => o.json.success)).toEqual([true]);
		const statuses = Object.fromEntries(Object.values(server.current.state.items).map((i: StoredItem) => [i.item_id, i.status]));
		expect(statuses).toEqual({ '1001': 1, '1002': 1, '1003': 0, '1004': 0, '1005': 2 });
		expect(server.current.requests.filter((r) => r.path.endsWith('/send'))).toHaveLength(1);
	});

	test('… and with the Archive node in Map Input Fields Automatically mode', async () => {
		const workflow = loadWorkflow('get-many-archive');
		const archive = workflow.nodes.find((n) => n.name === 'Archive')!;
		archive.parameters = { resource: 'item', operation: 'archive', dataMode: 'autoMapInputData' };
		const result = await runWorkflow(workflow, { credentials: pocketCredentials(server.current) });
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Archive').map((o) => (o.json.action as IDataObject).item_id)).toEqual(['1001']);
		expect(server.current.state.items['1001'].status).toBe(1);
	});

	test('with Email and Password sign-in: the node signs in once and reads with the token', async () => {
		const credentials = signInCredentials(server.current);
		const result = await getMany({}, { credentials });
		expect(result.output('Pocket')).toHaveLength(4);
		expect(server.current.signIn.logins).toBe(1);
		expect(getCalls(server.current)[0].access_token).toBe(credentials.pocketApi.sessionToken);
	});
});
