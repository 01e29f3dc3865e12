import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Result } from '../result';
import { failure, success } from '../result';
import type { Endpoint, Failure } from './failures';
import { CHECK_BASE_URL, protocolFailure } from './failures';
import type { Answered } from './request';
import type { HttpAnswer } from './response';
import { describeBody, parseBody } from './response';
import { exchangeWithRetries } from './retry';
import type { SendCall } from './send';
import { maxSendAnswerBytes } from './send';

/**
 * One call of the protocol's single-item add endpoint (`/add`): one URL with its title and tags,
 * answered with the saved item. Some servers store the tags given here and drop those of a
 * `/send` `add` (shared reference, pocket-api.md).
 */

export function addEndpoint(url: string, credentialFields: string): Endpoint {
	return {
		name: 'add',
		url,
		credentialFields,
		effects: {
			no: 'The item was not saved.',
			unknown: 'The item may or may not have been saved; it was not sent again.',
		},
	};
}

const hasItemId = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && ['string', 'number'].includes(typeof (value as IDataObject).item_id);

/** Pocket v3 wraps the item (`{"item": {...}, "status": 1}`); open-pocket sends its fields at the top level. */
const answerSchema = z.union([
	z.object({ item: z.custom<IDataObject>(hasItemId) }).transform((answer) => answer.item),
	z.custom<IDataObject>(hasItemId),
]);

/** Reads a 2xx `/add` answer into the saved item, or explains why it cannot be trusted. */
export function readAddAnswer(answer: HttpAnswer, endpoint: Endpoint): Result<IDataObject, Failure> {
	const body = parseBody(answer.body);
	const parsed = answerSchema.safeParse(body);
	if (parsed.success) return success(parsed.data);
	return failure(
		protocolFailure(endpoint, {
			message: `The server answered /add with ${describeBody(body)} instead of the saved item with its item_id (HTTP ${answer.statusCode})`,
			advice: CHECK_BASE_URL,
			statusCode: answer.statusCode,
		}),
	);
}

/** The fields of one `add` action as `/add` takes them: the action's own, without its name. */
export type AddCall = Omit<SendCall, 'actions'> & { fields: IDataObject };

/** Saves one item through `/add`, retrying only where the retry policy allows, as a send call is. */
export async function addOne(call: AddCall): Promise<Result<Answered<IDataObject>, Failure>> {
	const { request, url, credentialFields, fields, settings, clock } = call;
	const endpoint = addEndpoint(url, credentialFields);
	return await exchangeWithRetries(
		{
			request,
			endpoint,
			body: fields,
			timeoutMs: settings.timeoutMs,
			maxAnswerBytes: maxSendAnswerBytes(1),
			read: (answer) => readAddAnswer(answer, endpoint),
			clock,
		},
		settings,
	);
}
