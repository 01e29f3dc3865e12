import type { IDataObject } from 'n8n-workflow';

import type { ReadMemory, ReadResult } from './paging';

/**
 * What a workflow remembers about its server's reads, in the node's static data: that the
 * server refuses `since`, so that later reads and polls leave it out at once instead of paying
 * for a refused call each time.
 */

/** After a day the node asks with `since` again: a server can be upgraded. */
export const SINCE_REFUSAL_KEPT_MS = 24 * 60 * 60 * 1000;

const KEY = 'sinceRefusedAt';

/** What the static data says before a read. A value of another shape (tampered, older) counts as nothing known. */
export function recall(data: IDataObject, now: number): ReadMemory {
	const at = data[KEY];
	return { sinceRefused: typeof at === 'number' && now >= at && now - at < SINCE_REFUSAL_KEPT_MS };
}

/** Keeps what a read found out: a refusal it met, with its time. */
export function remember(data: IDataObject, before: ReadMemory, read: ReadResult, now: number): void {
	if (read.sinceRefused && before.sinceRefused !== true) data[KEY] = now;
}
