import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Result } from '../result';
import { failure, success } from '../result';
import type { Endpoint, Failure } from './failures';
import { classifyHttpError, classifyNetworkError } from './failures';
import type { HttpAnswer, RateLimit } from './response';
import { readRateLimit } from './response';

/** The credential type every request authenticates with. */
export const CREDENTIAL_TYPE = 'pocketApi';

export interface HttpRequest {
	url: string;
	/** The JSON body; the credential's keys are added by its `authenticate`. */
	body: IDataObject;
	timeoutMs: number;
}

/** Sends one authenticated JSON POST and returns whatever HTTP answer came back. */
export type Requester = (request: HttpRequest) => Promise<HttpAnswer>;

/** The node's only HTTP call: n8n's helper, with the Pocket credential applied. */
export function authenticatedRequester(ctx: IExecuteFunctions): Requester {
	return async ({ url, body, timeoutMs }) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/json' },
			body,
			json: true,
			timeout: timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
}

/** Where time comes from: passed in, so that waits and dates are testable. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

/** Reads a 2xx answer of one endpoint into its value, or says why it cannot be trusted. */
export type AnswerReader<T> = (answer: HttpAnswer) => Result<T, Failure>;

export interface Exchange<T> {
	request: Requester;
	endpoint: Endpoint;
	body: IDataObject;
	timeoutMs: number;
	read: AnswerReader<T>;
	clock: Clock;
}

export interface Answered<T> {
	value: T;
	rateLimit?: RateLimit;
}

/** One request and its answer, classified: the value read from a 2xx, or a failure. */
export async function exchangeOnce<T>(exchange: Exchange<T>): Promise<Result<Answered<T>, Failure>> {
	const { request, endpoint, body, timeoutMs, read, clock } = exchange;
	let answer: HttpAnswer;
	try {
		answer = await request({ url: endpoint.url, body, timeoutMs });
	} catch (error) {
		return failure(classifyNetworkError(error, endpoint, timeoutMs));
	}
	const rateLimit = readRateLimit(answer.headers);
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		return failure(classifyHttpError(answer, endpoint, rateLimit, clock.now()));
	}
	const parsed = read(answer);
	if (!parsed.ok) return failure({ ...parsed.failure, rateLimit });
	return success({ value: parsed.value, rateLimit });
}
