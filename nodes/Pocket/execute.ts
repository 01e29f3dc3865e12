import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ActionDefinition } from './actions/definitions';
import { ACTIONS, findAction, findActionByName } from './actions/definitions';
import { describeValue, FIELDS } from './actions/fields';
import { resolveSendUrl } from './baseUrl';
import { INPUT_MODE } from './description';
import type { InvalidOutcome, Outcome } from './results';
import { callFailedError, outputItem, rejectedActionsError } from './results';
import type { Post, SendSettings } from './transport';
import { DEFAULT_SETTINGS, sendCall } from './transport';
import type { PocketAction, RawFields } from './validation';
import { describeInvalid, parseAction } from './validation';

export const CREDENTIAL_TYPE = 'pocketApi';

const KEY_OF_PARAM = new Map(Object.values(FIELDS).map((f) => [f.param, f.key]));

/** What one input item asks for, before validation. */
interface ItemRequest {
	definition: ActionDefinition;
	raw: RawFields;
}

type ItemReader = (itemIndex: number) => ItemRequest;

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * Reads a parameter per item only when it holds an expression: a fixed value is the same for
 * every item, and n8n's per-item read costs far more than the item's own work.
 */
function parameterReader(ctx: IExecuteFunctions) {
	const parameters = ctx.getNode().parameters;
	const fixed = new Map<string, unknown>();
	return (name: string, itemIndex: number, fallback: unknown): unknown => {
		if (holdsExpression(parameters[name])) return ctx.getNodeParameter(name, itemIndex, fallback);
		if (!fixed.has(name)) fixed.set(name, ctx.getNodeParameter(name, 0, fallback));
		return fixed.get(name);
	};
}

/** Define Below: the operation's fields from the node's parameters. */
function definedFieldsReader(ctx: IExecuteFunctions, definition: ActionDefinition): ItemReader {
	const read = parameterReader(ctx);
	return (itemIndex) => {
		const raw: RawFields = {};
		for (const key of definition.required) raw[key] = read(FIELDS[key].param, itemIndex, '');
		const additional = read('additionalFields', itemIndex, {}) as IDataObject;
		for (const [param, value] of Object.entries(additional)) {
			const key = KEY_OF_PARAM.get(param);
			if (key !== undefined && definition.optional.includes(key)) raw[key] = value;
		}
		return { definition, raw };
	};
}

const ACTION_NAMES = ACTIONS.map((a) => a.action).join(', ');

/** Map Input Fields Automatically: the item's own JSON, by Pocket field name; no expressions. */
function autoMappedReader(ctx: IExecuteFunctions, items: INodeExecutionData[], fallback: ActionDefinition): ItemReader {
	return (itemIndex) => {
		const json = items[itemIndex].json;
		let definition = fallback;
		if (json.action !== undefined && json.action !== null && json.action !== '') {
			const named = typeof json.action === 'string' ? findActionByName(json.action.trim()) : undefined;
			if (!named) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Item ${itemIndex}: action (action) must be one of ${ACTION_NAMES} (got ${describeValue(json.action)})`,
					{ itemIndex, description: 'Remove the "action" field to use the operation selected in the node.' },
				);
			}
			definition = named;
		}
		// parseAction reads only the definition's own keys, so the item's JSON serves as is.
		return { definition, raw: json };
	};
}

/** Reads and validates one item; problems become an `invalid` outcome that names item and field. */
function prepareItem(ctx: IExecuteFunctions, itemIndex: number, read: ItemReader): PocketAction | InvalidOutcome {
	try {
		const { definition, raw } = read(itemIndex);
		const parsed = parseAction(definition, raw);
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

function itemReader(ctx: IExecuteFunctions, items: INodeExecutionData[]): ItemReader {
	// Both are noDataExpression parameters: one value for the whole execution.
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const definition = findAction(resource, operation);
	if (!definition) throw new NodeOperationError(ctx.getNode(), `Unknown operation "${resource}: ${operation}"`);
	const mode = ctx.getNodeParameter('inputMode', 0, INPUT_MODE.define) as string;
	return mode === INPUT_MODE.autoMap ? autoMappedReader(ctx, items, definition) : definedFieldsReader(ctx, definition);
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
	const read = itemReader(ctx, items);
	for (let i = 0; i < items.length; i++) {
		const prepared = prepareItem(ctx, i, read);
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
