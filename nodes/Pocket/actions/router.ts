import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { findOperation } from './operations';
import { executeSend } from './send/execute';

/**
 * Dispatches on the node's resource and operation. Every operation today is a Pocket send
 * action; an operation on another endpoint (Item → Get Many on /get) gets its own branch here.
 */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Both are noDataExpression parameters: one value for the whole execution.
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const definition = findOperation(resource, operation);
	if (!definition) throw new NodeOperationError(ctx.getNode(), `Unknown operation "${resource}: ${operation}"`);
	return await executeSend(ctx, definition);
}
