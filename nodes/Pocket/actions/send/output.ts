import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { normaliseEntry } from '../../model/item';
import type { Failure } from '../../transport/failures';
import type { RateLimit } from '../../transport/response';
import type { ActionResult, ServerActionError } from '../../transport/send';
import { apiError, describeIndexes, errorItem } from '../errors';
import type { FieldKey } from '../fields';
import type { PocketAction } from '../validation';
import { isFirstVersion } from '../versions';
import type { TagReport } from './tags';

/**
 * What happened to each input item, and how that becomes the node's output: one item out
 * for every item in, paired with it, in input order.
 */
export type InvalidOutcome = { kind: 'invalid'; error: NodeOperationError; field?: FieldKey };

/**
 * The archive action that follows an add whose export row says archived: the server applied it,
 * or why the item was not archived.
 */
export type ArchiveStep = { ok: true; action: PocketAction } | { ok: false; message: string; description: string };

/** An Add item not sent under Skip URLs Already Saved: the account holds its URL, or an earlier item has it. */
export type SkippedOutcome = {
	kind: 'skipped';
	action: PocketAction;
	reason: 'already saved' | 'earlier in the input';
	/** The saved item that holds the URL. */
	saved?: IDataObject;
	/** The index of the earlier input item with the same URL. */
	sameAs?: number;
	archive?: ArchiveStep;
};

export type SentOutcome = {
	kind: 'sent';
	action: PocketAction;
	result: ActionResult;
	rateLimit?: RateLimit;
	tags?: TagReport;
	/** The saved item's id where the answer did not give it and a read of the list found it. */
	savedId?: string;
	archive?: ArchiveStep;
};

export type Outcome =
	| InvalidOutcome
	/** Sent, and the server gave its verdict on this action; for an `add`, what is known of its tags. */
	| SentOutcome
	| SkippedOutcome
	| { kind: 'call-failed'; action: PocketAction; failure: Failure; call: number; calls: number }
	| { kind: 'not-sent'; action: PocketAction; failedCall: number };

function serverErrorText(error: ServerActionError): string {
	const about = [error.type, error.code === undefined ? undefined : `code ${error.code}`].filter(Boolean);
	return about.length ? `${error.message} (${about.join(', ')})` : error.message;
}

/**
 * The item a server answered an action with (Pocket does for add and readd), in the item shape of
 * Get Many and the trigger; nodes saved as version 1 keep it as the server sent it. Such an item
 * is in the list, so a server that leaves out its status means unread. One the node cannot read
 * stays as sent: the action was applied all the same.
 */
function answeredItem(node: INode, value: IDataObject): IDataObject {
	if (isFirstVersion(node)) return value;
	const item = normaliseEntry(value.status === undefined || value.status === null ? { ...value, status: '0' } : value);
	return item.ok ? item.value.json : value;
}

/** The output item for one input item, in n8n's form for successes and for errors. */
export function outputItem(node: INode, index: number, outcome: Outcome): INodeExecutionData {
	switch (outcome.kind) {
		case 'invalid':
			return errorItem(index, outcome.error, outcome.field ? { field: outcome.field } : {});
		case 'sent': {
			const { action, result, rateLimit, tags, archive } = outcome;
			if (result.ok && archive && !archive.ok) return notArchived(node, index, action, result.value, archive);
			if (result.ok) {
				// Built field by field: spreading optional parts cost two objects per item.
				const json: IDataObject = { success: true, action };
				if (result.value) json.item = answeredItem(node, result.value);
				if (tags) json.tags = tags;
				if (archive?.ok) {
					json.archived = true;
					json.archiveAction = archive.action;
				}
				if (rateLimit) json.rateLimit = rateLimit;
				return { json, pairedItem: { item: index } };
			}
			const message = `Item ${index}: the server rejected the ${action.action} action: ${serverErrorText(result.failure)}`;
			return errorItem(index, apiError(node, message, 'The other actions of the batch were applied.', index), {
				action,
				serverError: result.failure,
			});
		}
		case 'call-failed': {
			const { action, failure, call, calls } = outcome;
			const message = `Item ${index}: call ${call} of ${calls} failed: ${failure.message}`;
			return errorItem(index, apiError(node, message, failure.description, index, failure.httpCode), {
				action,
				applied: failure.applied,
			});
		}
		case 'skipped': {
			const { action, reason, saved, sameAs, archive } = outcome;
			if (archive && !archive.ok) return notArchived(node, index, action, saved, archive);
			return {
				json: {
					success: true,
					skipped: true,
					reason,
					action,
					...(saved ? { item: saved } : {}),
					...(sameAs === undefined ? {} : { sameAs }),
					...(archive?.ok ? { archived: true, archiveAction: archive.action } : {}),
				},
				pairedItem: { item: index },
			};
		}
		case 'not-sent': {
			const message = `Item ${index}: not sent, because call ${outcome.failedCall} failed before it`;
			return errorItem(index, new NodeOperationError(node, message, { itemIndex: index }), {
				action: outcome.action,
				applied: 'no',
			});
		}
	}
}

/** An item that is saved but not archived as its row asked: an error item, so that the row is seen and can be run again. */
function notArchived(node: INode, index: number, action: PocketAction, item: IDataObject | undefined, archive: ArchiveStep & { ok: false }): INodeExecutionData {
	const message = `Item ${index}: saved, but not archived: ${archive.message}`;
	return errorItem(index, apiError(node, message, archive.description, index), { action, ...(item ? { item } : {}), saved: true, archived: false });
}

