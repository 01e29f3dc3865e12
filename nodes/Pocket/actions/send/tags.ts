import type { IDataObject } from 'n8n-workflow';

import type { NormalisedItem } from '../../model/item';
import { readTags } from '../../model/item';
import type { PocketAction } from '../validation';
import { DIGITS } from '../validation';

/**
 * Whether the tags of an `add` landed: some servers store the tags of a `/send` `add`, others
 * accept them and store none (shared reference, pocket-api.md). The ways Add can save tags, what
 * an answer proves, and how a saved item is found again when the answer does not name it.
 */

export type TagLandingMode = 'check' | 'trust' | 'addEndpoint';

/** Item → Add's Save Tags option: each way, as the UI shows it (sorted by name, as n8n's lint wants). */
export const TAG_LANDING_MODES: ReadonlyArray<{ value: TagLandingMode; name: string; description: string }> = [
	{
		value: 'addEndpoint',
		name: 'Add Endpoint, One Call Per Item',
		description: "One call of the server's /add endpoint per item (4 at a time); tags its answer does not list are added with one more call",
	},
	{
		value: 'check',
		name: 'Check and Complete',
		description:
			'One call per batch; where the answer does not list the tags, they are added to the saved items with one more call (after one read of the list when the server does not return the new items)',
	},
	{
		value: 'trust',
		name: 'Trust the Send Call',
		description: 'One call per batch, for servers known to store the tags of an add (Pocket). Tags the answer does not list are reported as unconfirmed.',
	},
];

export const DEFAULT_TAG_LANDING: TagLandingMode = 'check';

/** Items saved through `/add` at the same time: bounded, because every call counts against the rate limit. */
export const ADD_CONCURRENCY = 4;

/** The option's value, or the default for a value this version does not know. */
export function tagLandingMode(value: unknown): TagLandingMode {
	return TAG_LANDING_MODES.find((m) => m.value === value)?.value ?? DEFAULT_TAG_LANDING;
}

/**
 * What is known of one added item's tags, in its output item. `how`: the add's answer listed
 * them, a `tags_add` call on the saved item was applied, none were sent, or not confirmed
 * (`reason` says why).
 */
export type TagReport = {
	sent: string[];
	confirmed: boolean;
	how: 'answer' | 'tags_add' | 'none sent' | 'not confirmed';
	reason?: string;
};

export const sentTags = (action: PocketAction): string[] => (action.tags ? action.tags.split(',') : []);

export const unconfirmed = (sent: string[], reason: string): TagReport => ({ sent, confirmed: false, how: 'not confirmed', reason });

/**
 * The report an add's answer settles by itself: no tags sent, or every sent tag listed in the
 * returned item (any case: some servers store tags in lower case). Undefined when it proves
 * nothing, so the tags are still to be landed or reported.
 */
export function judgeAnswer(action: PocketAction, item: IDataObject | undefined): TagReport | undefined {
	const sent = sentTags(action);
	if (sent.length === 0) return { sent, confirmed: true, how: 'none sent' };
	const listed = item === undefined ? undefined : readTags(item.tags);
	if (!listed?.ok || listed.value === undefined) return undefined;
	return listsAll(listed.value, sent) ? { sent, confirmed: true, how: 'answer' } : undefined;
}

/** Lists this short (an item's few tags) are compared directly: a Set of lower-cased names per add cost more than the comparison. */
const FEW_TAGS = 8;

/** Whether `stored` holds every one of `sent`, in any case. */
function listsAll(stored: string[], sent: string[]): boolean {
	if (sent.every((t) => stored.includes(t))) return true;
	if (stored.length > FEW_TAGS) {
		const lower = new Set(stored.map((t) => t.toLowerCase()));
		return sent.every((t) => lower.has(t.toLowerCase()));
	}
	return sent.every((t) => stored.some((s) => s.toLowerCase() === t.toLowerCase()));
}

/** The saved item's id in an answer's item, as the digit string `tags_add` takes. */
export function idOf(item: IDataObject | undefined): string | undefined {
	const id = item?.item_id;
	const text = typeof id === 'number' ? String(id) : id;
	return typeof text === 'string' && DIGITS.test(text) ? text : undefined;
}

/**
 * A URL as servers may give it back: any scheme, host in lower case without "www.", without a
 * fragment or a trailing slash. Light on purpose: the sent URL must still single the item out.
 */
export function urlKey(url: string): string {
	try {
		const u = new URL(url.trim());
		const path = u.pathname.replace(/\/+$/, '');
		return `${u.host.toLowerCase().replace(/^www\./, '')}${path}${u.search}`;
	} catch {
		return url.trim();
	}
}

const SAVED_URL_FIELDS = ['given_url', 'resolved_url', 'normal_url'] as const;

export function urlKeysOf(item: NormalisedItem): Set<string> {
	const urls = [item.json.url, ...SAVED_URL_FIELDS.map((f) => item.json.raw[f])].filter((u): u is string => typeof u === 'string' && u !== '');
	return new Set(urls.map(urlKey));
}

/** Newest first: by time added, then by id, as servers number items in the order they save them. */
export function newestFirst(a: NormalisedItem, b: NormalisedItem): number {
	const byTime = (b.seconds.time_added ?? 0) - (a.seconds.time_added ?? 0);
	if (byTime !== 0) return byTime;
	const [x, y] = [a.json.item_id, b.json.item_id];
	return x.length !== y.length ? y.length - x.length : y.localeCompare(x);
}

/** The saved items of each URL key, newest first (a server may hold several copies of a URL). */
export function copiesByUrl(items: NormalisedItem[]): Map<string, NormalisedItem[]> {
	const byKey = new Map<string, NormalisedItem[]>();
	for (const item of items) {
		for (const key of urlKeysOf(item)) {
			const copies = byKey.get(key);
			if (copies) copies.push(item);
			else byKey.set(key, [item]);
		}
	}
	for (const copies of byKey.values()) copies.sort(newestFirst);
	return byKey;
}

/**
 * The saved item of each added URL, by input index, found in a read of the list. A server that
 * stores a second copy of a URL holds several: the last add of a URL gets the newest copy, the
 * one before it the next, so each add of a batch tags its own copy.
 */
export function matchSaved(adds: Array<{ index: number; url: string }>, items: NormalisedItem[]): Map<number, string> {
	const byKey = copiesByUrl(items);
	const ids = new Map<number, string>();
	const taken = new Map<string, number>();
	for (const { index, url } of [...adds].reverse()) {
		const key = urlKey(url);
		const copies = byKey.get(key) ?? [];
		const n = taken.get(key) ?? 0;
		const copy = copies[Math.min(n, copies.length - 1)];
		if (copy === undefined) continue;
		ids.set(index, copy.json.item_id);
		taken.set(key, n + 1);
	}
	return ids;
}
