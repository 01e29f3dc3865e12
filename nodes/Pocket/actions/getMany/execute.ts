import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PocketItem } from '../../model/item';
import type { NodeOperation } from '../../model/operation';
import type { Result } from '../../result';
import { failure, success } from '../../result';
import type { Connection } from '../../transport/connect';
import { connect, target } from '../../transport/connect';
import type { GetQuery, GetSettings } from '../../transport/get';
import { fetchPage } from '../../transport/get';
import type { RateLimit, RateLimitWindow } from '../../transport/response';
import { apiError, describeIndexes, errorItem, refuseAll } from '../errors';
import { callSettings, holdsExpression, nonNegative } from '../parameters';
import { GET_MANY, GET_MANY_PARAMETERS, getManyProperties } from './description';
import type { CheckedFilter } from './filters';
import { queryOf } from './filters';
import { simplified } from './simplify';
import type { ReadLimits, ReadResult } from './paging';
import { DEFAULT_PAGE_SIZE, MAX_PAGES, readItems } from './paging';

/**
 * Item → Get Many from input items to output items. n8n evaluates a node's parameters per input
 * item, so a read whose parameters hold expressions runs once per input item, its items paired
 * with that input item. Without expressions every input item would ask the same: the node then
 * reads once, as if n8n's Execute Once were on, and pairs the items with the first input item.
 */

interface ReadRequest {
	query: GetQuery;
	simplify: boolean;
	limits: ReadLimits;
	settings: GetSettings;
}

