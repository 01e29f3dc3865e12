import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError, NodeExecutionHint } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { NodeOperation } from '../../model/operation';
import type { Result } from '../../result';
import { failure, success } from '../../result';
import type { Connection } from '../../transport/connect';
import { connect } from '../../transport/connect';
import type { RateLimit, RateLimitWindow } from '../../transport/response';
import { apiError, describeIndexes, errorItem, refuseAll } from '../errors';
import { describeValue } from '../../model/describeValue';
import { callSettings, holdsExpression } from '../parameters';
import { GET_MANY, GET_MANY_PARAMETERS, getManyProperties } from './description';
import type { CheckedFilter } from './filters';
import { FILTER_LABELS, filterName, queryOf, whyUnchecked } from './filters';
import { simplified } from './simplify';
import type { ReadResult } from './paging';
import { DEFAULT_PAGE_SIZE, MAX_PAGES } from './paging';
import type { GetRead } from './readGet';
import { readGet } from './readGet';

/**
 * Item → Get Many from input items to output items. n8n evaluates a node's parameters per input
 * item, so a read whose parameters hold expressions runs once per input item, its items paired
 * with that input item. Without expressions every input item would ask the same: the node then
 * reads once, as if n8n's Execute Once were on, and pairs the items with the first input item.
 */

interface ReadRequest extends GetRead {
	/** Return items a filter could not be checked on, marked, instead of stopping. */
	returnUnchecked: boolean;
}