const LISTED_FAILURES = 5;

/** The run's error when some actions failed and the node is not set to continue. */
export function rejectedActionsError(node: INode, outcomes: Outcome[]): NodeApiError | undefined {
	const rejected: Array<{ index: number; action: PocketAction; error: ServerActionError }> = [];
	let sent = 0;
	outcomes.forEach((o, index) => {
		if (o.kind !== 'sent') return;
		sent++;
		if (!o.result.ok) rejected.push({ index, action: o.action, error: o.result.failure });
	});
	if (rejected.length === 0) return undefined;
	const indexes = rejected.map((r) => r.index);
	const listed = rejected
		.slice(0, LISTED_FAILURES)
		.map((r) => `item ${r.index} (${r.action.action}): ${serverErrorText(r.error)}`);
	const more = rejected.length > LISTED_FAILURES ? `; and ${rejected.length - LISTED_FAILURES} more` : '';
	return apiError(
		node,
		`The server rejected ${rejected.length} of ${sent} actions (items ${describeIndexes(indexes)}): ${listed.join('; ')}${more}`,
		`The other ${sent - rejected.length} actions of the batch were applied: the send protocol is not atomic. Turn on "Continue On Fail" or use the error output to get one output item per failed action and keep the rest of the workflow running.`,
		indexes[0],
	);
}

export interface FailedCall {
	failure: Failure;
	/** 1-based number of the call that failed. */
	call: number;
	/** Every call of the execution, as the input indexes it carried. */
	calls: number[][];
	outcomes: Outcome[];
}

/** The run's error when a whole call failed and the node is not set to continue. */
export function callFailedError(node: INode, { failure, call, calls, outcomes }: FailedCall): NodeApiError {
	const before = calls.slice(0, call - 1).flat();
	const after = calls.slice(call).flat();
	const failedItems = calls[call - 1];
	const rejectedBefore = before.filter((i) => {
		const o = outcomes[i];
		return o.kind === 'sent' && !o.result.ok;
	});
	const parts = [
		before.length
			? `Items ${describeIndexes(before)} were sent in earlier calls and applied${
					rejectedBefore.length ? `, except ${describeIndexes(rejectedBefore)}, which the server rejected` : ''
				}.`
			: '',
		`Items ${describeIndexes(failedItems)} were in the failed call and ${
			failure.applied === 'no' ? 'were not applied' : 'may or may not have been applied'
		}.`,
		after.length ? `Items ${describeIndexes(after)} were not sent.` : '',
		failure.description,
	];
	return apiError(
		node,
		calls.length > 1 ? `Call ${call} of ${calls.length} failed: ${failure.message}` : failure.message,
		parts.filter(Boolean).join(' '),
		failedItems[0],
		failure.httpCode,
	);
}

/** The run's error when some `/add` calls failed (`failure`: the first) and the node is not set to continue. */
export function addCallsFailedError(node: INode, indexes: number[], outcomes: Outcome[], failure: Failure): NodeApiError {
	const saved = indexes.filter((i) => outcomes[i].kind === 'sent');
	const notSent = indexes.filter((i) => outcomes[i].kind === 'not-sent');
	const failed = indexes.filter((i) => outcomes[i].kind === 'call-failed');
	const certainlyNot = failed.every((i) => {
		const o = outcomes[i];
		return o.kind === 'call-failed' && o.failure.applied === 'no';
	});
	const parts = [
		saved.length ? `Items ${describeIndexes(saved)} were saved.` : '',
		`Items ${describeIndexes(failed)} were in the failed calls and ${certainlyNot ? 'were not saved' : 'may or may not have been saved'}.`,
		notSent.length ? `Items ${describeIndexes(notSent)} were not sent.` : '',
		failure.description,
	];
	return apiError(
		node,
		`${failed.length} of ${indexes.length} /add calls failed, the first: ${failure.message}`,
		parts.filter(Boolean).join(' '),
		failed[0],
		failure.httpCode,
	);
}

/** The added items whose tags are not confirmed, by input index. */
export function unconfirmedTags(outcomes: Outcome[]): Array<{ index: number; report: TagReport }> {
	const found: Array<{ index: number; report: TagReport }> = [];
	outcomes.forEach((o, index) => {
		if (o.kind === 'sent' && o.tags && !o.tags.confirmed) found.push({ index, report: o.tags });
	});
	return found;
}

/**
 * The run's error when tags could not be landed and the node is not set to continue: the items
 * were saved, so the message says which tags are missing where, and why.
 */
export function unlandedTagsError(node: INode, unlanded: Array<{ index: number; report: TagReport }>): NodeApiError {
	const indexes = unlanded.map((u) => u.index);
	const listed = unlanded.slice(0, LISTED_FAILURES).map((u) => `item ${u.index} (${u.report.sent.join(',')}): ${u.report.reason ?? ''}`);
	const more = unlanded.length > LISTED_FAILURES ? `; and ${unlanded.length - LISTED_FAILURES} more` : '';
	return apiError(
		node,
		`The tags of ${unlanded.length} saved item(s) could not be confirmed (items ${describeIndexes(indexes)}): ${listed.join('; ')}${more}`,
		'The items themselves were saved, without these tags or with tags the server did not confirm. Turn on "Continue On Fail" to get every item with its tags.confirmed and tags.reason, or add the tags with Item → Add Tags once the cause is fixed.',
		indexes[0],
	);
}