function readRequest(ctx: IExecuteFunctions, itemIndex: number): Result<ReadRequest, NodeOperationError> {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// From version 1.1 Sort has its own collection (version 1 keeps it among the filters).
	const { order } = ctx.getNodeParameter('sort', itemIndex, {}) as IDataObject;
	const query = queryOf(order === undefined ? filters : { ...filters, sort: order }, { zone: ctx.getTimezone() });
	if (!query.ok) {
		const { filter, problem } = query.failure;
		return failure(new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${filter} ${problem}`, { itemIndex, description: 'Nothing was read.' }));
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return success({
		query: query.value,
		// Version 1 has no Simplify: its nodes keep the whole item.
		simplify: ctx.getNodeParameter('simplify', itemIndex, false) === true,
		limits: {
			limit: returnAll ? undefined : Math.max(1, Math.floor(nonNegative(ctx.getNodeParameter('limit', itemIndex, 50), 50))),
			pageSize: Math.max(1, Math.floor(nonNegative(options.pageSize, DEFAULT_PAGE_SIZE))),
		},
		settings: callSettings(options),
	});
}

const FILTER_NAMES: Record<CheckedFilter, string> = {
	state: 'State',
	favorite: 'Favorite',
	tag: 'Tag',
	since: 'Changed Since',
	domain: 'Domain',
};

/** The server's quotas after the last call, in words: "User quota: 317 of 320 calls left, resets in 3600 s." */
function describeRateLimit({ user, key }: RateLimit): string {
	const window = (name: string, w: RateLimitWindow | undefined) =>
		w === undefined
			? []
			: [`${name} quota: ${w.remaining ?? '?'} of ${w.limit ?? '?'} calls left${w.resetSeconds === undefined ? '' : `, resets in ${w.resetSeconds} s`}.`];
	return [...window('User', user), ...window('Consumer key', key)].join(' ');
}

/**
 * What the user should know about the reads beyond their items, as n8n's execution hints (shown
 * above the node's output and kept with the execution): items left out by the filter check,
 * filters that could not be checked, reads that stopped early, and the rate limit left.
 */
function hintsFor(reads: Array<{ itemIndex: number; read: ReadResult }>, runs: number): NodeExecutionHint[] {
	const which = (indexes: number[]) => (runs > 1 ? ` (input items ${describeIndexes(indexes)})` : '');
	const dropped = new Map<CheckedFilter, number>();
	let unchecked = 0;
	const stopped = { repeatedPage: [] as number[], pageCap: [] as number[] };
	for (const { itemIndex, read } of reads) {
		for (const [filter, n] of Object.entries(read.dropped) as Array<[CheckedFilter, number]>) dropped.set(filter, (dropped.get(filter) ?? 0) + n);
		unchecked += read.tagUnchecked;
		if (read.stoppedEarly) stopped[read.stoppedEarly].push(itemIndex);
	}
	const hints: NodeExecutionHint[] = [];
	if (dropped.size > 0) {
		const total = [...dropped.values()].reduce((a, b) => a + b, 0);
		const byFilter = (Object.keys(FILTER_NAMES) as CheckedFilter[])
			.filter((filter) => dropped.has(filter))
			.map((filter) => `${dropped.get(filter)} by ${FILTER_NAMES[filter]}`)
			.join(', ');
		hints.push({
			type: 'warning',
			message: `Left out ${total} item(s) the server returned although they contradict the filters (${byFilter}): the server seems to ignore these filters.`,
		});
	}
	if (unchecked > 0) {
		hints.push({
			type: 'warning',
			message: `The server sent no tags, so the Tag filter could not be checked on ${unchecked} returned item(s).`,
		});
	}
	if (stopped.repeatedPage.length > 0) {
		hints.push({
			type: 'warning',
			message: `The server answered the next page with items already read (it ignores offset), so reading stopped${which(stopped.repeatedPage)}: more items may match.`,
		});
	}
	if (stopped.pageCap.length > 0) {
		hints.push({ type: 'warning', message: `Reading stopped after ${MAX_PAGES} calls, the node's limit${which(stopped.pageCap)}: more items may match.` });
	}
	const rateLimit = reads.at(-1)?.read.rateLimit;
	if (rateLimit) {
		const calls = reads.reduce((sum, { read }) => sum + read.pages, 0);
		hints.push({ type: 'info', message: `${calls} call(s) made. ${describeRateLimit(rateLimit)}` });
	}
	return hints;
}

async function read(connection: Connection, { query, limits, settings }: ReadRequest) {
	const get = target(connection, 'get');
	return await readItems((count, offset) => fetchPage({ ...get, query, count, offset, settings }), query, limits);
}

export async function executeGetMany(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const continueOnFail = ctx.continueOnFail();

	const connection = await connect(ctx);
	if (!connection.ok) {
		const { message, description } = connection.failure;
		return refuseAll(node, items.length, continueOnFail, message, `${description} Nothing was read.`);
	}

	const fixed = !GET_MANY_PARAMETERS.some((name) => holdsExpression(node.parameters[name]));
	const runs = fixed ? [0] : items.map((_, i) => i);
	const output: INodeExecutionData[] = [];
	const reads: Array<{ itemIndex: number; read: ReadResult }> = [];
	for (const itemIndex of runs) {
		const request = readRequest(ctx, itemIndex);
		if (!request.ok) {
			if (!continueOnFail) throw request.failure;
			output.push(errorItem(itemIndex, request.failure, {}));
			continue;
		}
		const result = await read(connection.value, request.value);
		if (!result.ok) {
			const { message, description, httpCode } = result.failure;
			const error = apiError(node, runs.length > 1 ? `Item ${itemIndex}: ${message}` : message, description, itemIndex, httpCode);
			if (!continueOnFail) throw error;
			output.push(errorItem(itemIndex, error, {}));
			continue;
		}
		reads.push({ itemIndex, read: result.value });
		const shape = request.value.simplify ? simplified : (json: PocketItem) => json;
		for (const item of result.value.items) output.push({ json: shape(item.json), pairedItem: { item: itemIndex } });
	}
	const hints = hintsFor(reads, runs.length);
	if (hints.length > 0) ctx.addExecutionHints(...hints);
	return [output];
}

/** Item → Get Many: reads from /get, with its own parameters. */
export const getMany: NodeOperation = { ...GET_MANY, properties: getManyProperties, execute: executeGetMany };
