/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The test server's retrieve endpoint (`/get`): every filter, paging with a server-side cap on
 * `count`, `total` and `since` (changed since), and a switchable variant for each way the
 * compatible servers answer differently (see the shared get-endpoint reference).
 * Self-contained (only node: imports) like the server it is part of.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Fault, StoredItem } from './pocket-server';

/** The request fields a server may ignore entirely. */
export type GetField = 'state' | 'favorite' | 'tag' | 'contentType' | 'search' | 'domain' | 'since' | 'sort' | 'count' | 'offset' | 'total';

/** How this server answers /get; the defaults are Pocket's own. */
export interface GetVariant {
	/** A non-empty `list` as Pocket's object keyed by item id, or as an array; empty is `[]` either way. */
	list: 'object' | 'array';
	/** `favorite` and `status`: Pocket's "0"/"1", "true"/"false", booleans, or numbers. */
	flags: 'digits' | 'words' | 'booleans' | 'numbers';
	/** Times: Pocket's Unix seconds as strings ("0" for never), as numbers, or ISO strings (null for never). */
	times: 'unix-strings' | 'unix-numbers' | 'iso';
	/** Tags: Pocket's map (left out of untagged items), an array (empty for untagged), or never sent. */
	tags: 'map' | 'array' | 'absent';
	/** Request fields this server ignores: it answers as if they were not sent. */
	ignores: GetField[];
	/** The largest page served, and what happens above it: Pocket truncated to 30, others refuse. */
	maxCount: number;
	/** Above `maxCount`: Pocket truncated; others refuse, even when they otherwise ignore `count`. */
	overMaxCount: 'truncate' | 'reject';
	/** `since` as Pocket's Unix seconds, or validated as a URI (open-pocket), which refuses every number. */
	since: 'unix-seconds' | 'uri';
	/**
	 * How a request that fails validation is answered: Pocket's 400 with `X-Error`, or open-pocket's
	 * Fastify 500 whose error serializer fails too, with the reason in the JSON body.
	 */
	invalid: 'x-error-400' | 'fastify-500';
}

export const POCKET_GET: Readonly<GetVariant> = Object.freeze({
	list: 'object',
	flags: 'digits',
	times: 'unix-strings',
	tags: 'map',
	ignores: [],
	maxCount: 30,
	overMaxCount: 'truncate',
	since: 'unix-seconds',
	invalid: 'x-error-400',
});

/** The open-pocket style server: every filter and paging ignored, the whole list at once, no tags. */
export const OPEN_POCKET_GET: Readonly<GetVariant> = Object.freeze<GetVariant>({
	...POCKET_GET,
	tags: 'absent',
	ignores: ['state', 'favorite', 'tag', 'contentType', 'search', 'domain', 'since', 'sort', 'count', 'offset', 'total'],
	maxCount: 100,
	overMaxCount: 'reject',
	since: 'uri',
	invalid: 'fastify-500',
});

export interface GetRouteContext {
	/** Every stored item, deleted ones included (a `since` read returns them). */
	items(): StoredItem[];
	/** Counts what may change the items: every request the server receives, and every put or reset. */
	revision(): number;
	/** The selection the last read is paging through (see selectionFor). */
	paging: { last?: PagingMemo };
	variant(): GetVariant;
	faults: Fault[];
	/** Answers the faults that replace any answer (HTTP errors, redirects, HTML, bombs); false for the others. */
	answerFault(res: ServerResponse, fault: Fault | undefined): boolean;
	/** Sends a 200 answer, broken as a fault says (cut in half, dropped, late), as /send does. */
	answer(req: IncomingMessage, res: ServerResponse, fault: Fault | undefined, payload: string): Promise<void>;
	error(res: ServerResponse, status: number, code: number, message: string): void;
}

/** A request field that fails validation, and the rule it breaks ("must be a whole number"). */
class BadRequest extends Error {
	constructor(
		readonly field: string,
		readonly rule: string,
	) {
		super(`${field} ${rule}`);
	}
}

const STATES: Record<string, (status: StoredItem['status']) => boolean> = {
	unread: (s) => s === 0,
	archive: (s) => s === 1,
	all: (s) => s !== 2,
};

/** A number the protocol allows as a JSON number or a string of digits. */
function whole(value: unknown, name: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
	if (!Number.isSafeInteger(n) || n < 0) throw new BadRequest(name, 'must be a whole number');
	return n;
}

const hostOf = (url: string) => new URL(url).hostname.toLowerCase().replace(/^www\./, '');

