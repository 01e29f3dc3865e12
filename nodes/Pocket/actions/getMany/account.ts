import type { NormalisedItem } from '../../model/item';
import type { Result } from '../../result';
import { success } from '../../result';
import type { Connection } from '../../transport/connect';
import type { Failure } from '../../transport/failures';
import type { GetQuery, GetSettings } from '../../transport/get';
import { DEFAULT_PAGE_SIZE } from './paging';
import { readGet } from './readGet';

/** Every saved item, unread and archived: Add reads it once to find the items a server saved without naming them. */
const WHOLE_LIST: GetQuery = { state: 'all' };

/** One read of the whole list with this operation's paging (its bounds: MAX_PAGES, a repeated page). */
export async function readAccount(connection: Connection, settings: GetSettings): Promise<Result<NormalisedItem[], Failure>> {
	const read = await readGet(connection, { query: WHOLE_LIST, limits: { pageSize: DEFAULT_PAGE_SIZE }, settings });
	return read.ok ? success(read.value.items) : read;
}
