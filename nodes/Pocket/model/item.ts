import type { IDataObject } from 'n8n-workflow';

import type { Result } from '../result';
import { failure, success } from '../result';
import { describeValue } from './describeValue';

/**
 * One saved item in one shape, whatever the server sent: compatible servers differ in how they
 * encode flags ("0"/"1", "true"/"false", booleans), times (Unix seconds as strings or numbers,
 * ISO strings) and tags (a map, an array, or nothing at all). Pure: a page is normalised once,
 * where it is read (transport/get.ts), and shared by Get Many and the trigger.
 */

export type ItemStatus = 'unread' | 'archived' | 'deleted';

/** The node's output item. A type rather than an interface, so that it is an IDataObject. */
export type PocketItem = {
	item_id: string;
	url: string;
	title: string;
	excerpt: string;
	status: ItemStatus;
	favorite: boolean;
	tags: string[];
	time_added: string | null;
	time_updated: string | null;
	time_read: string | null;
	time_favorited: string | null;
	word_count: number | null;
	domain: string;
	/** Every other field the server sent, as it sent it. */
	raw: IDataObject;
};

const TIME_FIELDS = ['time_added', 'time_updated', 'time_read', 'time_favorited'] as const;

export type TimeField = (typeof TIME_FIELDS)[number];

/** An item with what the filters and the trigger compare, kept as numbers. */
export interface NormalisedItem {
	json: PocketItem;
	/** The times in Unix seconds; null for never (Pocket's "0") or not sent. */
	seconds: Record<TimeField, number | null>;
	/** Whether the server sent tags at all: without them an empty `tags` proves nothing. */
	tagsKnown: boolean;
	/** The host names of every URL the item carries, without "www.". */
	hosts: string[];
}

/** The output fields: a field of the same name in the server's item is not repeated under `raw`. */
const OUTPUT_FIELDS = new Set<string>([
	'item_id',
	'url',
	'title',
	'excerpt',
	'status',
	'favorite',
	'tags',
	...TIME_FIELDS,
	'word_count',
	'domain',
]);

const URL_FIELDS = ['given_url', 'resolved_url', 'normal_url', 'url'] as const;

type Read<T> = Result<T, string>;

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

const FLAGS = new Map<unknown, boolean>([
	[true, true],
	[false, false],
	[1, true],
	[0, false],
	['1', true],
	['0', false],
	['true', true],
	['false', false],
]);

/** Reads are immutable: the few possible ones are made once, not once per item. */
const readsOf = <K, V>(map: Map<K, V>) => new Map([...map].map(([key, value]) => [key, success(value)]));

const FLAG_READS = readsOf(FLAGS);
const NO = success(false);

/** Pocket's "0"/"1", other servers' "true"/"false" or booleans; absent means no. */
function readFlag(value: unknown): Read<boolean> {
	if (isBlank(value)) return NO;
	const flag = FLAG_READS.get(value) ?? (typeof value === 'string' ? FLAG_READS.get(value.trim().toLowerCase()) : undefined);
	return flag ?? failure(`must be 0/1 or true/false (got ${describeValue(value)})`);
}

const STATUSES = new Map<unknown, ItemStatus>([
	[0, 'unread'],
	[1, 'archived'],
	[2, 'deleted'],
	['0', 'unread'],
	['1', 'archived'],
	['2', 'deleted'],
	[false, 'unread'],
	[true, 'archived'],
	['false', 'unread'],
	['true', 'archived'],
	['unread', 'unread'],
	['archived', 'archived'],
	['archive', 'archived'],
	['deleted', 'deleted'],
]);

/** Pocket's 0 unread, 1 archived, 2 deleted, as a number, a string or (archived or not) a flag. */
const STATUS_READS = readsOf(STATUSES);

function readStatus(value: unknown): Read<ItemStatus> {
	const status = STATUS_READS.get(value) ?? (typeof value === 'string' ? STATUS_READS.get(value.trim().toLowerCase()) : undefined);
	return status ?? failure(`must be 0 (unread), 1 (archived) or 2 (deleted) (got ${describeValue(value)})`);
}

const DIGITS = /^\d+$/;