const SORTS: Record<string, (a: StoredItem, b: StoredItem) => number> = {
	newest: (a, b) => b.time_added - a.time_added || Number(b.item_id) - Number(a.item_id),
	oldest: (a, b) => a.time_added - b.time_added || Number(a.item_id) - Number(b.item_id),
	title: (a, b) => a.title.localeCompare(b.title),
	site: (a, b) => hostOf(a.given_url).localeCompare(hostOf(b.given_url)),
};

/** The items a request selects, in order, before paging. */
export function selectItems(items: StoredItem[], body: Record<string, unknown>, variant: GetVariant): StoredItem[] {
	const field = (name: GetField) => (variant.ignores.includes(name) ? undefined : body[name]);
	const since = whole(field('since'), 'since');
	const state = field('state') ?? 'all';
	if (typeof state !== 'string' || !(state in STATES)) throw new BadRequest('state', 'must be unread, archive or all');
	// A since read reports deleted items too, so that a client can remove them.
	const stateHolds = (s: StoredItem['status']) => STATES[state](s) || (since !== undefined && state === 'all' && s === 2);
	const favorite = field('favorite');
	const tag = field('tag');
	const contentType = field('contentType');
	const search = typeof field('search') === 'string' ? String(field('search')).toLowerCase() : undefined;
	const domain = typeof field('domain') === 'string' ? String(field('domain')).toLowerCase().replace(/^www\./, '') : undefined;
	const selected = items.filter(
		(item) =>
			stateHolds(item.status) &&
			(since === undefined || item.time_updated >= since) &&
			(favorite === undefined || String(item.favorite) === String(favorite)) &&
			(typeof tag !== 'string' || (tag === '_untagged_' ? item.tags.length === 0 : item.tags.includes(tag))) &&
			(contentType === undefined || (item.content_type ?? 'article') === contentType) &&
			(search === undefined || `${item.title} ${item.given_url}`.toLowerCase().includes(search)) &&
			(domain === undefined || hostOf(item.given_url) === domain || hostOf(item.given_url).endsWith(`.${domain}`)),
	);
	const sort = field('sort') ?? 'newest';
	if (typeof sort !== 'string' || !(sort in SORTS)) throw new BadRequest('sort', 'must be newest, oldest, title or site');
	return selected.sort(SORTS[sort]);
}

/** The checks a schema-validating server makes even on the fields it then ignores. */
function validate(body: Record<string, unknown>, variant: GetVariant): void {
	if (variant.since === 'uri' && body.since !== undefined && body.since !== null && !isUri(String(body.since))) {
		throw new BadRequest('since', 'must match format "uri"');
	}
	if (variant.overMaxCount !== 'reject') return;
	const count = whole(body.count, 'count');
	if (count !== undefined && count > variant.maxCount) {
		// Each server's own wording: ours after Pocket's, open-pocket's from its JSON schema validator.
		throw new BadRequest('count', variant.invalid === 'fastify-500' ? `must be <= ${variant.maxCount}` : `must be at most ${variant.maxCount}`);
	}
}

function isUri(value: string): boolean {
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}

/** Where a page starts and how many items it holds: `count` capped as the variant says; no `count`, everything. */
function pageBounds(body: Record<string, unknown>, variant: GetVariant): { offset: number; count: number | undefined } {
	const asked = variant.ignores.includes('count') ? undefined : whole(body.count, 'count');
	const count = asked === undefined ? undefined : Math.min(asked, variant.maxCount);
	const offset = (variant.ignores.includes('offset') ? undefined : whole(body.offset, 'offset')) ?? 0;
	return { offset, count };
}

/** The selection one read pages through, and where its next page starts. */
export interface PagingMemo {
	key: string;
	revision: number;
	next: number;
	selected: StoredItem[];
}

/** The request fields that decide the selection; the paging and the credentials do not. */
const NOT_SELECTING = new Set(['count', 'offset', 'total', 'detailType', 'consumer_key', 'access_token']);

/**
 * The selected items for a request. Selecting and sorting costs the whole list, so a read that
 * pages through it would cost N²/page; the next page of the same selection, with nothing
 * received in between, reuses the previous one, so reading N items stays linear and the
 * benchmark measures the node rather than this server. A read's first page (offset 0) always
 * selects afresh, so items a test changed directly between reads are seen.
 */
function selectionFor(ctx: GetRouteContext, body: Record<string, unknown>, variant: GetVariant, offset: number): PagingMemo {
	const key = JSON.stringify(Object.entries(body).filter(([name]) => !NOT_SELECTING.has(name)));
	const last = ctx.paging.last;
	const revision = ctx.revision();
	if (last && offset > 0 && last.key === key && last.next === offset && last.revision === revision - 1) {
		last.revision = revision;
		return last;
	}
	ctx.paging.last = { key, revision, next: 0, selected: selectItems(ctx.items(), body, variant) };
	return ctx.paging.last;
}

