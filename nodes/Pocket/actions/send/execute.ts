import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

import type { NodeOperation } from '../../model/operation';
import { connect } from '../../transport/connect';
import type { SendSettings } from '../../transport/send';
import { apiError, describeIndexes, refuseAll } from '../errors';
import type { OperationDefinition } from '../operations';
import { OPERATIONS } from '../operations';
import { callSettings, nonNegative } from '../parameters';
import type { PocketAction } from '../validation';
import type { ArchiveRequest } from './archive';
import { archiveAfterAdd } from './archive';
import { addEach, sendInCalls } from './calls';
import type { Preparation } from './input';
import { itemReader, prepareItem, readTagging } from './input';
import type { AccountReader } from './landing';
import { landTags } from './landing';
import type { Outcome } from './output';
import { retryOnFailHint } from './hints';
import { outputItem, rejectedActionsError, unconfirmedTags, unlandedTagsError } from './output';
import { skipSaved } from './skip';
import type { TagLandingMode } from './tags';
import { idOf, tagLandingMode } from './tags';

/**
 * A send operation from input items to output items: read and validate every item, split the
 * valid ones into calls, send each call, land the tags of the added items, and turn what
 * happened to each item into its output.
 */

function readSettings(
	ctx: IExecuteFunctions,
	definition: OperationDefinition,
): { settings: SendSettings; maxActionsPerCall: number; tagLanding: TagLandingMode; skipExisting: boolean } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		maxActionsPerCall: Math.floor(nonNegative(options.maxActionsPerCall, 0)),
		settings: { ...callSettings(options), resendWhenUncertain: options.resendAfterTimeout === true },
		tagLanding: tagLandingMode(options.tagLanding),
		skipExisting: definition.action === 'add' && options.skipExisting === true,
	};
}

/** The run's warning when added items carry tags the server did not confirm. */
function tagsHint(outcomes: Outcome[], mode: TagLandingMode): NodeExecutionHint[] {
	const unconfirmed = unconfirmedTags(outcomes);
	if (unconfirmed.length === 0) return [];
	const what =
		mode === 'trust'
			? 'Set Options → Save Tags to "Check and Complete" to have the node add them, or check them on the server.'
			: "Each item's tags.reason says why; add the tags with Item → Add Tags once the cause is fixed.";
	return [
		{
			type: 'warning',
			message: `The tags of ${unconfirmed.length} saved item(s) are not confirmed by the server (items ${describeIndexes(unconfirmed.map((u) => u.index))}). ${what}`,
		},
	];
}

export async function executeSend(ctx: IExecuteFunctions, definition: OperationDefinition, readAccount: AccountReader): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const continueOnFail = ctx.continueOnFail();

	const refuse = (message: string, description: string) =>
		refuseAll(node, items.length, continueOnFail, message, `${description} None of the ${items.length} items was sent.`);
	const connection = await connect(ctx);
	if (!connection.ok) return refuse(connection.failure.message, connection.failure.description);
	const { settings, maxActionsPerCall, tagLanding, skipExisting } = readSettings(ctx, definition);
	const tagging = readTagging(ctx);
	if (!tagging.ok) return refuse(`The Tagging options cannot be used: ${tagging.failure}`, 'Fix it in Tagging → Tag Rules.');

	const outcomes: Outcome[] = new Array(items.length);
	// The valid items' actions, and which rows ask to end archived: no object per item kept besides its action.
	const actions: PocketAction[] = new Array(items.length);
	const archiveRows = new Set<number>();
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
			actions[i] = item.value.action;
			if (item.value.archive) archiveRows.add(i);
			valid.push(i);
			continue;
		}
		if (!continueOnFail) throw item.failure.error;
		outcomes[i] = item.failure;
	}

	const hints: NodeExecutionHint[] = [];
	const toArchive: ArchiveRequest[] = [];
	if (skipExisting && valid.length > 0) {
		const read = await readAccount(connection.value, settings);
		if (!read.ok) {
			return refuse(`Skip URLs Already Saved could not read the saved URLs: ${read.failure.message}`, read.failure.description);
		}
		const skipping = skipSaved(valid, actions, archiveRows, read.value);
		for (const [i, outcome] of skipping.skipped) outcomes[i] = outcome;
		toArchive.push(...skipping.toArchive);
		valid = skipping.send;
		hints.push({
			type: 'info',
			message: `Skipped ${skipping.skipped.size} of ${items.length} items: ${skipping.alreadySaved} already saved, ${skipping.repeated} with the URL of an earlier item (${read.value.length} saved items read).`,
		});
	}

	const dispatch = { node, connection: connection.value, actions, outcomes, settings };
	// "One /add Call per Item" sends the adds through /add, any other action of the batch through /send.
	const throughAdd = tagLanding === 'addEndpoint' ? valid.filter((i) => actions[i].action === 'add') : [];
	const throughSend = throughAdd.length === 0 ? valid : valid.filter((i) => actions[i].action !== 'add');
	const stopped = (await sendInCalls(dispatch, throughSend, maxActionsPerCall)) ?? (await addEach(dispatch, throughAdd));
	for (const i of throughAdd) outcomes[i] ??= { kind: 'not-sent', action: actions[i], failedCall: stopped?.call ?? 0 };
	await landTags(outcomes, { mode: tagLanding, connection: connection.value, settings, maxActionsPerCall, readAccount });

	if (!continueOnFail) {
		if (stopped) throw stopped.error;
		const rejected = rejectedActionsError(node, outcomes);
		if (rejected) throw rejected;
		const unlanded = unconfirmedTags(outcomes);
		// The user chose not to have them checked: a warning then, not a failure.
		if (unlanded.length > 0 && tagLanding !== 'trust') throw unlandedTagsError(node, unlanded);
	}

	for (const i of valid) {
		const outcome = outcomes[i];
		if (!archiveRows.has(i) || outcome.kind !== 'sent' || !outcome.result.ok) continue;
		const itemId = idOf(outcome.result.value) ?? outcome.savedId;
		toArchive.push(itemId === undefined ? { index: i, url: actions[i].url ?? '' } : { index: i, itemId });
	}
	if (toArchive.length > 0) {
		const steps = await archiveAfterAdd(toArchive, { connection: connection.value, settings, maxActionsPerCall, readAccount });
		const failed: number[] = [];
		for (const [i, step] of steps) {
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
	hints.push(...tagsHint(outcomes, tagLanding));
	const retry = retryOnFailHint(node, continueOnFail, outcomes[0] !== undefined && !(outcomes[0].kind === 'sent' && outcomes[0].result.ok));
	if (retry) hints.push(retry);
	if (hints.length > 0) ctx.addExecutionHints(...hints);
	return [outcomes.map((outcome, i) => outputItem(node, i, outcome))];
}

/** The twelve send actions, one operation per row of the table (actions/operations.ts), reading the list through `readAccount` where tags must be landed. */
export function sendOperations(readAccount: AccountReader): NodeOperation[] {
	return OPERATIONS.map((definition) => {
		const { resource, operation, name, menuLabel, description } = definition;
		return { resource, operation, name, menuLabel, description, execute: async (ctx) => await executeSend(ctx, definition, readAccount) };
	});
}
