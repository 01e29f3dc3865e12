import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiError } from '../Pocket/actions/errors';
import type { ReadLimits, ReadResult } from '../Pocket/actions/getMany/paging';
import { DEFAULT_PAGE_SIZE } from '../Pocket/actions/getMany/paging';
import { readGet } from '../Pocket/actions/getMany/readGet';
import { connect } from '../Pocket/transport/connect';
import type { GetQuery } from '../Pocket/transport/get';
import { DEFAULT_GET_SETTINGS } from '../Pocket/transport/get';
import { systemClock } from '../Pocket/transport/request';
import type { EventName } from './events';
import { EVENTS, firstCursor, latest, poll, readCursor, storedCursor } from './events';

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
	const data = ctx.getWorkflowStaticData('node');
	return async (query, limits) => {
		const read = await readGet(connection.value, { query, limits, settings: DEFAULT_GET_SETTINGS }, data);
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
	const cursor = readCursor(data.cursor);
	if (cursor === undefined) {
		// No cursor, or one of another shape (tampered, another version): a new start, emitting nothing old.
		if (data.cursor !== undefined) ctx.logger.warn(`Pocket Trigger: the saved position of "${ctx.getNode().name}" was unreadable and starts again from now`);
		// The last minute's changes: events in the very second of activation are old ones too.
		const now = Math.floor(systemClock.now() / 1000);
		try {
			const recent = await read({ ...EVENTS[event].query, since: now - 60 }, { pageSize: DEFAULT_PAGE_SIZE });
			data.cursor = storedCursor(poll(firstCursor(recent.since ?? now, event), event, tag, recent.items, recent.since, systemClock.now()).cursor);
		} catch (error) {
			// A throw here fails n8n's activation, which n8n then retries in the background with no
			// execution to show (measured on n8n 2.41.1). Activation goes ahead from this moment, and
			// the next poll that fails throws: a failed execution, and the error workflow.
			data.cursor = storedCursor(firstCursor(now, event));
			ctx.logger.warn(`Pocket Trigger "${ctx.getNode().name}": the first read failed; the next poll that fails shows as a failed execution: ${(error as Error).message}`);
		}
		return null;
	}
	// One second back: a change in the same second as the last read must not fall between two polls.
	const changed = await read({ ...EVENTS[event].query, since: cursor.since - 1 }, { pageSize: DEFAULT_PAGE_SIZE });
	const next = poll(cursor, event, tag, changed.items, changed.since, systemClock.now());
	data.cursor = storedCursor(next.cursor);
	return next.emit.length > 0 ? asItems(next.emit) : null;
}
