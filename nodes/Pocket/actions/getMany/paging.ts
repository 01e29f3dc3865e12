import type { Result } from '../../result';
import { failure, success } from '../../result';
import type { Failure } from '../../transport/failures';
import type { GetPage, GetQuery } from '../../transport/get';
import { refusesSince, UNTAGGED, withoutSince } from '../../transport/get';
import type { Answered } from '../../transport/request';
import type { RateLimit } from '../../transport/response';
import type { CheckedFilter } from './filters';
import { contradictedFilter, uncheckedFilters } from './filters';
import type { NormalisedItem } from '../../model/item';

/**
 * Reading every page of a query, the node's own paging: the protocol has no cursor, only
 * `count` and `offset`, and servers cap `count` differently, ignore `offset`, or change the
 * list while it is read. Each page's items are checked against the filters as they come.
 */

/** Pocket's own cap on `count`: every compatible server accepts a page this large. */
export const DEFAULT_PAGE_SIZE = 30;

/** No read goes beyond this many pages, whatever the server answers (300,000 items at 30). */
export const MAX_PAGES = 10_000;

/** One page at `offset` of at most `count` items; `query` is what the server is asked, which may leave out a refused `since`. */
export type PageFetcher = (count: number, offset: number, query: GetQuery) => Promise<Result<Answered<GetPage>, Failure>>;

export interface ReadLimits {
	/** The most items to return; undefined returns all. */
	limit?: number;
	pageSize: number;
}

/** Why a read stopped before the server said there was nothing more. */
export type EarlyStop = 'repeatedPage' | 'pageCap';

export interface ReadResult {
	items: NormalisedItem[];
	/**
	 * Items the server returned although they contradict a filter it was asked, by filter. After
	 * a refused `since` the node applies Changed Since itself: the items it leaves out for it are
	 * the plan, not the server's fault, and are not counted.
	 */
	dropped: Partial<Record<CheckedFilter, number>>;
	/** Returned items that some filters could not be checked on (no tags sent, no flags…), by item id. */
	unchecked: Map<string, CheckedFilter[]>;
	pages: number;
	/** The server refused `since` (this read's first call, or an earlier one): it was read without, and Changed Since checked here. */
	sinceRefused: boolean;
	stoppedEarly?: EarlyStop;
	/** The server's time at the first page: changes from then on are the next read's. */
	since?: number;
	rateLimit?: RateLimit;
}

/** What the caller knows before the read: that this server refuses `since`. */
export interface ReadMemory {
	sinceRefused?: boolean;
}

/** Counts an item left out for a filter the server was asked, not for Changed Since the node applies itself after a refusal. */
function countDropped(result: ReadResult, filter: CheckedFilter): void {
	if (filter === 'since' && result.sinceRefused) return;
	result.dropped[filter] = (result.dropped[filter] ?? 0) + 1;
}

/** One page; a `since` the server refuses is dropped and the same page asked again, once. */
async function fetchAllowed(fetchPage: PageFetcher, count: number, offset: number, query: GetQuery, result: ReadResult) {
	const asked = result.sinceRefused ? withoutSince(query) : query;
	const page = await fetchPage(count, offset, asked);
	if (page.ok || asked.since === undefined || !refusesSince(page.failure)) return page;
	result.sinceRefused = true;
	result.pages++;
	return await fetchPage(count, offset, withoutSince(query));
}

/**
 * Pocket leaves `tags` out of untagged items, and some servers never send tags: an untagged
 * item looks the same on both. Once any item of the read (or, for Untagged, of one more page
 * without the tag filter) carries tags, the server sends them, and the items without are
 * checked as untagged; items of earlier pages that now contradict the Tag filter are dropped.
 */
async function settleTags(fetchPage: PageFetcher, query: GetQuery, pageSize: number, result: ReadResult, tagsSeen: boolean): Promise<Result<void, Failure>> {
	const open = [...result.unchecked.values()].some((filters) => filters.includes('tag'));
	if (!open) return success(undefined);
	let seen = tagsSeen;
	if (!seen && query.tag === UNTAGGED) {
		const probe = await fetchAllowed(fetchPage, pageSize, 0, { ...query, tag: undefined }, result);
		if (!probe.ok) return failure(probe.failure);
		result.pages++;
		seen = probe.value.value.items.some((item) => item.tagsKnown);
	}
	if (!seen) return success(undefined);
	const kept: NormalisedItem[] = [];
	for (const item of result.items) {
		item.tagsKnown = true;
		const contradicted = contradictedFilter(item, query);
		if (contradicted !== undefined) {
			countDropped(result, contradicted);
			result.unchecked.delete(item.json.item_id);
			continue;
		}
		const unchecked = uncheckedFilters(item, query);
		if (unchecked.length > 0) result.unchecked.set(item.json.item_id, unchecked);
		else result.unchecked.delete(item.json.item_id);
		kept.push(item);
	}
	result.items = kept;
	return success(undefined);
}

/**
 * Whether a page of `received` items, read up to `offset`, leaves more to read. A server that
 * caps `count` below what was asked sends short pages: its total says more is coming.
 */
export function hasMore(received: number, pageSize: number, offset: number, total: number | undefined): boolean {
	return received > 0 && (total === undefined ? received >= pageSize : offset < total);
}

/**
 * Reads pages until the limit is reached, a page comes back empty or short, the total the
 * server announced is reached, a page holds only items already read (a server that ignores
 * `offset`), or MAX_PAGES. An item that comes twice (the list shifted while it was read) is
 * returned once.
 */
export async function readItems(
	fetchPage: PageFetcher,
	query: GetQuery,
	{ limit, pageSize }: ReadLimits,
	memory: ReadMemory = {},
): Promise<Result<ReadResult, Failure>> {
	const result: ReadResult = { items: [], dropped: {}, unchecked: new Map(), pages: 0, sinceRefused: memory.sinceRefused === true };
	const seen = new Set<string>();
	let tagsSeen = false;
	let offset = 0;
	while (limit === undefined || result.items.length < limit) {
		if (result.pages === MAX_PAGES) {
			result.stoppedEarly = 'pageCap';
			break;
		}
		// Whole pages even near the Limit: calls are what servers count, and items may be dropped.
		const page = await fetchAllowed(fetchPage, pageSize, offset, query, result);
		if (!page.ok) return failure(page.failure);
		result.pages++;
		const { items, total, since } = page.value.value;
		result.rateLimit = page.value.rateLimit ?? result.rateLimit;
		if (result.pages === 1) result.since = since;
		tagsSeen ||= items.some((item) => item.tagsKnown);
		const fresh = items.filter((item) => !seen.has(item.json.item_id));
		if (items.length > 0 && fresh.length === 0) {
			result.stoppedEarly = 'repeatedPage';
			break;
		}
		for (const item of fresh) {
			seen.add(item.json.item_id);
			const contradicted = contradictedFilter(item, query);
			if (contradicted !== undefined) {
				countDropped(result, contradicted);
				continue;
			}
			if (limit !== undefined && result.items.length === limit) break;
			const unchecked = uncheckedFilters(item, query);
			if (unchecked.length > 0) result.unchecked.set(item.json.item_id, unchecked);
			result.items.push(item);
		}
		offset += items.length;
		if (!hasMore(items.length, pageSize, offset, total)) break;
	}
	const settled = await settleTags(fetchPage, query, pageSize, result, tagsSeen);
	return settled.ok ? success(result) : failure(settled.failure);
}