/**
 * open-pocket's Fastify answer to a failed validation: its error serializer fails on the
 * validation error, so the client gets a 500 that still carries the reason.
 */
function fastifyValidationFailure(res: ServerResponse, e: BadRequest): void {
	res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(
		JSON.stringify({
			statusCode: 500,
			code: 'FST_ERR_FAILED_ERROR_SERIALIZATION',
			error: 'Internal Server Error',
			message: `Failed to serialize an error. Error: "body/${e.field}" ${e.rule}. Original error: body/${e.field} ${e.rule}`,
		}),
	);
}

/** What the server would have read from the page; the same in every answer that carries it. */
export const excerptOf = (item: StoredItem): string => `About ${item.title || item.given_url}`;

function flag(value: number, variant: GetVariant): unknown {
	switch (variant.flags) {
		case 'digits':
			return String(value);
		case 'numbers':
			return value;
		// Deleted (2) has no flag form: such servers send it as a number.
		case 'words':
			return value > 1 ? value : String(value === 1);
		case 'booleans':
			return value > 1 ? value : value === 1;
	}
}

function time(seconds: number | undefined, variant: GetVariant): unknown {
	const s = seconds ?? 0;
	if (variant.times === 'iso') return s === 0 ? null : new Date(s * 1000).toISOString();
	return variant.times === 'unix-numbers' ? s : String(s);
}

/** One item as the variant's server writes it, with Pocket's complete detail. */
function itemView(item: StoredItem, sortId: number, variant: GetVariant, complete: boolean): Record<string, unknown> {
	const view: Record<string, unknown> = {
		item_id: item.item_id,
		// Its place in the answer: a list keyed by id loses its order in a JSON parser.
		sort_id: sortId,
		resolved_id: item.item_id,
		given_url: item.given_url,
		given_title: item.title,
		resolved_url: item.resolved_url,
		resolved_title: item.title,
		favorite: flag(item.favorite, variant),
		status: flag(item.status, variant),
		time_added: time(item.time_added, variant),
		time_updated: time(item.time_updated, variant),
		time_read: time(item.time_read, variant),
		time_favorited: time(item.time_favorited, variant),
		excerpt: excerptOf(item),
		is_article: flag((item.content_type ?? 'article') === 'article' ? 1 : 0, variant),
		has_video: flag(item.content_type === 'video' ? 1 : 0, variant),
		has_image: flag(item.content_type === 'image' ? 1 : 0, variant),
		word_count: String(100 + (Number(item.item_id) % 900)),
		lang: 'en',
	};
	if (!complete || variant.tags === 'absent') return view;
	if (variant.tags === 'array') return { ...view, tags: [...item.tags] };
	if (item.tags.length === 0) return view;
	return { ...view, tags: Object.fromEntries(item.tags.map((tag) => [tag, { item_id: item.item_id, tag }])) };
}

/** Answers one admitted /get request (credentials, content type and rate limit already checked). */
export async function answerGet(ctx: GetRouteContext, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
	const variant = ctx.variant();
	let page: StoredItem[];
	let total: number;
	try {
		validate(body, variant);
		const { offset, count } = pageBounds(body, variant);
		const selection = selectionFor(ctx, body, variant, offset);
		page = selection.selected.slice(offset, count === undefined ? undefined : offset + count);
		total = selection.selected.length;
		selection.next = offset + page.length;
	} catch (e) {
		if (!(e instanceof BadRequest)) throw e;
		if (variant.invalid === 'fastify-500') fastifyValidationFailure(res, e);
		else ctx.error(res, 400, 130, `Invalid request: ${e.message}`);
		return;
	}
	const fault = ctx.faults.shift();
	if (ctx.answerFault(res, fault)) return;

	const views = page.map((item, i) => itemView(item, i, variant, body.detailType === 'complete'));
	if (fault?.type === 'echo-secrets' && views.length > 0) {
		views[0].given_title = `Saved for ${String(body.consumer_key)} with ${String(body.access_token)}`;
	}
	const list = views.length === 0 ? [] : variant.list === 'array' ? views : Object.fromEntries(views.map((v) => [String(v.item_id), v]));
	const payload = JSON.stringify({
		status: 1,
		complete: 1,
		list,
		error: null,
		search_meta: { search_type: 'normal' },
		since: Math.floor(Date.now() / 1000),
		...(body.total === undefined || String(body.total) === '0' || variant.ignores.includes('total') ? {} : { total: String(total) }),
	});
	await ctx.answer(req, res, fault, payload);
}
