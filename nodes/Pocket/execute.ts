import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ActionDefinition } from './actions/definitions';
import { findAction } from './actions/definitions';
import type { FieldKey } from './actions/fields';
import { FIELDS } from './actions/fields';
import { resolveSendUrl } from './baseUrl';
import type { InvalidOutcome, Outcome } from './results';
import { callFailedError, outputItem, rejectedActionsError } from './results';
import type { Post, SendSettings } from './transport';
import { DEFAULT_SETTINGS, sendCall } from './transport';
import type { PocketAction, RawFields } from './validation';
import { describeInvalid, parseAction } from './validation';

export const CREDENTIAL_TYPE = 'pocketApi';

const KEY_OF_PARAM = new Map(Object.values(FIELDS).map((f) => [f.param, f.key]));

/** The item's raw field values from the node's parameters (expressions evaluated per item). */
function readDefinedFields(ctx: IExecuteFunctions, itemIndex: number, definition: ActionDefinition): RawFields {
	const raw: RawFields = {};
	for (const key of definition.required) raw[key] = ctx.getNodeParameter(FIELDS[key].param, itemIndex, '');
	const additional = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	for (const [param, value] of Object.entries(additional)) {
		const key = KEY_OF_PARAM.get(param);
		if (key !== undefined && definition.optional.includes(key)) raw[key as FieldKey] = value;
	}
	return raw;
}

/** Reads and validates one item; problems become an `invalid` outcome that names item and field. */
function prepareItem(ctx: IExecuteFunctions, itemIndex: number): PocketAction | InvalidOutcome {
	try {
		const resource = ctx.getNodeParameter('resource', itemIndex) as string;
		const operation = ctx.getNodeParameter('operation', itemIndex) as string;
		const definition = findAction(resource, operation);
		if (!definition) {
			throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: unknown operation "${resource}: ${operation}"`, {
				itemIndex,
			});
		}
		const parsed = parseAction(definition, readDefinedFields(ctx, itemIndex, definition));
		if (parsed.ok) return parsed.action;
		return {
			kind: 'invalid',
			field: parsed.invalid.field.key,
			error: new NodeOperationError(ctx.getNode(), describeInvalid(itemIndex, parsed.invalid), {
				itemIndex,
				description: `${parsed.invalid.field.displayName}: ${parsed.invalid.field.description}. Nothing was sent for this item.`,
			}),
		};
	} catch (error) {
		// Expression errors and the like: keep n8n's message, but pin it to the item.
		const wrapped =
			error instanceof NodeOperationError
				? error
				: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex, message: `Item ${itemIndex}: ${(error as Error).message}` });
		return { kind: 'invalid', error: wrapped };
	}
}

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

export function splitIntoCalls(indexes: number[], maxActionsPerCall: number): number[][] {
	if (indexes.length === 0) return [];
	if (maxActionsPerCall <= 0) return [indexes];
	const calls: number[][] = [];
	for (let i = 0; i < indexes.length; i += maxActionsPerCall) calls.push(indexes.slice(i, i + maxActionsPerCall));
	return calls;
}

export async function executePocket(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const continueOnFail = ctx.continueOnFail();

	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const sendUrl = resolveSendUrl(credentials.baseUrl, credentials.allowUnencryptedHttp === true);
	if (typeof sendUrl !== 'string') {
		throw new NodeOperationError(node, sendUrl.message, { description: sendUrl.description });
	}
	const { settings, maxActionsPerCall } = readSettings(ctx);

	const outcomes: Outcome[] = new Array(items.length);
	const actions: PocketAction[] = new Array(items.length);
	const valid: number[] = [];
	for (let i = 0; i < items.length; i++) {
		const prepared = prepareItem(ctx, i);
		if ('kind' in prepared) {
			if (!continueOnFail) throw prepared.error;
			outcomes[i] = prepared;
		} else {
			actions[i] = prepared;
			valid.push(i);
		}
	}

	const post: Post = async (url, batch, timeoutMs) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/json' },
			body: { actions: batch },
			json: true,
			timeout: timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});

	const calls = splitIntoCalls(valid, maxActionsPerCall);
	for (let c = 0; c < calls.length; c++) {
		const indexes = calls[c];
		const call = await sendCall(
			post,
			sendUrl,
			indexes.map((i) => actions[i]),
			settings,
			sleep,
		);
		if (call.ok) {
			const { results, rateLimit } = call;
			indexes.forEach((i, k) => (outcomes[i] = { kind: 'result', action: actions[i], result: results[k], rateLimit }));
			continue;
		}
		if (!continueOnFail) throw callFailedError(node, call.failure, c + 1, calls, outcomes);
		for (const i of indexes) {
			outcomes[i] = { kind: 'call-failed', action: actions[i], failure: call.failure, call: c + 1, calls: calls.length };
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
