import type { SavedUrls } from '../savedUrls';
import { newestSaved, normaliseUrl } from '../savedUrls';
import type { PreparedItem } from './input';
import type { SkippedOutcome } from './output';

/**
 * Skip URLs Already Saved: which valid Add items are sent, and which are skipped because the
 * account holds their URL or an earlier item of the same input has it. Pure: the saved URLs are
 * read once beforehand.
 */

export interface Skipping {
	/** The input indexes still to send, in order. */
	send: number[];
	skipped: Map<number, SkippedOutcome>;
	/** Skipped items whose row says archived while the saved item is still in the list: its id. */
	toArchive: Array<{ index: number; itemId: string }>;
	alreadySaved: number;
	repeated: number;
}

export function skipSaved(indexes: number[], prepared: PreparedItem[], saved: SavedUrls): Skipping {
	const skipping: Skipping = { send: [], skipped: new Map(), toArchive: [], alreadySaved: 0, repeated: 0 };
	const first = new Map<string, number>();
	for (const index of indexes) {
		const { action, archive } = prepared[index];
		if (action.action !== 'add' || action.url === undefined) {
			skipping.send.push(index);
			continue;
		}
		const held = newestSaved(saved, action.url);
		if (held) {
			const { item_id, url, status } = held.json;
			skipping.skipped.set(index, { kind: 'skipped', action, reason: 'already saved', saved: { item_id, url, status } });
			// A run that stopped between the add and the archive is completed by the next one.
			if (archive && status === 'unread') skipping.toArchive.push({ index, itemId: item_id });
			skipping.alreadySaved++;
			continue;
		}
		const key = normaliseUrl(action.url);
		const sameAs = first.get(key);
		if (sameAs !== undefined) {
			skipping.skipped.set(index, { kind: 'skipped', action, reason: 'earlier in the input', sameAs });
			skipping.repeated++;
			continue;
		}
		first.set(key, index);
		skipping.send.push(index);
	}
	return skipping;
}
