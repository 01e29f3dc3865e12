import type { Result } from '../result';
import { failure, success } from '../result';
import type { Failure } from '../transport/failures';
import type { GetPage, GetQuery } from '../transport/get';
import type { Answered } from '../transport/request';
import type { RateLimit } from '../transport/response';
import type { CheckedFilter } from './filters';
import { contradictedFilter, tagUnchecked } from './filters';
import type { NormalisedItem } from '../model/item';

/**
 * Reading every page of a query, the node's own paging: the protocol has no cursor, only
 * `count` and `offset`, and servers cap `count` differently, ignore `offset`, or change the
 * list while it is read. Each page's items are checked against the filters as they come.
 */

/** Pocket's own cap on `count`: every compatible server accepts a page this large. */
export const DEFAULT_PAGE_SIZE = 30;

/** No read goes beyond this many pages, whatever the server answers (300,000 items at 30). */
export const MAX_PAGES = 10_000;

/** One page at `offset` of at most `count` items. */
export type PageFetcher = (count: number, offset: number) => Promise<Result<Answered<GetPage>, Failure>>;

export interface ReadLimits {
	/** The most items to return; undefined returns all. */
	limit?: number;
	pageSize: number;
}

/** Why a read stopped before the server said there was nothing more. */
export type EarlyStop = 'repeatedPage' | 'pageCap';

export interface ReadResult {
	items: NormalisedItem[];
	/** Items left out because they contradict a filter, by filter. */
	dropped: Partial<Record<CheckedFilter, number>>;
	/** Items returned although the Tag filter could not be checked on them (no tags sent). */
	tagUnchecked: number;
	pages: number;
	stoppedEarly?: EarlyStop;
	/** The server's time at the first page: changes from then on are the next read's. */
	since?: number;
	rateLimit?: RateLimit;
}

/**
 * Reads pages until the limit is reached, a page comes back empty or short, the total the
 * server announced is reached, a page holds only items already read (a server that ignores
 * `offset`), or MAX_PAGES. An item that comes twice (the list shifted while it was read) is
 * returned once.
 */
export async function readItems(fetchPage: PageFetcher, query: GetQuery, { limit, pageSize }: ReadLimits): Promise<Result<ReadResult, Failure>> {
	const result: ReadResult = { items: [], dropped: {}, tagUnchecked: 0, pages: 0 };
	const seen = new Set<string>();
	let offset = 0;
	while (limit === undefined || result.items.length < limit) {
		if (result.pages === MAX_PAGES) {
			result.stoppedEarly = 'pageCap';
			break;
		}
		// Whole pages even near the Limit: calls are what servers count, and items may be dropped.
		const page = await fetchPage(pageSize, offset);
		if (!page.ok) return failure(page.failure);
		result.pages++;
		const { items, total, since } = page.value.value;
		result.rateLimit = page.value.rateLimit ?? result.rateLimit;
		if (result.pages === 1) result.since = since;
		const fresh = items.filter((item) => !seen.has(item.json.item_id));
		if (items.length > 0 && fresh.length === 0) {
			result.stoppedEarly = 'repeatedPage';
			break;
		}
		for (const item of fresh) {
			seen.add(item.json.item_id);
			const contradicted = contradictedFilter(item, query);
			if (contradicted !== undefined) {
				result.dropped[contradicted] = (result.dropped[contradicted] ?? 0) + 1;
				continue;
			}
			if (limit !== undefined && result.items.length === limit) break;
			if (tagUnchecked(item, query)) result.tagUnchecked++;
			result.items.push(item);
		}
		offset += items.length;
		// A server that caps `count` below what was asked sends short pages: its total says more is coming.
		const more = total === undefined ? items.length >= pageSize : offset < total;
		if (items.length === 0 || !more) break;
	}
	return success(result);
}
