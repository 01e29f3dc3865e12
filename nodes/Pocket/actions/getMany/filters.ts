import type { IDataObject } from 'n8n-workflow';

import type { Result } from '../../result';
import { failure, success } from '../../result';
import type { GetQuery } from '../../transport/get';
import { UNTAGGED } from '../../transport/get';
import { describeValue } from '../../model/describeValue';
import type { ValidationContext } from '../validation';
import { parseTagName, parseTime } from '../validation';
import type { ItemStatus, NormalisedItem } from '../../model/item';

/**
 * What each filter of Get Many (and of the trigger's queries) asks the server, and how the
 * node checks an answered item against it: some servers ignore some filters, and users chain
 * destructive actions after a read, so an item that contradicts a filter is never returned.
 */

/** The Filters collection's values, by parameter name, as the node's UI holds them. */
export const FAVORITE = { only: 'favorite', not: 'notFavorite' } as const;

/** The filters a returned item can be checked against, from the item itself. */
export type CheckedFilter = 'state' | 'favorite' | 'tag' | 'contentType' | 'search' | 'since' | 'domain';

/** Each filter's label in the UI and its parameter name. */
export const FILTER_LABELS: Record<CheckedFilter, [label: string, parameter: string]> = {
	state: ['State', 'state'],
	favorite: ['Favorite', 'favorite'],
	tag: ['Tag', 'tag'],
	contentType: ['Content Type', 'contentType'],
	search: ['Search', 'search'],
	since: ['Changed Since', 'changedSince'],
	domain: ['Domain', 'domain'],
};

/** A filter as errors name it: "Tag (tag)". */
export const filterName = (filter: CheckedFilter): string => `${FILTER_LABELS[filter][0]} (${FILTER_LABELS[filter][1]})`;

