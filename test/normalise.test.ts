/**
 * The read side's pure parts: one item shape from every server's encoding (model/item.ts), the
 * filters as sent and as checked on an item (filters.ts), and the paging loop (paging.ts) against
 * scripted servers.
 */
import { contradictedFilter, domainOf, queryOf } from '../nodes/Pocket/actions/getMany/filters';
import fc from 'fast-check';

import { isoOfSeconds, normaliseEntry, plainHost } from '../nodes/Pocket/model/item';
import type { NormalisedItem } from '../nodes/Pocket/model/item';
import type { PageFetcher } from '../nodes/Pocket/actions/getMany/paging';
import { MAX_PAGES, readItems } from '../nodes/Pocket/actions/getMany/paging';
import { success } from '../nodes/Pocket/result';
import type { GetQuery } from '../nodes/Pocket/transport/get';

const UTC = { zone: 'UTC' };

function item(fields: Record<string, unknown>, key?: string): NormalisedItem {
	const read = normaliseEntry(fields, key);
	if (!read.ok) throw new Error(read.failure);
	return read.value;
}

describe('normaliseEntry', () => {
	const POCKET = {
		item_id: '229279689',
		resolved_id: '229279689',
		given_url: 'http://www.example.com/article?utm=1',
		given_title: 'Given',
		resolved_title: 'Resolved',
		favorite: '1',
		status: '1',
		time_added: '1700000000',
		time_updated: '1700000100',
		time_read: '1700000050',
		time_favorited: '0',
		excerpt: 'Text',
		word_count: '812',
		tags: { news: { item_id: '229279689', tag: 'news' }, 'to-read': { item_id: '229279689', tag: 'to-read' } },
	};

	test("Pocket's own item", () => {
		expect(item(POCKET)).toEqual({
			json: {
				item_id: '229279689',
				url: 'http://www.example.com/article?utm=1',
				title: 'Resolved',
				excerpt: 'Text',
				status: 'archived',
				favorite: true,
				tags: ['news', 'to-read'],
				time_added: '2023-11-14T22:13:20.000Z',
				time_updated: '2023-11-14T22:15:00.000Z',
				time_read: '2023-11-14T22:14:10.000Z',
				time_favorited: null,
				word_count: 812,
				domain: 'example.com',
				raw: { resolved_id: '229279689', given_url: 'http://www.example.com/article?utm=1', given_title: 'Given', resolved_title: 'Resolved' },
			},
			seconds: { time_added: 1700000000, time_updated: 1700000100, time_read: 1700000050, time_favorited: null },
			tagsKnown: true,
			hosts: ['example.com'],
		});
	});

	test.each([
		['"true"/"false" flags', { favorite: 'true', status: 'true' }],
		['boolean flags', { favorite: true, status: true }],
		['number flags', { favorite: 1, status: 1 }],
		['ISO times', { time_added: '2023-11-14T22:13:20Z', time_updated: '2023-11-14T22:15:00.000Z', time_read: '2023-11-14T22:14:10+00:00', time_favorited: null }],
		['number times', { time_added: 1700000000, time_updated: 1700000100, time_read: 1700000050, time_favorited: 0 }],
		['tags as an array', { tags: ['news', 'to-read'] }],
		['tags as an array of objects', { tags: [{ tag: 'news' }, { tag: 'to-read' }] }],
		['a numeric id', { item_id: 229279689 }],
	])('%s give the same item', (_, change) => {
		expect(item({ ...POCKET, ...change }).json).toEqual(item(POCKET).json);
	});

	test('an entry of a list keyed by id without its own item_id takes the key', () => {
		expect(item({ ...POCKET, item_id: undefined }, '42').json.item_id).toBe('42');
	});

	test('no tags sent: [] and unknown; deleted status; never-times as null; no url', () => {
		const read = item({ item_id: '7', status: 2, time_added: '0' });
		expect(read.json).toMatchObject({ status: 'deleted', tags: [], favorite: false, time_added: null, url: '', domain: '', word_count: null });
		expect(read.tagsKnown).toBe(false);
	});

	test.each([
		[{ ...POCKET, favorite: 'maybe' }, 'item 229279689: favorite must be 0/1 or true/false (got "maybe")'],
		[{ ...POCKET, status: '3' }, 'item 229279689: status must be 0 (unread), 1 (archived) or 2 (deleted) (got "3")'],
		[{ ...POCKET, status: undefined }, 'item 229279689: status must be 0 (unread), 1 (archived) or 2 (deleted) (got undefined)'],
		[{ ...POCKET, time_added: 'Item 12' }, 'item 229279689: time_added must be Unix seconds or an ISO 8601 date (got "Item 12")'],
		[{ ...POCKET, tags: 'news' }, 'item 229279689: tags must be a map or a list of tag names (got "news")'],
		[{ status: '0' }, 'an item has no item_id ({"status":"0"})'],
		['text', 'a list entry is not an item object (got "text")'],
	])('refuses what no server sends: %j', (entry, problem) => {
		expect(normaliseEntry(entry)).toEqual({ ok: false, failure: problem });
	});

	test('a field named __proto__ stays a field of raw and leaves its prototype alone', () => {
		const read = normaliseEntry(JSON.parse('{"item_id":"1","status":"0","__proto__":{"polluted":1},"x":2}') as unknown);
		if (!read.ok) throw new Error(read.failure);
		const { raw } = read.value.json;
		expect(Object.keys(raw)).toEqual(['__proto__', 'x']);
		expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
		expect((raw as Record<string, unknown>).polluted).toBeUndefined();
	});
});

