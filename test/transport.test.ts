/** Reading a send answer, as pure functions: each index judged on its own, nothing mispaired. */
import { readSendAnswer, sendEndpoint } from '../nodes/Pocket/transport/send';

const answer = (body: unknown) => ({ statusCode: 200, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body) });
const endpoint = sendEndpoint('http://127.0.0.1/api/v1/send', 'the Access Token and the Consumer Key');

test('each false result gets the error at its own index', () => {
	const results = readSendAnswer(
		answer({
			status: 1,
			action_results: [false, { item_id: '7' }, false, true],
			action_errors: [{ message: 'first', code: 1 }, null, { message: 'third', type: 'Forbidden' }, null],
		}),
		endpoint,
		4,
	);
	expect(results).toEqual({
		ok: true,
		value: [
			{ ok: false, failure: { message: 'first', code: 1 } },
			{ ok: true, value: { item_id: '7' } },
			{ ok: false, failure: { message: 'third', type: 'Forbidden' } },
			{ ok: true, value: undefined },
		],
	});
});

test('misaligned or missing action_errors are not used; results still decide', () => {
	const results = readSendAnswer(answer(JSON.stringify({ action_results: [true, false], action_errors: [{ message: 'x' }] })), endpoint, 2);
	expect(results).toEqual({
		ok: true,
		value: [{ ok: true, value: undefined }, { ok: false, failure: { message: 'The server reported this action as failed without saying why' } }],
	});
});

test('entries that are neither boolean nor object make the whole answer untrustworthy', () => {
	expect(readSendAnswer(answer({ action_results: [true, 'yes'] }), endpoint, 2)).toMatchObject({
		ok: false,
		failure: {
			kind: 'protocol',
			applied: 'unknown',
			message: 'The server answered with action_results entries that are neither true, false nor an item',
		},
	});
});