/** A count the user gives (Limit, Page Size): a whole number from 1, as a number or its digits; anything else is refused, not rounded. */
function countOf(value: unknown): number | undefined {
	const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
	return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

function readRequest(ctx: IExecuteFunctions, itemIndex: number): Result<ReadRequest, NodeOperationError> {
	const refuse = (what: string) => failure(new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${what}`, { itemIndex, description: 'Nothing was read.' }));
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// From version 1.1 Sort has its own collection (version 1 keeps it among the filters).
	const { order } = ctx.getNodeParameter('sort', itemIndex, {}) as IDataObject;
	const query = queryOf(order === undefined ? filters : { ...filters, sort: order }, { zone: ctx.getTimezone() });
	if (!query.ok) return refuse(`${query.failure.filter} ${query.failure.problem}`);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limitValue: unknown = returnAll ? undefined : ctx.getNodeParameter('limit', itemIndex, 50);
	const limit = countOf(limitValue);
	if (!returnAll && limit === undefined) return refuse(`Limit (limit) must be a whole number of at least 1 (got ${describeValue(limitValue)})`);
	const pageSize = options.pageSize === undefined ? DEFAULT_PAGE_SIZE : countOf(options.pageSize);
	if (pageSize === undefined) return refuse(`Page Size (pageSize) must be a whole number of at least 1 (got ${describeValue(options.pageSize)})`);
	return success({
		query: query.value,
		limits: { limit, pageSize },
		settings: callSettings(options),
		returnUnchecked: options.returnUnchecked === true,
	});
}

/** The filters in a list, as the UI names them: "Tag (tag) and Content Type (contentType)". */
const nameFilters = (filters: CheckedFilter[]) => filters.map(filterName).join(' and ');

/**
 * A read that returned items a filter could not be checked on, with the option off: the run
 * stops rather than pass on items that may not match (chained into Archive or Delete, that is
 * data loss).
 */
function uncheckedError(ctx: IExecuteFunctions, itemIndex: number, runs: number, read: ReadResult): NodeOperationError {
	const filters = [...new Set([...read.unchecked.values()].flat())];
	const why = filters.map((f) => `${filterName(f)}: ${whyUnchecked(f)}`).join('; ');
	const prefix = runs > 1 ? `Item ${itemIndex}: ` : '';
	return new NodeOperationError(ctx.getNode(), `${prefix}The ${nameFilters(filters)} filter cannot be applied on this server`, {
		itemIndex,
		description: `${why}. The server returned ${read.unchecked.size} item(s) the node could not check, so none was returned. Turn on Options → Return Unchecked Items to get them, each marked with the filters it was not checked against in "unchecked".`,
	});
}

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
	const unchecked = new Map<CheckedFilter, number>();
	const stopped = { repeatedPage: [] as number[], pageCap: [] as number[] };
	for (const { itemIndex, read } of reads) {
		for (const [filter, n] of Object.entries(read.dropped) as Array<[CheckedFilter, number]>) dropped.set(filter, (dropped.get(filter) ?? 0) + n);
		for (const filters of read.unchecked.values()) for (const filter of filters) unchecked.set(filter, (unchecked.get(filter) ?? 0) + 1);
		if (read.stoppedEarly) stopped[read.stoppedEarly].push(itemIndex);
	}
	const hints: NodeExecutionHint[] = [];
	if (dropped.size > 0) {
		const total = [...dropped.values()].reduce((a, b) => a + b, 0);
		const byFilter = (Object.keys(FILTER_LABELS) as CheckedFilter[])
			.filter((filter) => dropped.has(filter))
			.map((filter) => `${dropped.get(filter)} by ${FILTER_LABELS[filter][0]}`)
			.join(', ');
		hints.push({
			type: 'warning',
			message: `Left out ${total} item(s) the server returned although they contradict the filters (${byFilter}): the server seems to ignore these filters.`,
		});
	}
	for (const [filter, n] of unchecked) {
		hints.push({
			type: 'warning',
			message: `${filterName(filter)} could not be checked on ${n} returned item(s) (${whyUnchecked(filter)}): each is marked in "unchecked".`,
		});
	}
	if (reads.some(({ read }) => read.sinceRefused)) {
		hints.push({ type: 'info', message: 'The server refuses Changed Since: the node read without it and checked the times itself.' });
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

/**
 * One input item's read, from its parameters to the items it may return: the workflow's memory
 * of a refused `since` is read and kept, and a read with items no filter check could settle is
 * refused unless the user asked for them.
 */
async function readFor(ctx: IExecuteFunctions, connection: Connection, itemIndex: number, runs: number): Promise<Result<ReadResult, NodeApiError | NodeOperationError>> {
	const request = readRequest(ctx, itemIndex);
	if (!request.ok) return request;
	const result = await readGet(connection, request.value, ctx.getWorkflowStaticData('node'));
	if (!result.ok) {
		const { message, description, httpCode } = result.failure;
		return failure(apiError(ctx.getNode(), runs > 1 ? `Item ${itemIndex}: ${message}` : message, description, itemIndex, httpCode));
	}
	if (result.value.unchecked.size > 0 && !request.value.returnUnchecked) return failure(uncheckedError(ctx, itemIndex, runs, result.value));
	return success(result.value);
}

/** An output item, with Simplify's fields only when it is on; one a filter could not be checked on says which. */
function outputOf(item: ReadResult['items'][number], read: ReadResult, itemIndex: number, simplify: boolean): INodeExecutionData {
	const unchecked = read.unchecked.get(item.json.item_id);
	const json = simplify ? simplified(item.json) : item.json;
	return { json: unchecked === undefined ? json : { ...json, unchecked }, pairedItem: { item: itemIndex } };
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
		const read = await readFor(ctx, connection.value, itemIndex, runs.length);
		if (!read.ok) {
			if (!continueOnFail) throw read.failure;
			output.push(errorItem(itemIndex, read.failure, {}));
			continue;
		}
		reads.push({ itemIndex, read: read.value });
		// Version 1 has no Simplify: its nodes keep the whole item.
		const simplify = ctx.getNodeParameter('simplify', itemIndex, false) === true;
		for (const item of read.value.items) output.push(outputOf(item, read.value, itemIndex, simplify));
	}
	const hints = hintsFor(reads, runs.length);
	if (hints.length > 0) ctx.addExecutionHints(...hints);
	return [output];
}

/** Item → Get Many: reads from /get, with its own parameters. */
export const getMany: NodeOperation = { ...GET_MANY, properties: getManyProperties, execute: executeGetMany };
