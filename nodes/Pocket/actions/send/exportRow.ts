import type { Result } from '../../result';
import { describeValue } from '../../model/describeValue';
import { failure, success } from '../../result';

/**
 * The two fields of a Pocket export row (the CSV files of pocket.zip, `title,url,time_added,
 * cursor,tags,status`) that differ from the send protocol's: tags joined by `|`, and the
 * item's state.
 */

/** The export joins tags with `|`; the protocol with commas, so a `|` can never be part of a tag either way. */
export function exportTags(value: unknown): unknown {
	return typeof value === 'string' && value.includes('|') ? value.split('|') : value;
}

/** Whether a state ends the item archived: the CSV export writes `archive`, older tools `read`, Get Many `archived`. */
const ARCHIVED = new Map<string, boolean>([
	['unread', false],
	['archive', true],
	['archived', true],
	['read', true],
]);

/** An export row's `status`: whether the item ends archived; blank is unread. */
export function exportArchive(value: unknown): Result<boolean, string> {
	if (value === undefined || value === null || value === '') return success(false);
	const archived = typeof value === 'string' ? ARCHIVED.get(value.trim().toLowerCase()) : undefined;
	return archived === undefined
		? failure(`must be unread, archive or read, as in a Pocket export (got ${describeValue(value)})`)
		: success(archived);
}