/**
 * The last second of the year 9999: later "times" are not dates (a Date cannot hold them, and
 * an output date must be one), so they are refused rather than thrown on or clamped.
 */
const MAX_SECONDS = 253_402_300_799;

/** Unix seconds (number or string; 0 is never) or an ISO 8601 string, as seconds. */
const NEVER = success(null);

function readTime(value: unknown): Read<number | null> {
	if (isBlank(value)) return NEVER;
	const seconds =
		typeof value === 'number' ? value : typeof value === 'string' && (DIGITS.test(value) || DIGITS.test(value.trim())) ? Number(value) : undefined;
	// Only what starts like an ISO date: Date.parse reads "Item 12" as a year.
	const millis = seconds === undefined && typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value.trim()) ? Date.parse(value) : NaN;
	const read = seconds ?? (Number.isNaN(millis) ? undefined : millis / 1000);
	if (read === undefined || Number.isNaN(read)) return failure(`must be Unix seconds or an ISO 8601 date (got ${describeValue(value)})`);
	if (!(read >= 0 && read <= MAX_SECONDS)) return failure(`must be a time from 1970 to 9999 (got ${describeValue(value)})`);
	return read === 0 ? NEVER : success(Math.floor(read));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Whole Unix seconds from 1970 to 9999 as Date#toISOString writes them, from the civil calendar's
 * arithmetic (days to year, month and day as in H. Hinnant's civil_from_days): a Date and its
 * toISOString cost 0.5 µs, twice for every item read, and most of the normalising.
 */
export function isoOfSeconds(seconds: number): string {
	const days = Math.floor(seconds / 86400);
	const inDay = seconds - days * 86400;
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const dayOfEra = z - era * 146097;
	const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
	const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	const hours = Math.floor(inDay / 3600);
	const minutes = Math.floor((inDay - hours * 3600) / 60);
	return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(inDay % 60)}.000Z`;
}

const isString = (entry: unknown): entry is string => typeof entry === 'string';

/** A tag map ({ name: { tag: name } }), a list of names or of { tag } objects; absent is unknown. */
export function readTags(value: unknown): Read<string[] | undefined> {
	if (isBlank(value)) return success(undefined);
	// A list of names, as most answers give it, serves as is rather than copied name by name.
	if (Array.isArray(value) && value.every(isString)) return success(value as string[]);
	const nameOf = (entry: unknown, key?: string): string | undefined => {
		if (typeof entry === 'string') return entry;
		const tag = typeof entry === 'object' && entry !== null ? (entry as IDataObject).tag : undefined;
		return typeof tag === 'string' ? tag : key;
	};
	const names = Array.isArray(value)
		? value.map((entry) => nameOf(entry))
		: typeof value === 'object'
			? Object.entries(value as IDataObject).map(([key, entry]) => nameOf(entry, key))
			: [undefined];
	if (names.some((n) => n === undefined)) return failure(`must be a map or a list of tag names (got ${describeValue(value)})`);
	return success(names as string[]);
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** An http(s) URL's host when it is made only of ASCII letters, digits, dots and hyphens, with at most a short port. */
const ASCII_HOST = /^https?:\/\/([A-Za-z0-9.-]+)(?::\d{0,4})?(?:[/?#]|$)/;

/**
 * The host of a URL like most URLs in answers: ASCII labels, none empty, none starting with
 * xn-- (IDNA would check it), the last starting with a letter (so not an IPv4 number the parser
 * would rewrite), no userinfo, no escapes. For such a host the URL parser changes only the case,
 * so it is read without parsing the URL, which cost a third of normalising an item. Undefined
 * for anything else, which goes through the parser.
 */
export function plainHost(url: string): string | undefined {
	const host = ASCII_HOST.exec(url)?.[1];
	if (host === undefined) return undefined;
	// One pass over the labels: none empty, none starting with xn--, the last starting with a letter.
	let labelStart = 0;
	for (let i = 0; i <= host.length; i++) {
		if (i < host.length && host.charCodeAt(i) !== 0x2e) continue;
		if (i === labelStart || (i - labelStart >= 4 && /^xn--/i.test(host.slice(labelStart, labelStart + 4)))) return undefined;
		if (i < host.length) labelStart = i + 1;
	}
	const first = host.charCodeAt(labelStart) | 0x20;
	return labelStart > 0 && first >= 0x61 && first <= 0x7a ? host.toLowerCase() : undefined;
}

function hostOf(url: string): string | undefined {
	try {
		return (plainHost(url) ?? new URL(url).hostname.toLowerCase()).replace(/^www\./, '');
	} catch {
		return undefined;
	}
}

/**
 * The fields of a server's item that are not output fields, copied without an entry array per
 * field (every answered Add item passes here). Each is defined as an own property, as
 * Object.fromEntries would: a field named `__proto__` stays a field.
 */
function otherFields(fields: IDataObject): IDataObject {
	const raw: IDataObject = {};
	for (const name of Object.keys(fields)) {
		if (OUTPUT_FIELDS.has(name)) continue;
		if (name === '__proto__') Object.defineProperty(raw, name, { value: fields[name], enumerable: true, writable: true, configurable: true });
		else raw[name] = fields[name];
	}
	return raw;
}

/** Whether one of the URL fields before the k-th holds the same address. */
function sentEarlier(fields: IDataObject, k: number, value: string): boolean {
	for (let j = 0; j < k; j++) if (text(fields[URL_FIELDS[j]]) === value) return true;
	return false;
}

const problem = (id: string, field: string, why: string) => failure(`item ${id}: ${field} ${why}`);

const isoOrNull = (seconds: number | null) => (seconds === null ? null : isoOfSeconds(seconds));

/**
 * Reads one entry of a page's `list`; `key` is its key when the list is an object keyed by id.
 * Fails, naming the item and the field, on values no known server sends.
 */
export function normaliseEntry(entry: unknown, key?: string): Read<NormalisedItem> {
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
		return failure(`a list entry ${key === undefined ? '' : `(${key}) `}is not an item object (got ${describeValue(entry)})`);
	}
	const fields = entry as IDataObject;
	const id = text(fields.item_id) ?? key;
	if (id === undefined) return failure(`an item has no item_id (${describeValue(entry)})`);

	const status = readStatus(fields.status);
	if (!status.ok) return problem(id, 'status', status.failure);
	const favorite = readFlag(fields.favorite);
	if (!favorite.ok) return problem(id, 'favorite', favorite.failure);
	const tags = readTags(fields.tags);
	if (!tags.ok) return problem(id, 'tags', tags.failure);
	const seconds = {} as Record<TimeField, number | null>;
	for (const field of TIME_FIELDS) {
		const time = readTime(fields[field]);
		if (!time.ok) return problem(id, field, time.failure);
		seconds[field] = time.value;
	}

	// Pocket sends the same address under several names: each is parsed once, the first is the
	// item's url and its host the domain. One to four names, compared in place: an array per item
	// for them cost the collector more than the comparisons (every answered Add item passes here).
	let url = '';
	let domain = '';
	const hosts: string[] = [];
	for (let k = 0; k < URL_FIELDS.length; k++) {
		const value = text(fields[URL_FIELDS[k]]);
		if (value === undefined || sentEarlier(fields, k, value)) continue;
		const host = hostOf(value);
		if (url === '') {
			url = value;
			domain = host ?? '';
		}
		if (host !== undefined && !hosts.includes(host)) hosts.push(host);
	}
	const wordCount = Number(fields.word_count);
	const raw = otherFields(fields);

	return success({
		json: {
			item_id: id,
			url,
			title: text(fields.resolved_title) ?? text(fields.given_title) ?? text(fields.title) ?? '',
			excerpt: text(fields.excerpt) ?? '',
			status: status.value,
			favorite: favorite.value,
			tags: tags.value ?? [],
			time_added: isoOrNull(seconds.time_added),
			time_updated: isoOrNull(seconds.time_updated),
			time_read: isoOrNull(seconds.time_read),
			time_favorited: isoOrNull(seconds.time_favorited),
			word_count: isBlank(fields.word_count) || !Number.isFinite(wordCount) ? null : wordCount,
			domain,
			raw,
		},
		seconds,
		tagsKnown: tags.value !== undefined,
		hosts,
	});
}
