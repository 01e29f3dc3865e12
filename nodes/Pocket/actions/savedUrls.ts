import type { Result } from '../result';
import type { NormalisedItem } from '../model/item';
import type { Connection } from '../transport/connect';
import { target } from '../transport/connect';
import type { Failure } from '../transport/failures';
import type { GetSettings } from '../transport/get';
import { fetchPage } from '../transport/get';
import type { ReadResult } from './paging';
import { DEFAULT_PAGE_SIZE, readItems } from './paging';

/**
 * The account's saved items by URL, for the operations that must know whether a URL is held and
 * under which id: one read of every item through Get Many's paging, then lookups in memory.
 */

/**
 * A URL as two saves of the same page write it: the WHATWG form (scheme and host lower case,
 * default port dropped, the path's dots resolved); text that is no URL stays as it is.
 */
export function normaliseUrl(url: string): string {
	const text = url.trim();
	try {
		return new URL(text).href;
	} catch {
		return text;
	}
}

/** Every address a saved item is known by: the given, the resolved and the normal URL. */
function urlsOf({ json }: NormalisedItem): string[] {
	const raw = [json.url, json.raw.given_url, json.raw.resolved_url, json.raw.normal_url];
	return [...new Set(raw.filter((u): u is string => typeof u === 'string' && u !== '').map(normaliseUrl))];
}

export type SavedUrls = Map<string, NormalisedItem[]>;

export function savedUrls(items: NormalisedItem[]): SavedUrls {
	const byUrl: SavedUrls = new Map();
	for (const item of items) {
		for (const url of urlsOf(item)) {
			const held = byUrl.get(url);
			if (held) held.push(item);
			else byUrl.set(url, [item]);
		}
	}
	return byUrl;
}

/**
 * The item a URL was last saved as, on servers that store a second copy when a URL is added
 * again: the newest by time added, then by id.
 */
export function newestSaved(saved: SavedUrls, url: string): NormalisedItem | undefined {
	const held = saved.get(normaliseUrl(url));
	if (!held) return undefined;
	const added = (item: NormalisedItem) => item.seconds.time_added ?? 0;
	return held.reduce((a, b) => (added(b) > added(a) || (added(b) === added(a) && Number(b.json.item_id) > Number(a.json.item_id)) ? b : a));
}

/** Reads every saved item of the account (the list and the archive), page by page. */
export async function readSavedItems(connection: Connection, settings: GetSettings): Promise<Result<ReadResult, Failure>> {
	const get = target(connection, 'get');
	return await readItems((count, offset) => fetchPage({ ...get, query: {}, count, offset, settings }), {}, { pageSize: DEFAULT_PAGE_SIZE });
}
