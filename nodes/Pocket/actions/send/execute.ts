import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { resolveApiRoot } from '../../transport/baseUrl';
import type { Clock } from '../../transport/request';
import { authenticatedRequester, credentialFieldsOf, CREDENTIAL_TYPE } from '../../transport/request';
import type { SendSettings } from '../../transport/send';
import { DEFAULT_SETTINGS, sendActions } from '../../transport/send';
import type { OperationDefinition } from '../operations';
import type { PocketAction } from '../validation';
import type { Preparation } from './input';
import { itemReader, prepareItem, readTagging } from './input';
import type { Outcome } from './output';
import { callFailedError, itemsFailed, outputItem, rejectedActionsError } from './output';

/**
 * A send operation from input items to output items: read and validate every item, split the
 * valid ones into calls, send each call, and turn what happened to each item into its output.
 */

const clock: Clock = { now: () => Date.now(), sleep };

function readSettings(ctx: IExecuteFunctions): { settings: SendSettings; maxActionsPerCall: number } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
	return {
		maxActionsPerCall: Math.floor(number(options.maxActionsPerCall, 0)),
		settings: {
			timeoutMs: number(options.timeout, DEFAULT_SETTINGS.timeoutMs),
			maxWaitSeconds: number(options.maxWait, DEFAULT_SETTINGS.maxWaitSeconds),
			resendWhenUncertain: options.resendAfterTimeout === true,
		},
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

	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const apiRoot = resolveApiRoot(credentials.baseUrl, credentials.allowUnencryptedHttp === true);
	/** A configuration problem: nothing is sent, and under Continue On Fail every item says so. */
	const refuseAll = (message: string, description: string) => {
		const error = new NodeOperationError(node, message, { description: `${description} None of the ${items.length} items was sent.` });
		if (!continueOnFail) throw error;
		return [itemsFailed(node, items.length, error)];
	};
	if (!apiRoot.ok) return refuseAll(apiRoot.failure.message, apiRoot.failure.description);
	const url = `${apiRoot.value}/send`;
	const credentialFields = credentialFieldsOf(credentials);
	const { settings, maxActionsPerCall } = readSettings(ctx);
	const tagging = readTagging(ctx);
	if (!tagging.ok) return refuseAll(`The Tagging options cannot be used: ${tagging.failure}`, 'Fix it in Tagging → Tag Rules.');

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

	const request = authenticatedRequester(ctx, clock);
	const calls = splitIntoCalls(valid, maxActionsPerCall);
	for (let c = 0; c < calls.length; c++) {
		const indexes = calls[c];
		const sent = await sendActions({ request, url, credentialFields, actions: indexes.map((i) => actions[i]), settings, clock });
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
	return [outcomes.map((outcome, i) => outputItem(node, i, outcome))];
}