/** The URL parser's host, lower-cased, or undefined where it refuses the URL: what plainHost must agree with. */
function parsedHost(url: string): string | undefined {
	try {
		return new URL(url).hostname.toLowerCase();
	} catch {
		return undefined;
	}
}

describe("the normaliser's fast paths agree with what they replace", () => {
	test('isoOfSeconds writes every whole second from 1970 to 9999 as Date#toISOString does', () => {
		const edges = [0, 1, 59, 86_399, 86_400, 951_782_400, 951_868_800, 1_700_000_000, 4_107_542_400, 253_402_300_799];
		for (const s of edges) expect(isoOfSeconds(s)).toBe(new Date(s * 1000).toISOString());
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 253_402_300_799 }), (s) => isoOfSeconds(s) === new Date(s * 1000).toISOString()),
			{ numRuns: 20_000 },
		);
	});

	const label = fc.oneof(
		fc.constantFrom('www', 'Example', 'com', 'xn--mnchen-3ya', 'XN--a', 'xn--', 'a-b', '-a', '0x1f', '0', '255', '09', 'q9', 'localhost'),
		fc.stringMatching(/^[A-Za-z0-9-]{1,8}$/),
	);
	const url = fc
		.tuple(
			fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'https:/', 'https://user@', 'https://u:p@'),
			fc.array(label, { minLength: 1, maxLength: 4 }),
			fc.constantFrom('.', '..'),
			fc.constantFrom('', '.', '/', '/a/b?c#d', '?q', '#f', ':80/', ':8080', ':65536/', ':999999', ':', '\\x', '\t/', '%41/', 'é/', ' /', '@h.com/'),
		)
		.map(([scheme, labels, dot, tail]) => `${scheme}${labels.join(dot)}${tail}`);

	test('plainHost, wherever it answers, gives the URL parser\'s host', () => {
		fc.assert(
			fc.property(url, (u) => {
				const host = plainHost(u);
				return host === undefined || host === parsedHost(u);
			}),
			{ numRuns: 50_000 },
		);
	});

	test.each([
		['https://www.Example.com/a?b', 'www.example.com'],
		['http://news.example.co.uk:8080/x', 'news.example.co.uk'],
		['https://example.com', 'example.com'],
	])('plainHost reads the host of an everyday URL without the parser: %s', (u, host) => {
		expect(plainHost(u)).toBe(host);
	});

	test.each([
		'https://1.2.3.4/', // IPv4: the parser rewrites some spellings of it
		'https://example.0x1f/',
		'https://xn--mnchen-3ya.de/', // IDNA: the parser checks and may refuse
		'https://user@example.com/',
		'https://example..com/',
		'https://example.com./',
		'https://localhost/',
		'https://example.com:99999/',
		`https://${'a.'.repeat(100_000)}!`, // long and not a URL: refused in one pass, not searched again and again
	])('plainHost leaves what the parser must judge to the parser: %s', (u) => {
		expect(plainHost(u)).toBeUndefined();
	});
});

