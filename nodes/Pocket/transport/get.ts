import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { NormalisedItem } from '../model/item';
import { normaliseEntry } from '../model/item';
import type { Result } from '../result';
import { failure, success } from '../result';
import type { Endpoint, Failure } from './failures';
import { CHECK_BASE_URL, protocolFailure } from './failures';
import type { Answered, Clock, Requester } from './request';
import { CALL_DEFAULTS } from './request';
import type { HttpAnswer } from './response';
import { describeBody, parseBody, SERVER_NUMBER } from './response';
import { exchangeWithRetries } from './retry';

/** One Pocket `get` call: one page of saved items, each read into the node's one item shape. */

/** The retrieve filters, by their protocol names and in the values the protocol documents. */
export type GetQuery = {
	state?: 'unread' | 'archive' | 'all';
	favorite?: 0 | 1;
	/** A tag name, or UNTAGGED. */
	tag?: string;
	contentType?: 'article' | 'video' | 'image';
	sort?: 'newest' | 'oldest' | 'title' | 'site';
	search?: string;
	domain?: string;
	/** Unix seconds: only items changed (saved, archived, favorited, tagged, deleted) since then. */
	since?: number;
};

/** The protocol's tag value for "items without any tag". */
export const UNTAGGED = '_untagged_';

export interface GetSettings {
	timeoutMs: number;
	maxWaitSeconds: number;
}

export const DEFAULT_GET_SETTINGS: GetSettings = CALL_DEFAULTS;

/**
 * Whether a failed read was refused for its `since`: an HTTP answer whose own reason names the
 * field (open-pocket: 500 "body/since must match format \"uri\""). A failure without such a
 * reason (a bare 500, a timeout) says nothing about `since`, so the read is not repeated for it.
 */
export function refusesSince(failed: Failure): boolean {
	return failed.kind === 'http' && failed.reason !== undefined && /\bsince\b/i.test(failed.reason);
}

/** The query without `since`, for a server that refuses it: Changed Since is then checked on the node. */
export function withoutSince(query: GetQuery): GetQuery {
	const rest = { ...query };
	delete rest.since;
	return rest;
}

export interface GetPage {
	items: NormalisedItem[];
	/** The number of matching items, when the server says it. */
	total?: number;
	/** The server's time of this answer, to ask for changes since then next time. */
	since?: number;
}

export function getEndpoint(url: string, credentialFields: string): Endpoint {
	return {
		name: 'get',
		url,
		credentialFields,
		effects: {
			no: 'No items were read.',
			unknown: 'No items were read; reading changes nothing on the server.',
		},
		advice: {
			timedOut: 'It was tried again within Max Wait. Raise "Timeout" or lower "Page Size" for a slow server.',
			dropped: 'It was tried again within Max Wait. Check the server, then run the workflow again.',
			serverError: 'It was tried again within Max Wait. Check the server, then run the workflow again.',
			gatewayUnavailable: 'It was tried again within Max Wait. Check the server, then run the workflow again.',
			forbidden: 'The consumer key may be invalid or lack the permission to read items; check the Pocket API credential.',
		},
	};
}

/** Pocket sends numbers as strings ("total": "42"); others send numbers. Whole numbers from 0 only. */
const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).refine(SERVER_NUMBER.count);

const isArray = (value: unknown): value is unknown[] => Array.isArray(value);
const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const answerSchema = z.object({
	// Checked without copying: a server that ignores `count` sends the whole account at once.
	list: z.union([z.custom<unknown[]>(isArray), z.custom<Record<string, unknown>>(isObject)], {
		errorMap: () => ({ message: 'list must be an object or an array' }),
	}),
	// Extras the node can do without: a server that sends them in another form is not wrong.
	total: count.optional().catch(undefined),
	since: count.optional().catch(undefined),
});

const sortIdOf = (entry: unknown): number =>
	typeof entry === 'object' && entry !== null ? Number((entry as IDataObject).sort_id) : Number.NaN;

