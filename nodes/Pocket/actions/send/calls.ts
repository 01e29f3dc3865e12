import type { IDataObject, INode, NodeApiError } from 'n8n-workflow';

import type { Result } from '../../result';
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

/** Where a run of calls stopped: the first call that failed. */
export interface CallsStop {
	failure: Failure;
	/** 1-based number of the call that failed. */
	call: number;
	/** Every call of the run, as the indexes it carried. */
	calls: number[][];
}

/** What a run of calls does with each call; the indexes are the caller's own. */
export interface CallsRun<Answer> {
	send: (call: number[]) => Promise<Result<Answer, Failure>>;
	/** A call's answer, with the indexes it carried in the order they were sent. */
	sent: (call: number[], answer: Answer) => void;
	/** The failed call's indexes, and those of every later call, which are not sent. */
	failed: (inCall: number[], notSent: number[], stop: CallsStop) => void;
}

/**
 * Sends `indexes` in calls of at most `maxActionsPerCall`, one after the other. A server that
 * failed one call is sent no more: the first failure ends the run, and says where.
 */
export async function runCalls<Answer>(indexes: number[], maxActionsPerCall: number, run: CallsRun<Answer>): Promise<CallsStop | undefined> {
	const calls = splitIntoCalls(indexes, maxActionsPerCall);
	for (let c = 0; c < calls.length; c++) {
		const answer = await run.send(calls[c]);
		if (answer.ok) {
			run.sent(calls[c], answer.value);
			continue;
		}
		const stop = { failure: answer.failure, call: c + 1, calls };
		run.failed(calls[c], calls.slice(c + 1).flat(), stop);
		return stop;
	}
	return undefined;
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
	const stop = await runCalls(indexes, maxActionsPerCall, {
		send: (call) => sendActions({ ...send, actions: call.map((i) => actions[i]), settings }),
		sent: (call, { value: results, rateLimit }) => call.forEach((i, k) => (outcomes[i] = { kind: 'sent', action: actions[i], result: results[k], rateLimit })),
		failed: (inCall, notSent, { failure, call, calls }) => {
			for (const i of inCall) outcomes[i] = { kind: 'call-failed', action: actions[i], failure, call, calls: calls.length };
			for (const i of notSent) outcomes[i] = { kind: 'not-sent', action: actions[i], failedCall: call };
		},
	});
	return stop && { error: callFailedError(node, { ...stop, outcomes }), call: stop.call };
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
