import type { IDataObject } from 'n8n-workflow';

import type { PocketItem } from '../../model/item';

/**
 * Get Many's Simplify: the ten fields a workflow mostly reads, in the item's order. Off gives
 * the whole item, with its read time, favorite time, word count and every other field (`raw`).
 */
export const SIMPLIFIED_FIELDS = ['item_id', 'url', 'title', 'excerpt', 'status', 'favorite', 'tags', 'time_added', 'time_updated', 'domain'] as const;

export function simplified(item: PocketItem): IDataObject {
	return Object.fromEntries(SIMPLIFIED_FIELDS.map((field) => [field, item[field]]));
}
