import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Applied } from '../transport/failures';

/**
 * The node's errors as n8n shows them, for every operation and the trigger: an API error built
 * from our own words only, error items paired with their input item, and short lists of items.
 */

export function apiError(node: INode, message: string, description: string, itemIndex: number | undefined, httpCode?: string) {
	// A clean object, never the request's error: that one carries the credentials.
	const response: JsonObject = { message, description, ...(httpCode ? { httpCode } : {}) };
	return new NodeApiError(node, response, { message, description, httpCode, itemIndex });
}

/**
 * An error item as n8n wants it: n8n replaces the JSON of any item that carries `error` with
 * `{ error: message }` (and merges the input item's JSON on the error output), so the details
 * a workflow may need (the action, the server's error) travel in the error's context.
 */
export function errorItem(index: number, error: NodeApiError | NodeOperationError, details: IDataObject): INodeExecutionData {
	error.context = { ...error.context, ...details };
	return { json: { error: error.message }, error, pairedItem: { item: index } };
}

/**
 * Every input item as an error item, for a failure that concerns them all (a refused Base
 * URL, an unexpected error) under Continue On Fail: one output per input, even then.
 */
export function itemsFailed(node: INode, count: number, cause: NodeApiError | NodeOperationError, applied: Applied = 'no'): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => {
		const error = new NodeOperationError(node, `Item ${index}: ${cause.message}`, { itemIndex: index, description: cause.description ?? undefined });
		return errorItem(index, error, { applied });
	});
}

/** "0-99, 150, 152-153": keeps messages short when thousands of items are concerned. */
export function describeIndexes(indexes: number[]): string {
	const ranges: string[] = [];
	for (let i = 0; i < indexes.length; i++) {
		const start = indexes[i];
		while (i + 1 < indexes.length && indexes[i + 1] === indexes[i] + 1) i++;
		ranges.push(start === indexes[i] ? `${start}` : `${start}-${indexes[i]}`);
	}
	return ranges.join(', ');
}

/**
 * A problem with the node's set-up (a refused Base URL, unusable options): nothing is sent or
 * read. The run fails, or under Continue On Fail every input item says so, marked not applied.
 */
export function refuseAll(node: INode, count: number, continueOnFail: boolean, message: string, description: string): INodeExecutionData[][] {
	const error = new NodeOperationError(node, message, { description });
	if (!continueOnFail) throw error;
	return [itemsFailed(node, count, error)];
}