/**
 * The entries of a list keyed by item id, in the server's order: JSON parsers (JavaScript's
 * among them) put integer keys in ascending order, so Pocket numbers each item's place in
 * `sort_id`.
 */
function inSortOrder(list: Record<string, unknown>): Array<[string, unknown]> {
	const entries = Object.entries(list);
	if (!entries.every(([, entry]) => Number.isFinite(sortIdOf(entry)))) return entries;
	return entries.sort(([, a], [, b]) => sortIdOf(a) - sortIdOf(b));
}

/** Reads a 2xx get answer into items of one shape, or explains why it cannot be trusted. */
export function readGetAnswer(answer: HttpAnswer, endpoint: Endpoint): Result<GetPage, Failure> {
	const body = parseBody(answer.body);
	const parsed = answerSchema.safeParse(body);
	if (!parsed.success) {
		return failure(
			protocolFailure(endpoint, {
				message: `The server answered with ${describeBody(body)} instead of a Pocket list of items (HTTP ${answer.statusCode})`,
				advice: CHECK_BASE_URL,
				statusCode: answer.statusCode,
			}),
		);
	}
	const { list, total, since } = parsed.data;
	// Pocket keys the list by item id and sends [] when nothing matches; others send an array.
	const entries: Array<[string | undefined, unknown]> = Array.isArray(list) ? list.map((e) => [undefined, e]) : inSortOrder(list);
	// By id: an id sent twice is one item, as in a list keyed by id (the last one sent, at the first one's place).
	const items = new Map<string, NormalisedItem>();
	for (const [key, entry] of entries) {
		const item = normaliseEntry(entry, key);
		if (!item.ok) {
			return failure(
				protocolFailure(endpoint, {
					message: `The server sent an item the node cannot read: ${item.failure}`,
					advice: 'The server does not follow the Pocket retrieve protocol; no item of this page was returned.',
					statusCode: answer.statusCode,
				}),
			);
		}
		items.set(item.value.json.item_id, item.value);
	}
	const page = [...items.values()];
	// Pocket leaves `tags` out of untagged items: once one item of a page has tags, the server
	// sends them, and the others have none.
	if (page.some((i) => i.tagsKnown)) for (const item of page) item.tagsKnown = true;
	return success({ items: page, total, since });
}

/**
 * The largest answer read for one page: generous, because a server that ignores `count`
 * sends every saved item at once, yet a decompression bomb is refused long before it fills
 * the memory.
 */
export const MAX_GET_ANSWER_BYTES = 64 * 1024 * 1024;

export interface PageCall {
	request: Requester;
	url: string;
	/** The credential fields to check on a 401, as credentialFieldsOf names them. */
	credentialFields: string;
	query: GetQuery;
	count: number;
	offset: number;
	settings: GetSettings;
	clock: Clock;
}

/** The body of one page request: the filters, complete details (tags are part of every item) and the paging. */
function pageBody({ query, count, offset }: Pick<PageCall, 'query' | 'count' | 'offset'>): IDataObject {
	return { ...query, detailType: 'complete', count, offset, total: 1 };
}

/** Reads one page; a read is safe to repeat, so timeouts and 5xx are retried too, within Max Wait. */
export async function fetchPage(call: PageCall): Promise<Result<Answered<GetPage>, Failure>> {
	const { request, url, credentialFields, settings, clock } = call;
	const endpoint = getEndpoint(url, credentialFields);
	return await exchangeWithRetries(
		{
			request,
			endpoint,
			body: pageBody(call),
			timeoutMs: settings.timeoutMs,
			maxAnswerBytes: MAX_GET_ANSWER_BYTES,
			read: (answer) => readGetAnswer(answer, endpoint),
			clock,
		},
		{ maxWaitSeconds: settings.maxWaitSeconds, resendWhenUncertain: false, safeToRepeat: true },
	);
}
