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

/** What the trigger keeps between polls, in the workflow's static data. */
export type Cursor = {
	/** Server time (Unix seconds) of the last read: the next read asks for changes since then. */
	since: number;
	/** The newest event time emitted (or the activation time), and the ids emitted at that second. */
	eventTime: number;
	atEventTime: string[];
	/** Item Tagged: the tags of each item seen with tags since activation, lower case. */
	tags?: Record<string, string[]>;
};

/** Items whose tags are remembered for Item Tagged at most: the lowest ids are forgotten first. */
export const MAX_REMEMBERED = 10_000;

/** The cursor at activation: nothing before `serverTime` is an event (poll() then adds what happened in that second). */
export function firstCursor(serverTime: number, event: EventName): Cursor {
	return { since: serverTime, eventTime: serverTime, atEventTime: [], ...(event === 'itemTagged' ? { tags: {} } : {}) };
}

/** The event of the item this poll, if any. */
function eventTimeOf(item: NormalisedItem, event: EventName, tag: string | undefined, cursor: Cursor): number | null {
	const time = EVENTS[event].time(item, tag);
	if (time === null) return null;
	const id = item.json.item_id;
	const known = cursor.tags?.[id];
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
function rememberTags(tags: Record<string, string[]>, items: NormalisedItem[]): Record<string, string[]> {
	const next = { ...tags };
	for (const { json } of items) {
		if (json.tags.length > 0 || json.item_id in next) {
			next[json.item_id] = json.tags.map((t) => t.toLowerCase());
		}
	}
	const ids = Object.keys(next);
	if (ids.length > MAX_REMEMBERED) {
		for (const id of ids.sort((a, b) => Number(a) - Number(b)).slice(0, ids.length - MAX_REMEMBERED)) delete next[id];
	}
	return next;
}

/**
 * One poll: the items to emit, oldest event first, and the cursor after them. `serverTime` is
 * the server's time at the read, when it said it.
 */
export function poll(
	cursor: Cursor,
	event: EventName,
	tag: string | undefined,
	items: NormalisedItem[],
	serverTime: number | undefined,
): { emit: NormalisedItem[]; cursor: Cursor } {
	const happened = items
		.map((item) => ({ item, time: eventTimeOf(item, event, tag, cursor) }))
		.filter((e): e is { item: NormalisedItem; time: number } => e.time !== null)
		// Oldest event first; in one second, in the order the items were saved.
		.sort((a, b) => a.time - b.time || a.item.json.item_id.localeCompare(b.item.json.item_id, 'en', { numeric: true }));
	const newest = happened.reduce((t, e) => max(t, e.time), cursor.eventTime);
	const atNewest = happened.filter((e) => e.time === newest).map((e) => e.item.json.item_id);
	const changed = items.map((i) => i.seconds.time_updated ?? 0);
	return {
		emit: happened.map((e) => e.item),
		cursor: {
			since: serverTime ?? max(cursor.since, ...changed),
			eventTime: newest,
			atEventTime: newest === cursor.eventTime ? [...new Set([...cursor.atEventTime, ...atNewest])] : atNewest,
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
