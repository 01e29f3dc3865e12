import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { NormalisedItem } from '../Pocket/model/item';
import type { GetQuery } from '../Pocket/transport/get';

/**
 * The trigger's events and its cursor, pure: which items a poll emits given what the server
 * answered and what earlier polls emitted. The protocol has no event feed, only items with
 * times, so an event is "the item is in the state, and its time for that state is newer than
 * the cursor"; the cursor also holds the ids emitted at its own second, so that an event is
 * emitted once even when the server ignores `since` and sends everything again.
 */

export type EventName = 'itemSaved' | 'itemArchived' | 'itemFavorited' | 'itemTagged';

/** What each event means; its name and description for users are in the node's UI (PocketTrigger.node.ts). */
interface EventSpec {
	/** Said when a manual run finds nothing: "No item has been archived yet". */
	pastTense: string;
	/** What each poll asks the server, besides `since`. */
	query: GetQuery;
	/** When the event happened to the item, in Unix seconds, or null if it has not. */
	time(item: NormalisedItem, tag: string | undefined): number | null;
}

const { max } = Math;

/** Whether the item has the tag (any tag when none is given), in any case. */
function hasTag({ json }: NormalisedItem, tag: string | undefined): boolean {
	return tag === undefined ? json.tags.length > 0 : json.tags.some((t) => t.toLowerCase() === tag.toLowerCase());
}

export const EVENTS: Record<EventName, EventSpec> = {
	itemSaved: {
		pastTense: 'saved',
		query: { state: 'all' },
		time: ({ json, seconds }) => (json.status === 'deleted' ? null : seconds.time_added),
	},
	itemArchived: {
		pastTense: 'archived',
		query: { state: 'archive' },
		// Pocket sets time_read when an item is archived; servers without it change time_updated.
		time: ({ json, seconds }) => (json.status === 'archived' ? (seconds.time_read ?? seconds.time_updated) : null),
	},
	itemFavorited: {
		pastTense: 'favorited',
		query: { state: 'all', favorite: 1 },
		time: ({ json, seconds }) => (json.favorite && json.status !== 'deleted' ? (seconds.time_favorited ?? seconds.time_updated) : null),
	},
	itemTagged: {
		pastTense: 'tagged',
		// No tag filter: an item whose tag was removed must be seen to be tagged again later.
		query: { state: 'all' },
		time: (item, tag) => (item.json.status !== 'deleted' && hasTag(item, tag) ? (item.seconds.time_updated ?? item.seconds.time_added) : null),
	},
};

/** What the trigger keeps between polls. */
export type Cursor = {
	/** Server time (Unix seconds) of the last read: the next read asks for changes since then. */
	since: number;
	/** The newest event time emitted (or the activation time), and the ids emitted at that second. */
	eventTime: number;
	atEventTime: string[];
	/** Item Tagged: the tags of each item seen with tags since activation, lower case, by item id. */
	tags?: Map<string, string[]>;
	/** Local time (Unix milliseconds) of the last poll: how far back a corrected server clock is read again. */
	polledAt?: number;
	/** Events dated ahead of the server's own clock when seen, by item id: never emitted for that time. */
	ahead: Map<string, number>;
};

/** Items whose tags (or events ahead of the clock) are remembered at most: the lowest ids are forgotten first. */
export const MAX_REMEMBERED = 10_000;

/**
 * How far the trigger trusts the server's clock: every time it compares is the server's own, but
 * an event dated more than this ahead of the server's time in the same answer is not taken as
 * an event (it was dated by a clock since corrected), and a server time more than this behind
 * the last read means the server's clock was set back: the cursor is moved back with it.
 */
export const CLOCK_TOLERANCE_SECONDS = 60;

const seconds = z.number().finite();
const pairs = <T extends z.ZodTypeAny>(value: T) => z.array(z.tuple([z.string(), value]));

/**
 * The cursor as static data holds it (JSON): maps as lists of [id, value] pairs, since an
 * object keyed by item id breaks on ids such as `__proto__` or `constructor`. A cursor of an
 * earlier build (tags as an object keyed by id) is still read.
 */
const storedCursorSchema = z.object({
	since: seconds,
	eventTime: seconds,
	atEventTime: z.array(z.string()),
	tags: z.union([pairs(z.array(z.string())), z.record(z.array(z.string())).transform((r) => Object.entries(r))]).optional(),
	polledAt: seconds.optional(),
	ahead: pairs(seconds).optional(),
});

/** The cursor kept in static data, or undefined when there is none or it has another shape (tampered, or from another version). */
export function readCursor(stored: unknown): Cursor | undefined {
	const parsed = storedCursorSchema.safeParse(stored);
	if (!parsed.success) return undefined;
	const { tags, ahead, ...rest } = parsed.data;
	return { ...rest, ...(tags === undefined ? {} : { tags: new Map(tags) }), ahead: new Map(ahead ?? []) };
}

/** The cursor as static data keeps it. */
export function storedCursor({ tags, ahead, ...rest }: Cursor): IDataObject {
	return { ...rest, ...(tags === undefined ? {} : { tags: [...tags] }), ahead: [...ahead] };
}

/** The cursor at activation: nothing before `serverTime` is an event (poll() then adds what happened in that second). */
export function firstCursor(serverTime: number, event: EventName): Cursor {
	return { since: serverTime, eventTime: serverTime, atEventTime: [], ahead: new Map(), ...(event === 'itemTagged' ? { tags: new Map() } : {}) };
}

