import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Result } from '../result';
import { failure, success } from '../result';
import type { Endpoint, Failure } from './failures';
import { CHECK_BASE_URL, protocolFailure } from './failures';
import type { Answered, Clock, Requester } from './request';
import type { HttpAnswer } from './response';
import { describeBody, parseBody } from './response';
import type { RetrySettings } from './retry';
import { exchangeWithRetries } from './retry';

/** One Pocket `send` call: the actions out, one result per action back. */

export interface SendSettings extends RetrySettings {
	timeoutMs: number;
}

/**
 * One action as it goes on the wire. The transport carries actions without knowing them: the
 * operations validate each one (actions/validation.ts) before it gets here.
 */
export type WireAction = { action: string } & Partial<Record<string, string>>;

/** A type rather than an interface, so that it is an IDataObject in output items. */
export type ServerActionError = {
	message: string;
	type?: string;
	code?: number | string;
};

/** The server's verdict on one action: applied (with the item object some servers return for `add`), or its error. */
export type ActionResult = Result<IDataObject | undefined, ServerActionError>;

export function sendEndpoint(url: string, credentialFields: string): Endpoint {
	return {
		name: 'send',
		url,
		credentialFields,
		effects: {
			no: 'None of the actions in this call were applied.',
			unknown: 'The actions may or may not have been applied; they were not resent.',
		},
	};
}

const serverErrorSchema = z.object({
	message: z.string().optional(),
	type: z.string().optional(),
	code: z.union([z.number(), z.string()]).optional(),
});

/**
 * The envelope is checked by zod; the (possibly 100,000) entries by a plain test, because a
 * zod union per entry copied every item object and cost a third of the node's time.
 */
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

const responseSchema = z.object({
	// z.custom checks without copying: z.array would rebuild a 100,000-entry array.
	action_results: z.custom<unknown[]>(isArray, 'action_results must be an array'),
	action_errors: z.custom<unknown[]>(isArray).nullable().optional(),
});

type ResultEntry = boolean | IDataObject;

function isResultEntry(entry: unknown): entry is ResultEntry {
	return typeof entry === 'boolean' || (typeof entry === 'object' && entry !== null && !Array.isArray(entry));
}

/** One entry of action_errors, or a stand-in when the server gave none. */
function serverError(entry: unknown): ServerActionError {
	const parsed = serverErrorSchema.safeParse(entry);
	const error = parsed.success ? parsed.data : {};
	return {
		message: error.message ?? 'The server reported this action as failed without saying why',
		...(error.type === undefined ? {} : { type: error.type }),
		...(error.code === undefined ? {} : { code: error.code }),
	};
}

const NOT_POCKET = 'The server does not follow the Pocket send protocol.';

/** An action applied without an item in its result: one shared verdict, not one per action. */
const APPLIED: ActionResult = Object.freeze(success(undefined));

/** Reads a 2xx send answer into one result per action sent, or explains why it cannot be trusted. */
export function readSendAnswer(answer: HttpAnswer, endpoint: Endpoint, sent: number): Result<ActionResult[], Failure> {
	const body = parseBody(answer.body);
	const parsed = responseSchema.safeParse(body);
	if (!parsed.success) {
		return failure(
			protocolFailure(endpoint, {
				message: `The server answered with ${describeBody(body)} instead of a Pocket send result (HTTP ${answer.statusCode})`,
				advice: CHECK_BASE_URL,
				statusCode: answer.statusCode,
			}),
		);
	}
	const { action_results: results, action_errors: errors } = parsed.data;
	if (!results.every(isResultEntry)) {
		return failure(
			protocolFailure(endpoint, {
				message: 'The server answered with action_results entries that are neither true, false nor an item',
				advice: NOT_POCKET,
				statusCode: answer.statusCode,
			}),
		);
	}
	if (results.length !== sent) {
		return failure(
			protocolFailure(endpoint, {
				message: `The server answered with ${results.length} results for ${sent} actions, so no result can be paired with its item`,
				advice: NOT_POCKET,
				statusCode: answer.statusCode,
			}),
		);
	}
	// Errors are only trusted when they line up with the results; results alone decide success.
	const aligned = errors && errors.length === results.length ? errors : undefined;
	return success(
		results.map((result, i): ActionResult => {
			if (result === true) return APPLIED;
			if (result !== false) return success(result);
			return failure(serverError(aligned?.[i]));
		}),
	);
}

/**
 * The largest answer read for a call: a fixed allowance plus a generous one per action (an
 * `add` result carries the item object). A decompression bomb is refused long before it fills
 * the memory.
 */
export function maxSendAnswerBytes(actions: number): number {
	return 1024 * 1024 + actions * 32 * 1024;
}

export interface SendCall {
	request: Requester;
	url: string;
	/** The credential fields to check on a 401, as credentialFieldsOf names them. */
	credentialFields: string;
	actions: WireAction[];
	settings: SendSettings;
	clock: Clock;
}

/** Sends one call of actions, retrying only where the retry policy allows. */
export async function sendActions(call: SendCall): Promise<Result<Answered<ActionResult[]>, Failure>> {
	const { request, url, credentialFields, actions, settings, clock } = call;
	const endpoint = sendEndpoint(url, credentialFields);
	return await exchangeWithRetries(
		{
			request,
			endpoint,
			body: { actions },
			timeoutMs: settings.timeoutMs,
			maxAnswerBytes: maxSendAnswerBytes(actions.length),
			read: (answer) => readSendAnswer(answer, endpoint, actions.length),
			clock,
		},
		settings,
	);
}
