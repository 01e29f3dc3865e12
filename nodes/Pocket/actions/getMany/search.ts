import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { connect, target } from '../../transport/connect';
import type { GetQuery } from '../../transport/get';
import { DEFAULT_GET_SETTINGS, fetchPage } from '../../transport/get';
import { apiError } from '../errors';
import { DEFAULT_PAGE_SIZE, hasMore } from './paging';

/**
 * Item ID's From List: the account's items, newest first, searched by title or URL through
 * /get, one page per scroll. Reading changes nothing, so the editor may ask as often as it likes.
 */
export async function searchItems(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const node = this.getNode();
	const connection = await connect(this);
	if (!connection.ok) throw apiError(node, connection.failure.message, connection.failure.description, undefined);
	const search = filter?.trim();
	const query: GetQuery = { state: 'all', sort: 'newest', ...(search ? { search } : {}) };
	const offset = Number(paginationToken ?? 0) || 0;
	const page = await fetchPage({ ...target(connection.value, 'get'), query, count: DEFAULT_PAGE_SIZE, offset, settings: DEFAULT_GET_SETTINGS });
	if (!page.ok) throw apiError(node, page.failure.message, page.failure.description, undefined, page.failure.httpCode);
	const { items, total } = page.value.value;
	const next = offset + items.length;
	const more = hasMore(items.length, DEFAULT_PAGE_SIZE, next, total);
	return {
		results: items
			.filter(({ json }) => json.status !== 'deleted')
			.map(({ json }) => ({ name: json.title || json.url || json.item_id, value: json.item_id, url: json.url || undefined })),
		...(more ? { paginationToken: String(next) } : {}),
	};
}
