import type { IDataObject, INode, NodeApiError } from 'n8n-workflow';

import { success } from '../../result';
import { addOne } from '../../transport/add';
import type { Connection } from '../../transport/connect';
import type { Failure } from '../../transport/failures';
import { target } from '../../transport/connect';
import type { SendSettings } from '../../transport/send';
import { sendActions } from '../../transport/send';
import type { PocketAction } from '../validation';
import type { Outcome } from './output';
import { addCallsFailedError, callFailedError } from './output';
import { ADD_CONCURRENCY } from './tags';

/**
 * Sending validated actions: in `/send` calls of a bounded size, one after the other, or one
 * `/add` call per item, a few at a time. Either way a server that failed one call is sent no
 * more, and each item's outcome is recorded.
 */

/** The input indexes of each call, in order; one call for everything when uncapped. */
export function splitIntoCalls(indexes: number[], maxActionsPerCall: number): number[][] {
	if (indexes.length === 0) return [];
	if (maxActionsPerCall <= 0) return [indexes];
	const calls: number[][] = [];
	for (let i = 0; i < indexes.length; i += maxActionsPerCall) calls.push(indexes.slice(i, i + maxActionsPerCall));
	return calls;
}

export interface Dispatch {
	node: INode;
	connection: Connection;
	/** The validated action of each input index (invalid items have none). */
	actions: PocketAction[];
	/** Filled in here for every index sent, failed or not sent. */
	outcomes: Outcome[];
	settings: SendSettings;
}

/** A call that failed: the run's error, and its number (1-based). */
export interface Stopped {
	error: NodeApiError;
	call: number;
}

/** Sends `indexes` through `/send`; how it stopped when a call failed (the outcomes say so either way). */
export async function sendInCalls(dispatch: Dispatch, indexes: number[], maxActionsPerCall: number): Promise<Stopped | undefined> {
	const { node, connection, actions, outcomes, settings } = dispatch;
	const send = target(connection, 'send');
	const calls = splitIntoCalls(indexes, maxActionsPerCall);
	for (let c = 0; c < calls.length; c++) {
		const call = calls[c];
		const sent = await sendActions({ ...send, actions: call.map((i) => actions[i]), settings });
		if (sent.ok) {
			const { value: results, rateLimit } = sent.value;
			call.forEach((i, k) => (outcomes[i] = { kind: 'sent', action: actions[i], result: results[k], rateLimit }));
			continue;
		}
		const error = callFailedError(node, { failure: sent.failure, call: c + 1, calls, outcomes });
		for (const i of call) outcomes[i] = { kind: 'call-failed', action: actions[i], failure: sent.failure, call: c + 1, calls: calls.length };
		for (const i of calls.slice(c + 1).flat()) outcomes[i] = { kind: 'not-sent', action: actions[i], failedCall: c + 1 };
		return { error, call: c + 1 };
	}
	return undefined;
}

/** The body of an `/add` call: the action's fields without its name. */
function addFields(action: PocketAction): IDataObject {
	return Object.fromEntries(Object.entries(action).filter(([key]) => key !== 'action'));
}

/**
 * Saves each of `indexes` (all `add` actions) with its own `/add` call, ADD_CONCURRENCY at a
 * time, through the same transport as `/send`. After a failed call no new one starts; the run's
 * error when one failed.
 */
export async function addEach(dispatch: Dispatch, indexes: number[]): Promise<Stopped | undefined> {
	const { node, connection, actions, outcomes, settings } = dispatch;
	const add = target(connection, 'add');
	let next = 0;
	let firstFailed: { call: number; failure: Failure } | undefined;
	const worker = async () => {
		while (firstFailed === undefined && next < indexes.length) {
			const call = next++;
			const i = indexes[call];
			const added = await addOne({ ...add, fields: addFields(actions[i]), settings });
			if (added.ok) {
				outcomes[i] = { kind: 'sent', action: actions[i], result: success(added.value.value), rateLimit: added.value.rateLimit };
				continue;
			}
			firstFailed ??= { call: call + 1, failure: added.failure };
			outcomes[i] = { kind: 'call-failed', action: actions[i], failure: added.failure, call: call + 1, calls: indexes.length };
		}
	};
	await Promise.all(Array.from({ length: Math.min(ADD_CONCURRENCY, indexes.length) }, worker));
	if (firstFailed === undefined) return undefined;
	const { call, failure } = firstFailed;
	for (const i of indexes) outcomes[i] ??= { kind: 'not-sent', action: actions[i], failedCall: call };
	return { error: addCallsFailedError(node, indexes, outcomes, failure), call };
}
