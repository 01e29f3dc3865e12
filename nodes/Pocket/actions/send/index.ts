import type { NodeOperation } from '../../model/operation';
import { OPERATIONS } from '../operations';
import { executeSend } from './execute';

/** The twelve send actions, one operation per row of the table (actions/operations.ts). */
export const sendOperations: NodeOperation[] = OPERATIONS.map((definition) => {
	const { resource, operation, name, menuLabel, description } = definition;
	return { resource, operation, name, menuLabel, description, execute: async (ctx) => await executeSend(ctx, definition) };
});