const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The map without its lowest ids beyond MAX_REMEMBERED. */
function bounded<T>(map: Map<string, T>): Map<string, T> {
	if (map.size <= MAX_REMEMBERED) return map;
	const keep = [...map.keys()].sort(byId).slice(map.size - MAX_REMEMBERED);
	return new Map(keep.map((id) => [id, map.get(id) as T]));
}

/** The event of the item this poll, if any. */
function eventTimeOf(item: NormalisedItem, event: EventName, tag: string | undefined, cursor: Cursor): number | null {
	const time = EVENTS[event].time(item, tag);
	if (time === null) return null;
	const id = item.json.item_id;
	if (cursor.ahead.get(id) === time) return null;
	const known = cursor.tags?.get(id);
	if (event === 'itemTagged' && known !== undefined) {
		// Tags seen before: only a tag added since then is an event.
		const added = item.json.tags.map((t) => t.toLowerCase()).filter((t) => !known.includes(t));
		return (tag === undefined ? added.length > 0 : added.includes(tag.toLowerCase())) ? time : null;
	}
	if (time < cursor.eventTime || (time === cursor.eventTime && cursor.atEventTime.includes(id))) return null;
	if (event === 'itemTagged' && (item.seconds.time_added ?? 0) < cursor.eventTime) {
		// An item first seen now, saved earlier: the protocol gives no time for tags, so a change
		// that archiving or favoriting explains (same time) is not taken for tagging.
		const { time_read, time_favorited } = item.seconds;
		if (time === time_read || time === time_favorited) return null;
	}
	return time;
}

/**
 * The tags of the items seen, for the next poll. An item remembered with tags keeps its entry
 * when it loses them (so that a tag added again is an event), and an item sent without tags
 * then has none: the server sent its tags before.
 */
function rememberTags(tags: Map<string, string[]>, items: NormalisedItem[]): Map<string, string[]> {
	const next = new Map(tags);
	for (const { json } of items) {
		if (json.tags.length > 0 || next.has(json.item_id)) next.set(json.item_id, json.tags.map((t) => t.toLowerCase()));
	}
	return bounded(next);
}

/**
 * The cursor moved back with a server clock that was set back since the last read: by the
 * local time since that read, so that what was saved after the correction is read again.
 */
function followClock(cursor: Cursor, serverTime: number | undefined, nowMs: number): Cursor {
	if (serverTime === undefined || serverTime + CLOCK_TOLERANCE_SECONDS >= cursor.since) return cursor;
	const elapsed = cursor.polledAt === undefined ? 0 : Math.max(0, (nowMs - cursor.polledAt) / 1000);
	const back = Math.floor(serverTime - elapsed) - 1;
	return back >= cursor.eventTime ? { ...cursor, since: back } : { ...cursor, since: back, eventTime: back, atEventTime: [] };
}

/**
 * One poll: the items to emit, oldest event first, and the cursor after them. `serverTime` is
 * the server's time at the read, when it said it; `nowMs` the local time.
 */
export function poll(
	previous: Cursor,
	event: EventName,
	tag: string | undefined,
	items: NormalisedItem[],
	serverTime: number | undefined,
	nowMs: number,
): { emit: NormalisedItem[]; cursor: Cursor } {
	const cursor = followClock(previous, serverTime, nowMs);
	const dated = items
		.map((item) => ({ item, time: eventTimeOf(item, event, tag, cursor) }))
		.filter((e): e is { item: NormalisedItem; time: number } => e.time !== null);
	const isAhead = (time: number) => serverTime !== undefined && time > serverTime + CLOCK_TOLERANCE_SECONDS;
	const happened = dated
		.filter((e) => !isAhead(e.time))
		// Oldest event first; in one second, in the order the items were saved.
		.sort((a, b) => a.time - b.time || byId(a.item.json.item_id, b.item.json.item_id));
	const newest = happened.reduce((t, e) => max(t, e.time), cursor.eventTime);
	const atNewest = happened.filter((e) => e.time === newest).map((e) => e.item.json.item_id);
	const ahead = new Map([...cursor.ahead].filter(([, time]) => time >= newest));
	for (const e of dated) if (isAhead(e.time)) ahead.set(e.item.json.item_id, e.time);
	const changed = items.map((i) => i.seconds.time_updated ?? 0);
	return {
		emit: happened.map((e) => e.item),
		cursor: {
			// Set back with the server's clock, the next read starts where the correction may have begun.
			since: cursor !== previous ? cursor.since : (serverTime ?? max(cursor.since, ...changed)),
			eventTime: newest,
			atEventTime: newest === cursor.eventTime ? [...new Set([...cursor.atEventTime, ...atNewest])] : atNewest,
			polledAt: nowMs,
			ahead: bounded(ahead),
			...(cursor.tags === undefined ? {} : { tags: rememberTags(cursor.tags, items) }),
		},
	};
}

/** A manual run's answer: the item with the latest event, if any. */
export function latest(event: EventName, tag: string | undefined, items: NormalisedItem[]): NormalisedItem | undefined {
	let found: { item: NormalisedItem; time: number } | undefined;
	for (const item of items) {
		const time = EVENTS[event].time(item, tag);
		if (time !== null && (found === undefined || time > found.time)) found = { item, time };
	}
	return found?.item;
}
