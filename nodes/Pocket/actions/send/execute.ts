import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

import type { NodeOperation } from '../../model/operation';
import { connect, target } from '../../transport/connect';
import type { SendSettings } from '../../transport/send';
import { sendActions } from '../../transport/send';
import { apiError, describeIndexes, refuseAll } from '../errors';
import type { OperationDefinition } from '../operations';
import { OPERATIONS } from '../operations';
import { callSettings, nonNegative } from '../parameters';
import { readSavedItems, savedUrls } from '../savedUrls';
import type { ArchiveRequest } from './archive';
import { archiveAfterAdd, savedId } from './archive';
import type { Preparation, PreparedItem } from './input';
import { itemReader, prepareItem, readTagging } from './input';
import type { Outcome } from './output';
import { callFailedError, outputItem, rejectedActionsError } from './output';
import { skipSaved } from './skip';

/**
 * A send operation from input items to output items: read and validate every item, split the
 * valid ones into calls, send each call, and turn what happened to each item into its output.
 */

function readSettings(ctx: IExecuteFunctions, definition: OperationDefinition): { settings: SendSettings; maxActionsPerCall: number; skipExisting: boolean } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		maxActionsPerCall: Math.floor(nonNegative(options.maxActionsPerCall, 0)),
		settings: { ...callSettings(options), resendWhenUncertain: options.resendAfterTimeout === true },
		skipExisting: definition.action === 'add' && options.skipExisting === true,
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
	const { settings, maxActionsPerCall, skipExisting } = readSettings(ctx, definition);
	const tagging = readTagging(ctx);
	if (!tagging.ok) return refuse(`The Tagging options cannot be used: ${tagging.failure}`, 'Fix it in Tagging → Tag Rules.');

	const outcomes: Outcome[] = new Array(items.length);
	const prepared: PreparedItem[] = new Array(items.length);
	let valid: number[] = [];
	const preparation: Preparation = {
		read: itemReader(ctx, items, definition),
		items,
		validation: { zone: ctx.getTimezone() },
		tagging: tagging.value,
	};
	for (let i = 0; i < items.length; i++) {
		const item = prepareItem(ctx, i, preparation);
		if (item.ok) {
			prepared[i] = item.value;
			valid.push(i);
			continue;
		}
		if (!continueOnFail) throw item.failure.error;
		outcomes[i] = item.failure;
	}

	const hints: NodeExecutionHint[] = [];
	const toArchive: ArchiveRequest[] = [];
	if (skipExisting && valid.length > 0) {
		const read = await readSavedItems(connection.value, settings);
		if (!read.ok) {
			return refuse(`Skip URLs Already Saved could not read the saved URLs: ${read.failure.message}`, read.failure.description);
		}
		const skipping = skipSaved(valid, prepared, savedUrls(read.value.items));
		for (const [i, outcome] of skipping.skipped) outcomes[i] = outcome;
		toArchive.push(...skipping.toArchive);
		valid = skipping.send;
		hints.push({
			type: 'info',
			message: `Skipped ${skipping.skipped.size} of ${items.length} items: ${skipping.alreadySaved} already saved, ${skipping.repeated} with the URL of an earlier item (the ${read.value.items.length} saved items were read in ${read.value.pages} call(s)).`,
		});
	}

	const send = target(connection.value, 'send');
	const split = (indexes: number[]) => splitIntoCalls(indexes, maxActionsPerCall);
	const calls = split(valid);
	for (let c = 0; c < calls.length; c++) {
		const indexes = calls[c];
		const sent = await sendActions({ ...send, actions: indexes.map((i) => prepared[i].action), settings });
		if (sent.ok) {
			const { value: results, rateLimit } = sent.value;
			indexes.forEach((i, k) => (outcomes[i] = { kind: 'sent', action: prepared[i].action, result: results[k], rateLimit }));
			continue;
		}
		if (!continueOnFail) throw callFailedError(node, { failure: sent.failure, call: c + 1, calls, outcomes });
		for (const i of indexes) {
			outcomes[i] = { kind: 'call-failed', action: prepared[i].action, failure: sent.failure, call: c + 1, calls: calls.length };
		}
		// A server that failed one call is not sent more: the rest are reported as not sent.
		for (const i of calls.slice(c + 1).flat()) outcomes[i] = { kind: 'not-sent', action: prepared[i].action, failedCall: c + 1 };
		break;
	}

	if (!continueOnFail) {
		const rejected = rejectedActionsError(node, outcomes);
		if (rejected) throw rejected;
	}

	for (const i of valid) {
		const outcome = outcomes[i];
		if (!prepared[i].archive || outcome.kind !== 'sent' || !outcome.result.ok) continue;
		const itemId = savedId(outcome.result.value);
		toArchive.push(itemId === undefined ? { index: i, url: prepared[i].action.url ?? '' } : { index: i, itemId });
	}
	if (toArchive.length > 0) {
		const archived = await archiveAfterAdd(toArchive, { connection: connection.value, settings, split });
		const failed: number[] = [];
		for (const [i, step] of archived.steps) {
			const outcome = outcomes[i];
			if (outcome.kind === 'sent' || outcome.kind === 'skipped') outcome.archive = step;
			if (!step.ok) failed.push(i);
		}
		if (failed.length > 0) {
			failed.sort((a, b) => a - b);
			const message = `Items ${describeIndexes(failed)} were saved but not archived`;
			const description = 'Their rows say archived, but the archive step after the add failed (see each item). Run again with Skip URLs Already Saved on to archive them.';
			if (!continueOnFail) throw apiError(node, message, description, failed[0]);
			hints.push({ type: 'warning', message: `${message}: run again with Skip URLs Already Saved on to archive them.` });
		}
	}

	if (hints.length > 0) ctx.addExecutionHints(...hints);
	return [outcomes.map((outcome, i) => outputItem(node, i, outcome))];
}

/** The twelve send actions, one operation per row of the table (actions/operations.ts). */
export const sendOperations: NodeOperation[] = OPERATIONS.map((definition) => {
	const { resource, operation, name, menuLabel, description } = definition;
	return { resource, operation, name, menuLabel, description, execute: async (ctx) => await executeSend(ctx, definition) };
});
