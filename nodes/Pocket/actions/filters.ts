import type { IDataObject } from 'n8n-workflow';

import type { Result } from '../result';
import { failure, success } from '../result';
import type { GetQuery } from '../transport/get';
import { UNTAGGED } from '../transport/get';
import type { ValidationContext } from './validation';
import { parseTagName, parseTime } from './validation';
import type { ItemStatus, NormalisedItem } from '../model/item';

/**
 * What each filter of Get Many (and of the trigger's queries) asks the server, and how the
 * node checks an answered item against it: some servers ignore some filters, and users chain
 * destructive actions after a read, so an item that contradicts a filter is never returned.
 */

/** The Filters collection's values, by parameter name, as the node's UI holds them. */
export const FAVORITE = { only: 'favorite', not: 'notFavorite' } as const;

/** The filters a returned item can be checked against, from the item itself. */
export type CheckedFilter = 'state' | 'favorite' | 'tag' | 'since' | 'domain';

/** A domain as the server compares it: "https://www.GitHub.com/x" → "github.com". */
export function domainOf(value: string): string {
	const text = value.trim().toLowerCase();
	const host = /^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text.replace(/^[^:]+:\/\//, '') : text;
	return host.replace(/[/?#].*$/, '').replace(/^www\./, '');
}

const trimmed = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** One filter the user gave that cannot be sent, named as the UI names it. */
export interface InvalidFilter {
	filter: string;
	problem: string;
}

/** The request's filters from the Filters collection; only the filters the user added are sent. */
export function queryOf(filters: IDataObject, context: ValidationContext): Result<GetQuery, InvalidFilter> {
	const query: GetQuery = {};
	const state = trimmed(filters.state);
	if (state === 'unread' || state === 'archive' || state === 'all') query.state = state;
	if (filters.favorite === FAVORITE.only) query.favorite = 1;
	if (filters.favorite === FAVORITE.not) query.favorite = 0;
	if (trimmed(filters.tag) !== undefined) {
		const tag = parseTagName(filters.tag, context);
		if (!tag.ok) return failure({ filter: 'Tag (tag)', problem: tag.failure });
		query.tag = tag.value;
	}
	const contentType = trimmed(filters.contentType);
	if (contentType === 'article' || contentType === 'video' || contentType === 'image') query.contentType = contentType;
	const sort = trimmed(filters.sort);
	if (sort === 'newest' || sort === 'oldest' || sort === 'title' || sort === 'site') query.sort = sort;
	const search = trimmed(filters.search);
	if (search !== undefined) query.search = search;
	const domain = trimmed(filters.domain);
	if (domain !== undefined) query.domain = domainOf(domain);
	if (trimmed(filters.changedSince) !== undefined || typeof filters.changedSince === 'number') {
		const since = parseTime(filters.changedSince, context);
		if (!since.ok) return failure({ filter: 'Changed Since (changedSince)', problem: since.failure });
		query.since = Number(since.value);
	}
	return success(query);
}

/** Which statuses each state admits; deleted items only come back to a "changed since" read. */
const STATES: Record<NonNullable<GetQuery['state']>, (status: ItemStatus, sinceAsked: boolean) => boolean> = {
	unread: (status) => status === 'unread',
	archive: (status) => status === 'archived',
	all: (status, sinceAsked) => status !== 'deleted' || sinceAsked,
};

/** Whether an item satisfies a filter; undefined when the filter is not set or the item cannot tell. */
const CHECKS: Record<CheckedFilter, (item: NormalisedItem, query: GetQuery) => boolean | undefined> = {
	state: ({ json }, { state, since }) => (state === undefined ? undefined : STATES[state](json.status, since !== undefined)),
	favorite: ({ json }, { favorite }) => (favorite === undefined ? undefined : json.favorite === (favorite === 1)),
	tag: ({ json, tagsKnown }, { tag }) => {
		// An item sent without tags is what Pocket sends for an untagged item.
		if (tag === UNTAGGED) return json.tags.length === 0;
		if (tag === undefined || !tagsKnown) return undefined;
		return json.tags.some((t) => t.toLowerCase() === tag.toLowerCase());
	},
	since: ({ seconds }, { since }) => {
		const times = Object.values(seconds).filter((s): s is number => s !== null);
		return since === undefined || times.length === 0 ? undefined : Math.max(...times) >= since;
	},
	domain: ({ hosts }, { domain }) =>
		domain === undefined || hosts.length === 0 ? undefined : hosts.some((h) => h === domain || h.endsWith(`.${domain}`)),
};

/** The first filter the item contradicts, if any. */
export function contradictedFilter(item: NormalisedItem, query: GetQuery): CheckedFilter | undefined {
	return (Object.keys(CHECKS) as CheckedFilter[]).find((filter) => CHECKS[filter](item, query) === false);
}

/** Whether the Tag filter is set but could not be checked on this item (the server sent no tags). */
export function tagUnchecked(item: NormalisedItem, query: GetQuery): boolean {
	return query.tag !== undefined && CHECKS.tag(item, query) === undefined;
}
