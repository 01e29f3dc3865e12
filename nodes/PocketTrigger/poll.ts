import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiError } from '../Pocket/actions/errors';
import type { ReadLimits, ReadResult } from '../Pocket/actions/paging';
import { DEFAULT_PAGE_SIZE, readItems } from '../Pocket/actions/paging';
import { connect, target } from '../Pocket/transport/connect';
import type { GetQuery } from '../Pocket/transport/get';
import { DEFAULT_GET_SETTINGS, fetchPage } from '../Pocket/transport/get';
import { systemClock } from '../Pocket/transport/request';
import type { Cursor, EventName } from './events';
import { EVENTS, firstCursor, latest, poll } from './events';

/**
 * One poll of the Pocket Trigger: the first after activation only sets the cursor (nothing old
 * is emitted, n8n's convention), each later one reads what changed since the last and emits
 * every new event once; a manual run shows the latest matching item and leaves the cursor alone.
 */

type Reader = (query: GetQuery, limits: ReadLimits) => Promise<ReadResult>;

async function reader(ctx: IPollFunctions): Promise<Reader> {
	const node = ctx.getNode();
	const connection = await connect(ctx);
	if (!connection.ok) throw new NodeOperationError(node, connection.failure.message, { description: connection.failure.description });
	const get = target(connection.value, 'get');
	return async (query, limits) => {
		const read = await readItems((count, offset) => fetchPage({ ...get, query, count, offset, settings: DEFAULT_GET_SETTINGS }), query, limits);
		if (!read.ok) throw apiError(node, read.failure.message, read.failure.description, undefined, read.failure.httpCode);
		const dropped = Object.entries(read.value.dropped);
		if (dropped.length > 0) {
			ctx.logger.warn(`Pocket Trigger: left out items that contradict the filters of "${node.name}" (${dropped.map(([f, n]) => `${n} by ${f}`).join(', ')}): the server seems to ignore these filters`);
		}
		return read.value;
	};
}

const asItems = (items: ReadResult['items']): INodeExecutionData[][] => [items.map((item) => ({ json: item.json }))];

export async function pollPocket(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const event = ctx.getNodeParameter('event') as EventName;
	const tagParameter = event === 'itemTagged' ? String(ctx.getNodeParameter('tag', '')).trim() : '';
	const tag = tagParameter === '' ? undefined : tagParameter;
	const read = await reader(ctx);

	if (ctx.getMode() === 'manual') {
		const page = await read({ ...EVENTS[event].query, sort: 'newest' }, { limit: DEFAULT_PAGE_SIZE, pageSize: DEFAULT_PAGE_SIZE });
		const item = latest(event, tag, page.items);
		if (item === undefined) {
			throw new NodeOperationError(ctx.getNode(), `No item has been ${EVENTS[event].pastTense}${tag === undefined ? '' : ` with the tag "${tag}"`} yet`, {
				description: `The newest ${DEFAULT_PAGE_SIZE} items of the account hold none. Cause the event on the server, then test the trigger again.`,
			});
		}
		return asItems([item]);
	}

	const data = ctx.getWorkflowStaticData('node');
	const cursor = data.cursor as Cursor | undefined;
	if (cursor === undefined) {
		// The last minute's changes: events in the very second of activation are old ones too.
		const now = Math.floor(systemClock.now() / 1000);
		const recent = await read({ ...EVENTS[event].query, since: now - 60 }, { pageSize: DEFAULT_PAGE_SIZE });
		data.cursor = poll(firstCursor(recent.since ?? now, event), event, tag, recent.items, recent.since).cursor as IDataObject;
		return null;
	}
	// One second back: a change in the same second as the last read must not fall between two polls.
	const changed = await read({ ...EVENTS[event].query, since: cursor.since - 1 }, { pageSize: DEFAULT_PAGE_SIZE });
	const next = poll(cursor, event, tag, changed.items, changed.since);
	data.cursor = next.cursor as IDataObject;
	return next.emit.length > 0 ? asItems(next.emit) : null;
}
