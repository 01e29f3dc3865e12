import type { IDataObject } from 'n8n-workflow';

import type { Result } from '../../result';
import type { Connection } from '../../transport/connect';
import { target } from '../../transport/connect';
import type { Failure } from '../../transport/failures';
import type { GetQuery, GetSettings } from '../../transport/get';
import { fetchPage } from '../../transport/get';
import type { PageFetcher, ReadLimits, ReadResult } from './paging';
import { readItems } from './paging';
import { recall, remember } from './sinceMemory';

/**
 * The one read of /get that Get Many, the trigger and Add's read of the list share: the pages
 * through the connection's `get` endpoint, the node's paging, and the server's refusal of
 * `since` kept where the caller keeps it. The connection stays the caller's: each refuses a
 * bad one in its own way.
 */

export interface GetRead {
	query: GetQuery;
	limits: ReadLimits;
	settings: GetSettings;
}

/**
 * Reads every page of the query. With the node's static data, a refusal of `since` known from
 * an earlier run leaves it out at once, and one met now is kept for the next runs; without it
 * (Add's read of the whole list, which asks no `since`) nothing is recalled or kept.
 */
export async function readGet(connection: Connection, { query, limits, settings }: GetRead, staticData?: IDataObject): Promise<Result<ReadResult, Failure>> {
	const get = target(connection, 'get');
	const fetch: PageFetcher = (count, offset, asked) => fetchPage({ ...get, query: asked, count, offset, settings });
	if (staticData === undefined) return await readItems(fetch, query, limits);
	const memory = recall(staticData, connection.clock.now());
	const read = await readItems(fetch, query, limits, memory);
	if (read.ok) remember(staticData, memory, read.value, connection.clock.now());
	return read;
}
