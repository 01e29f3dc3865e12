import type { NormalisedItem } from '../../model/item';
import type { PocketAction } from '../validation';
import type { SkippedOutcome } from './output';
import { copiesByUrl, urlKey } from './tags';

/**
 * Skip URLs Already Saved: which valid Add items are sent, and which are skipped because the
 * account holds their URL or an earlier item of the same input has it. Pure: the saved items are
 * read once beforehand. URLs are compared as the tag landing matches them (`urlKey`).
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

/** `actions`: each valid item's action, by input index; `archiveRows`: the indexes whose row asks to end archived. */
export function skipSaved(indexes: number[], actions: PocketAction[], archiveRows: ReadonlySet<number>, savedItems: NormalisedItem[]): Skipping {
	const skipping: Skipping = { send: [], skipped: new Map(), toArchive: [], alreadySaved: 0, repeated: 0 };
	const saved = copiesByUrl(savedItems);
	const first = new Map<string, number>();
	for (const index of indexes) {
		const action = actions[index];
		if (action.action !== 'add' || action.url === undefined) {
			skipping.send.push(index);
			continue;
		}
		const key = urlKey(action.url);
		const held = saved.get(key)?.[0];
		if (held) {
			const { item_id, url, status } = held.json;
			skipping.skipped.set(index, { kind: 'skipped', action, reason: 'already saved', saved: { item_id, url, status } });
			// A run that stopped between the add and the archive is completed by the next one.
			if (archiveRows.has(index) && status === 'unread') skipping.toArchive.push({ index, itemId: item_id });
			skipping.alreadySaved++;
			continue;
		}
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