/** A domain as the server compares it: "https://www.GitHub.com/x" → "github.com". */
export function domainOf(value: string): string {
	const text = value.trim().toLowerCase();
	const host = /^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text.replace(/^[^:]+:\/\//, '') : text;
	return host.replace(/[/?#].*$/, '').replace(/^www\./, '');
}

/** One filter the user gave that cannot be sent, named as the UI names it. */
export interface InvalidFilter {
	filter: string;
	problem: string;
}

/** What an unfilled expression yields: the filter is not given. Anything else is read or refused. */
const isUnset = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * A filter's value as text: an expression may yield a number (a tag "2024", a search for
 * "42"), taken as its digits; lists, objects and booleans are refused rather than ignored.
 */
function textOf(value: unknown): Result<string, string> {
	if (typeof value === 'string') return success(value.trim());
	if (typeof value === 'number' && Number.isFinite(value)) return success(String(value));
	return failure(`must be a text value (got ${describeValue(value)})`);
}

/** One of a choice filter's values, exactly; a value from an expression that is none of them is refused. */
function choiceOf<T extends string>(value: unknown, choices: readonly T[]): Result<T, string> {
	const text = typeof value === 'string' ? value.trim() : undefined;
	const choice = choices.find((c) => c === text);
	return choice === undefined ? failure(`must be one of ${choices.join(', ')} (got ${describeValue(value)})`) : success(choice);
}

type Reader = (value: unknown, query: GetQuery, context: ValidationContext) => Result<void, string>;

const SORT_NAME = 'Sort (sort)';

/**
 * How each filter of the collection is read into the query, by parameter name; every filter
 * given is either sent exactly or refused naming the filter, never dropped.
 */
const FILTER_READERS: Record<string, { name: string; read: Reader }> = {
	state: { name: filterName('state'), read: (value, query) => map(choiceOf(value, ['unread', 'archive', 'all'] as const), (state) => (query.state = state)) },
	favorite: {
		name: filterName('favorite'),
		read: (value, query) => map(choiceOf(value, [FAVORITE.only, FAVORITE.not] as const), (f) => (query.favorite = f === FAVORITE.only ? 1 : 0)),
	},
	tag: { name: filterName('tag'), read: (value, query, context) => map(parseTagName(value, context), (tag) => (query.tag = tag)) },
	contentType: {
		name: filterName('contentType'),
		read: (value, query) => map(choiceOf(value, ['article', 'video', 'image'] as const), (type) => (query.contentType = type)),
	},
	sort: { name: SORT_NAME, read: (value, query) => map(choiceOf(value, ['newest', 'oldest', 'title', 'site'] as const), (sort) => (query.sort = sort)) },
	search: { name: filterName('search'), read: (value, query) => map(textOf(value), (search) => (query.search = search)) },
	domain: { name: filterName('domain'), read: (value, query) => map(textOf(value), (domain) => (query.domain = domainOf(domain))) },
	changedSince: { name: filterName('since'), read: (value, query, context) => map(parseTime(value, context), (since) => (query.since = Number(since))) },
};

function map<T>(result: Result<T, string>, apply: (value: T) => unknown): Result<void, string> {
	if (!result.ok) return result;
	apply(result.value);
	return success(undefined);
}

/** The request's filters from the Filters collection; only the filters the user added are sent. */
export function queryOf(filters: IDataObject, context: ValidationContext): Result<GetQuery, InvalidFilter> {
	const query: GetQuery = {};
	for (const [name, value] of Object.entries(filters)) {
		if (isUnset(value) || !Object.prototype.hasOwnProperty.call(FILTER_READERS, name)) continue;
		const reader = FILTER_READERS[name];
		const applied = reader.read(value, query, context);
		if (!applied.ok) return failure({ filter: reader.name, problem: applied.failure });
	}
	return success(query);
}

/** Which statuses each state admits; deleted items only come back to a "changed since" read. */
const STATES: Record<NonNullable<GetQuery['state']>, (status: ItemStatus, sinceAsked: boolean) => boolean> = {
	unread: (status) => status === 'unread',
	archive: (status) => status === 'archived',
	all: (status, sinceAsked) => status !== 'deleted' || sinceAsked,
};

/** Pocket's flags and levels ("0"/"1"/"2", "true"/"false", booleans, numbers) as a number; undefined when not sent. */
function levelOf(value: unknown): number | undefined {
	if (typeof value === 'boolean') return value ? 1 : 0;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : typeof value === 'number' ? String(value) : undefined;
	if (text === 'true' || text === 'false') return text === 'true' ? 1 : 0;
	return text !== undefined && /^\d$/.test(text) ? Number(text) : undefined;
}

/**
 * What each Content Type asks of Pocket's `is_article`, `has_video` (1 has videos, 2 is a video)
 * and `has_image` (1 has images, 2 is an image); "video" also admits articles with a video.
 */
const CONTENT_TYPES: Record<NonNullable<GetQuery['contentType']>, { flag: string; holds: (level: number) => boolean }> = {
	article: { flag: 'is_article', holds: (level) => level === 1 },
	video: { flag: 'has_video', holds: (level) => level >= 1 },
	image: { flag: 'has_image', holds: (level) => level >= 1 },
};

function contentTypeHolds(raw: IDataObject, contentType: NonNullable<GetQuery['contentType']>): boolean | undefined {
	const { flag, holds } = CONTENT_TYPES[contentType];
	const level = levelOf(raw[flag]);
	return level === undefined ? undefined : holds(level);
}

/** Title and addresses as Pocket's search compares them, lower case. */
function searchedText({ json }: NormalisedItem): string {
	const { given_title, given_url, resolved_url } = json.raw;
	return [json.title, given_title, json.url, given_url, resolved_url]
		.filter((t): t is string => typeof t === 'string')
		.join(' ')
		.toLowerCase();
}

interface FilterCheck {
	isSet: (query: GetQuery) => boolean;
	/** Whether the item satisfies the filter, or undefined when the item cannot tell. */
	check: (item: NormalisedItem, query: GetQuery) => boolean | undefined;
	/** Why the item could not tell, for the user; absent where every item can. */
	cannotTell?: string;
}

/**
 * How an item is checked against each filter the query sets. Sort is not here: it orders the
 * items and leaves none out, and the order is the server's.
 */
const CHECKS: Record<CheckedFilter, FilterCheck> = {
	state: { isSet: ({ state }) => state !== undefined, check: ({ json }, { state, since }) => STATES[state ?? 'all'](json.status, since !== undefined) },
	favorite: { isSet: ({ favorite }) => favorite !== undefined, check: ({ json }, { favorite }) => json.favorite === (favorite === 1) },
	tag: {
		isSet: ({ tag }) => tag !== undefined,
		check: ({ json, tagsKnown }, { tag = '' }) => {
			// Without tags from the server, an item's empty list proves nothing, even for untagged.
			if (!tagsKnown) return undefined;
			if (tag === UNTAGGED) return json.tags.length === 0;
			return json.tags.some((t) => t.toLowerCase() === tag.toLowerCase());
		},
		cannotTell: 'the server sends no tags, so the node cannot tell which items have the tag (or none)',
	},
	contentType: {
		isSet: ({ contentType }) => contentType !== undefined,
		check: ({ json }, { contentType = 'article' }) => contentTypeHolds(json.raw, contentType),
		cannotTell: 'the server sends no is_article, has_video or has_image flags to check the type against',
	},
	search: { isSet: ({ search }) => search !== undefined, check: (item, { search = '' }) => searchedText(item).includes(search.toLowerCase()) },
	since: {
		isSet: ({ since }) => since !== undefined,
		check: ({ seconds }, { since = 0 }) => {
			const times = Object.values(seconds).filter((s): s is number => s !== null);
			return times.length === 0 ? undefined : Math.max(...times) >= since;
		},
		cannotTell: 'the server sent no times for the item',
	},
	domain: {
		isSet: ({ domain }) => domain !== undefined,
		check: ({ hosts }, { domain = '' }) => (hosts.length === 0 ? undefined : hosts.some((h) => h === domain || h.endsWith(`.${domain}`))),
		cannotTell: 'the server sent no URL for the item',
	},
};

const CHECKED = Object.keys(CHECKS) as CheckedFilter[];

/** The first filter the item contradicts, if any. */
export function contradictedFilter(item: NormalisedItem, query: GetQuery): CheckedFilter | undefined {
	return CHECKED.find((filter) => CHECKS[filter].isSet(query) && CHECKS[filter].check(item, query) === false);
}

/** The filters the query sets that this item cannot be checked against. */
export function uncheckedFilters(item: NormalisedItem, query: GetQuery): CheckedFilter[] {
	return CHECKED.filter((filter) => CHECKS[filter].isSet(query) && CHECKS[filter].check(item, query) === undefined);
}

/** Why a filter could not be checked on an item, for the user. */
export const whyUnchecked = (filter: CheckedFilter): string => CHECKS[filter].cannotTell ?? 'the item does not say';
