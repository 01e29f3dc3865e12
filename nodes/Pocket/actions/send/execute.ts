import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { NodeOperation } from '../../model/operation';
import { connect, target } from '../../transport/connect';
import type { SendSettings } from '../../transport/send';
import { sendActions } from '../../transport/send';
import { refuseAll } from '../errors';
import type { OperationDefinition } from '../operations';
import { OPERATIONS } from '../operations';
import { callSettings, nonNegative } from '../parameters';
import type { PocketAction } from '../validation';
import type { Preparation } from './input';
import { itemReader, prepareItem, readTagging } from './input';
import type { Outcome } from './output';
import { callFailedError, outputItem, rejectedActionsError } from './output';
import { retryOnFailHint } from './hints';

/**
 * A send operation from input items to output items: read and validate every item, split the
 * valid ones into calls, send each call, and turn what happened to each item into its output.
 */

function readSettings(ctx: IExecuteFunctions): { settings: SendSettings; maxActionsPerCall: number } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		maxActionsPerCall: Math.floor(nonNegative(options.maxActionsPerCall, 0)),
		settings: { ...callSettings(options), resendWhenUncertain: options.resendAfterTimeout === true },
	};
}

/** The input indexes of each call, in order; one call for everything when uncapped. */
export function splitIntoCalls(indexes: number[], maxActionsPerCall: number): number[][] {
	if (indexes.length === 0) return [];
	if (maxActionsPerCall <= 0) return [indexes];
	const calls: number[][] = [];
	for (let i = 0; i < indexes.length; i += maxActionsPerCall) calls.push(indexes.slice(i, i + maxActionsPerCall));
	return calls;
}

export async function executeSend(ctx: IExecuteFunctions, definition: OperationDefinition): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const continueOnFail = ctx.continueOnFail();

	const refuse = (message: string, description: string) =>
		refuseAll(node, items.length, continueOnFail, message, `${description} None of the ${items.length} items was sent.`);
	const connection = await connect(ctx);
	if (!connection.ok) return refuse(connection.failure.message, connection.failure.description);
	const { settings, maxActionsPerCall } = readSettings(ctx);
	const tagging = readTagging(ctx);
	if (!tagging.ok) return refuse(`The Tagging options cannot be used: ${tagging.failure}`, 'Fix it in Tagging → Tag Rules.');

	const outcomes: Outcome[] = new Array(items.length);
	const actions: PocketAction[] = new Array(items.length);
	const valid: number[] = [];
	const preparation: Preparation = {
		read: itemReader(ctx, items, definition),
		items,
		validation: { zone: ctx.getTimezone() },
		tagging: tagging.value,
	};
	for (let i = 0; i < items.length; i++) {
		const prepared = prepareItem(ctx, i, preparation);
		if (prepared.ok) {
			actions[i] = prepared.value;
			valid.push(i);
			continue;
		}
		if (!continueOnFail) throw prepared.failure.error;
		outcomes[i] = prepared.failure;
	}

	const send = target(connection.value, 'send');
	const calls = splitIntoCalls(valid, maxActionsPerCall);
	for (let c = 0; c < calls.length; c++) {
		const indexes = calls[c];
		const sent = await sendActions({ ...send, actions: indexes.map((i) => actions[i]), settings });
		if (sent.ok) {
			const { value: results, rateLimit } = sent.value;
			indexes.forEach((i, k) => (outcomes[i] = { kind: 'sent', action: actions[i], result: results[k], rateLimit }));
			continue;
		}
		if (!continueOnFail) throw callFailedError(node, { failure: sent.failure, call: c + 1, calls, outcomes });
		for (const i of indexes) {
			outcomes[i] = { kind: 'call-failed', action: actions[i], failure: sent.failure, call: c + 1, calls: calls.length };
		}
		// A server that failed one call is not sent more: the rest are reported as not sent.
		for (const i of calls.slice(c + 1).flat()) outcomes[i] = { kind: 'not-sent', action: actions[i], failedCall: c + 1 };
		break;
	}

	if (!continueOnFail) {
		const rejected = rejectedActionsError(node, outcomes);
		if (rejected) throw rejected;
	}
	const hint = retryOnFailHint(node, continueOnFail, outcomes[0] !== undefined && !(outcomes[0].kind === 'sent' && outcomes[0].result.ok));
	if (hint) ctx.addExecutionHints(hint);
	return [outcomes.map((outcome, i) => outputItem(node, i, outcome))];
}

/** The twelve send actions, one operation per row of the table (actions/operations.ts). */
export const sendOperations: NodeOperation[] = OPERATIONS.map((definition) => {
	const { resource, operation, name, menuLabel, description } = definition;
	return { resource, operation, name, menuLabel, description, execute: async (ctx) => await executeSend(ctx, definition) };
});
