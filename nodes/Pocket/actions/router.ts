import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { NodeOperation } from '../model/operation';
import { itemsFailed } from './errors';
import { readAccount } from './getMany/account';
import { getMany } from './getMany/execute';
import { sendOperations } from './send/execute';

/**
 * Every operation of the node, in menu order before sorting: the UI and the router read this list.
 * Add reads the saved list the way Get Many does, to land tags: the one read path is handed in here.
 */
export const NODE_OPERATIONS: readonly NodeOperation[] = [...sendOperations(readAccount), getMany];

const BY_KEY = new Map(NODE_OPERATIONS.map((o) => [`${o.resource}:${o.operation}`, o]));

/** Runs the operation the node's Resource and Operation name: one lookup, then its execute. */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Both are noDataExpression parameters: one value for the whole execution.
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const selected = BY_KEY.get(`${resource}:${operation}`);
	if (!selected) throw new NodeOperationError(ctx.getNode(), `Unknown operation "${resource}: ${operation}"`);
	try {
		return await selected.execute(ctx);
	} catch (error) {
		const cause =
			error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error);
		if (!ctx.continueOnFail()) throw cause;
		// Whatever escaped the node's own handling: under Continue On Fail n8n would pass the
		// input items on as if they had succeeded, so each becomes an error item instead.
		return [itemsFailed(ctx.getNode(), ctx.getInputData().length, cause, 'unknown')];
	}
}