describe('filters', () => {
	test('the Filters collection becomes the protocol query', () => {
		expect(
			queryOf(
				{
					state: 'archive',
					favorite: 'notFavorite',
					tag: ' read ',
					contentType: 'video',
					sort: 'site',
					search: ' rust ',
					domain: 'https://www.GitHub.com/rust-lang',
					changedSince: '2024-05-01T12:00:00',
				},
				UTC,
			),
		).toEqual({
			ok: true,
			value: { state: 'archive', favorite: 0, tag: 'read', contentType: 'video', sort: 'site', search: 'rust', domain: 'github.com', since: 1714564800 },
		});
		expect(queryOf({}, UTC)).toEqual({ ok: true, value: {} });
	});

	test('a tag with a comma and an unreadable date are refused, naming the filter', () => {
		expect(queryOf({ tag: 'a,b' }, UTC)).toMatchObject({ ok: false, failure: { filter: 'Tag (tag)' } });
		expect(queryOf({ changedSince: 'soon' }, UTC)).toMatchObject({ ok: false, failure: { filter: 'Changed Since (changedSince)' } });
	});

	test.each([
		['github.com', 'github.com'],
		['WWW.GitHub.com', 'github.com'],
		['http://blog.github.com/x?y', 'blog.github.com'],
	])('domainOf(%s) is %s', (input, domain) => expect(domainOf(input)).toBe(domain));

	const base = { item_id: '1', given_url: 'https://blog.github.com/x', status: '0', favorite: '0', time_updated: '2000', tags: ['a'] };
	test.each<[string, Record<string, unknown>, GetQuery, string | undefined]>([
		['unread item, State unread', {}, { state: 'unread' }, undefined],
		['unread item, State archived', {}, { state: 'archive' }, 'state'],
		['deleted item, State all', { status: '2' }, { state: 'all' }, 'state'],
		['deleted item, State all, Changed Since', { status: '2' }, { state: 'all', since: 1 }, undefined],
		['not a favorite, Favorites Only', {}, { favorite: 1 }, 'favorite'],
		['tag a, Tag A (any case)', {}, { tag: 'A' }, undefined],
		['tag a, Tag b', {}, { tag: 'b' }, 'tag'],
		['tag a, untagged', {}, { tag: '_untagged_' }, 'tag'],
		['no tags sent, Tag b: cannot tell', { tags: undefined }, { tag: 'b' }, undefined],
		['changed at 2000, Changed Since 2001', {}, { since: 2001 }, 'since'],
		['changed at 2000, Changed Since 2000', {}, { since: 2000 }, undefined],
		['blog.github.com, Domain github.com', {}, { domain: 'github.com' }, undefined],
		['blog.github.com, Domain notgithub.com', {}, { domain: 'notgithub.com' }, 'domain'],
		['blog.github.com, Domain hub.com', {}, { domain: 'hub.com' }, 'domain'],
	])('%s', (_, change, query, contradicted) => {
		expect(contradictedFilter(item({ ...base, ...change }), query)).toBe(contradicted);
	});
});

describe('readItems', () => {
	const entry = (id: number) => item({ item_id: String(id), status: '0', given_url: `https://example.com/${id}` });

	/** A server over `ids`: pages by offset and count unless told otherwise. */
	function fakeServer(ids: number[], { total = true, page = (all: number[], count: number, offset: number) => all.slice(offset, offset + count) } = {}) {
		const calls: Array<[number, number]> = [];
		const fetch: PageFetcher = async (count, offset) => {
			calls.push([count, offset]);
			return success({ value: { items: page(ids, count, offset).map(entry), ...(total ? { total: ids.length } : {}) } });
		};
		return { fetch, calls };
	}

	const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
	const idsOf = (items: NormalisedItem[]) => items.map((i) => Number(i.json.item_id));

	test('an exact multiple of the page size without a total ends on the empty page', async () => {
		const { fetch, calls } = fakeServer(range(60), { total: false });
		const read = await readItems(fetch, {}, { pageSize: 30 });
		expect(read.ok && idsOf(read.value.items)).toEqual(range(60));
		expect(calls).toEqual([
			[30, 0],
			[30, 30],
			[30, 60],
		]);
	});

	test('a list that shifts while it is read: an item seen twice comes out once', async () => {
		// A new item arrives at the top after the first page: page 2 starts with page 1's last.
		const { fetch } = fakeServer(range(50), { page: (all, count, offset) => (offset === 0 ? all.slice(0, count) : [0, ...all].slice(offset, offset + count)) });
		const read = await readItems(fetch, {}, { pageSize: 20 });
		expect(read.ok && idsOf(read.value.items)).toEqual(range(50));
	});

	test('a server that ignores offset: the second page repeats the first, and the read stops', async () => {
		const { fetch, calls } = fakeServer(range(100), { total: false, page: (all, count) => all.slice(0, count) });
		const read = await readItems(fetch, {}, { pageSize: 30 });
		expect(read.ok && read.value).toMatchObject({ stoppedEarly: 'repeatedPage', pages: 2 });
		expect(calls).toHaveLength(2);
	});

	test(`a server that never stops sending new items is read for ${MAX_PAGES} pages, not forever`, async () => {
		let next = 0;
		const fetch: PageFetcher = async (count) => success({ value: { items: Array.from({ length: count }, () => entry(++next)) } });
		const read = await readItems(fetch, {}, { pageSize: 1 });
		expect(read.ok && read.value).toMatchObject({ stoppedEarly: 'pageCap', pages: MAX_PAGES });
	});

	test('a failed page fails the read', async () => {
		const failure = { kind: 'http' as const, message: 'm', description: 'd', applied: 'no' as const };
		const read = await readItems(async () => ({ ok: false, failure }), {}, { pageSize: 30 });
		expect(read).toEqual({ ok: false, failure });
	});
});
