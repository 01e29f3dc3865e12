import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isGetMany } from './getMany/description';
import { executeGetMany } from './getMany/execute';
import { findOperation } from './operations';
import { executeSend } from './send/execute';
import { itemsFailed } from './send/output';

/**
 * Dispatches on the node's resource and operation: a Pocket send action (its row of the
 * operation table), or Item → Get Many, which reads from /get.
 */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Both are noDataExpression parameters: one value for the whole execution.
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const definition = findOperation(resource, operation);
	if (!definition && !isGetMany(resource, operation)) {
		throw new NodeOperationError(ctx.getNode(), `Unknown operation "${resource}: ${operation}"`);
	}
	try {
		return definition ? await executeSend(ctx, definition) : await executeGetMany(ctx);
	} catch (error) {
		const cause =
			error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error);
		if (!ctx.continueOnFail()) throw cause;
		// Whatever escaped the node's own handling: under Continue On Fail n8n would pass the
		// input items on as if they had succeeded, so each becomes an error item instead.
		return [itemsFailed(ctx.getNode(), ctx.getInputData().length, cause, 'unknown')];
	}
}
