/**
 * The read side's new pure parts against scripted servers (issue 18 items 2 and 4): a `since`
 * refused and read again without it, tags learnt across a read, the checks of Content Type and
 * Search, and what the node cannot tell.
 */
import { contradictedFilter, uncheckedFilters } from '../nodes/Pocket/actions/getMany/filters';
import type { PageFetcher } from '../nodes/Pocket/actions/getMany/paging';
import { readItems } from '../nodes/Pocket/actions/getMany/paging';
import type { NormalisedItem } from '../nodes/Pocket/model/item';
import { normaliseEntry } from '../nodes/Pocket/model/item';
import { failure, success } from '../nodes/Pocket/result';
import type { Failure } from '../nodes/Pocket/transport/failures';
import type { GetQuery } from '../nodes/Pocket/transport/get';

function item(fields: Record<string, unknown>): NormalisedItem {
	const read = normaliseEntry(fields);
	if (!read.ok) throw new Error(read.failure);
	return read.value;
}

const refusal = (reason: string | undefined): Failure => ({ kind: 'http', message: 'refused', description: 'd', applied: 'no', httpCode: '500', ...(reason ? { reason } : {}) });

/** A server over fixed items, one page, that refuses `since` the way it is told; records what it was asked. */
function scripted(items: Array<Record<string, unknown>>, refuses?: Failure) {
	const asked: GetQuery[] = [];
	const fetch: PageFetcher = async (_count, _offset, query) => {
		asked.push(query);
		if (refuses && query.since !== undefined) return failure(refuses);
		const page = query.tag === undefined ? items : items.filter((i) => i.tags === undefined);
		return success({ value: { items: page.map(item) } });
	};
	return { fetch, asked };
}

const ids = (items: NormalisedItem[]) => items.map((i) => i.json.item_id);

describe('a refused since', () => {
	const items = [
		{ item_id: '1', status: '0', time_added: '100', time_updated: '100' },
		{ item_id: '2', status: '0', time_added: '100', time_updated: '300' },
	];

	test('a failure whose reason names since: read again without it, once, and Changed Since checked here', async () => {
		const { fetch, asked } = scripted(items, refusal('body/since must match format "uri"'));
		const read = await readItems(fetch, { since: 200 }, { pageSize: 30 });
		expect(read.ok && { ids: ids(read.value.items), refused: read.value.sinceRefused, pages: read.value.pages, dropped: read.value.dropped }).toEqual({
			ids: ['2'],
			refused: true,
			pages: 2,
			// Changed Since was applied by the node, not ignored by the server: nothing to blame it for.
			dropped: {},
		});
		expect(asked).toEqual([{ since: 200 }, {}]);
	});

	test('known from an earlier read: since is not sent at all', async () => {
		const { fetch, asked } = scripted(items, refusal('since is not a URI'));
		const read = await readItems(fetch, { since: 200 }, { pageSize: 30 }, { sinceRefused: true });
		expect(read.ok && ids(read.value.items)).toEqual(['2']);
		expect(asked).toEqual([{}]);
	});

	test.each([['a reason that does not name since', 'database is down'], ['no reason at all', undefined]])('%s: the read fails, with one call', async (_, reason) => {
		const { fetch, asked } = scripted(items, refusal(reason));
		const read = await readItems(fetch, { since: 200 }, { pageSize: 30 });
		expect(read.ok).toBe(false);
		expect(asked).toHaveLength(1);
	});
});

describe('tags learnt across a read', () => {
	test('Untagged, no tags in the answer: one more page without the tag filter; tags there check the untagged items', async () => {
		const { fetch, asked } = scripted([
			{ item_id: '1', status: '0' },
			{ item_id: '2', status: '0', tags: ['read'] },
		]);
		const read = await readItems(fetch, { tag: '_untagged_' }, { pageSize: 30 });
		expect(read.ok && { ids: ids(read.value.items), unchecked: read.value.unchecked.size }).toEqual({ ids: ['1'], unchecked: 0 });
		expect(asked).toEqual([{ tag: '_untagged_' }, { tag: undefined }]);
	});

	test('Untagged on a server that never sends tags: the items stay unchecked', async () => {
		const { fetch } = scripted([{ item_id: '1', status: '0' }, { item_id: '2', status: '0' }]);
		const read = await readItems(fetch, { tag: '_untagged_' }, { pageSize: 30 });
		expect(read.ok && [...read.value.unchecked]).toEqual([
			['1', ['tag']],
			['2', ['tag']],
		]);
	});

	test('a page without tags read before a page with tags: its items are checked once tags are known, and a contradiction is dropped', async () => {
		const pages = [[{ item_id: '1', status: '0' }], [{ item_id: '2', status: '0', tags: ['read'] }], []];
		const fetch: PageFetcher = async (_count, offset) => success({ value: { items: (pages[offset] ?? []).map(item) } });
		const read = await readItems(fetch, { tag: 'read' }, { pageSize: 1 });
		expect(read.ok && { ids: ids(read.value.items), dropped: read.value.dropped, unchecked: read.value.unchecked.size }).toEqual({
			ids: ['2'],
			dropped: { tag: 1 },
			unchecked: 0,
		});
	});
});

describe('checks of one item', () => {
	const base = { item_id: '1', status: '0', given_url: 'https://Example.com/Rust-Book', resolved_title: 'The Book', is_article: '1', has_video: '0', has_image: '1' };
	test.each<[string, Record<string, unknown>, GetQuery, string | undefined]>([
		['Search in the title, any case', {}, { search: 'the BOOK' }, undefined],
		['Search in the URL', {}, { search: 'rust-book' }, undefined],
		['Search in neither', {}, { search: 'python' }, 'search'],
		['Content Type article', {}, { contentType: 'article' }, undefined],
		['Content Type video, no video', {}, { contentType: 'video' }, 'contentType'],
		['Content Type video, an article with a video (has_video 1)', { has_video: '1' }, { contentType: 'video' }, undefined],
		['Content Type video, a video (has_video 2, is_article 0)', { has_video: '2', is_article: '0' }, { contentType: 'video' }, undefined],
		['Content Type article, flags as booleans', { is_article: false }, { contentType: 'article' }, 'contentType'],
	])('%s', (_, change, query, contradicted) => {
		expect(contradictedFilter(item({ ...base, ...change }), query)).toBe(contradicted);
	});

	test.each<[string, Record<string, unknown>, GetQuery, string[]]>([
		['no flags sent: Content Type cannot be told', { is_article: undefined }, { contentType: 'article' }, ['contentType']],
		['no tags sent: Tag and Untagged cannot be told', {}, { tag: '_untagged_' }, ['tag']],
		['no times sent: Changed Since cannot be told', {}, { since: 5 }, ['since']],
		['State, Favorite and Search can always be told', {}, { state: 'all', favorite: 0, search: 'x' }, []],
	])('%s', (_, change, query, unchecked) => {
		expect(uncheckedFilters(item({ ...base, ...change }), query)).toEqual(unchecked);
	});
});
