/** Reading a send answer, as pure functions: each index judged on its own, nothing mispaired. */
import fc from 'fast-check';

import { nestsDeeperThan } from '../nodes/Pocket/transport/response';
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

describe('the depth check skips strings without misreading them', () => {
	/** The plain reading: character by character, a backslash in a string skipping the next one. */
	function reference(text: string, max: number): boolean {
		let depth = 0;
		let inString = false;
		for (let i = 0; i < text.length; i++) {
			const c = text[i];
			if (inString) {
				if (c === '\\') i++;
				else if (c === '"') inString = false;
			} else if (c === '"') inString = true;
			else if (c === '[' || c === '{') {
				if (++depth > max) return true;
			} else if (c === ']' || c === '}') depth--;
		}
		return false;
	}

	test('agrees with the plain reading on any text of quotes, backslashes and brackets', () => {
		const text = fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', ',', ':'), maxLength: 60 });
		fc.assert(fc.property(text, fc.integer({ min: 0, max: 6 }), (t, max) => nestsDeeperThan(t, max) === reference(t, max)), { numRuns: 5000 });
	});

	test('brackets inside strings, escaped quotes included, do not count', () => {
		expect(nestsDeeperThan('["[[[[", "\\"[[[[", "\\\\", [1]]', 2)).toBe(false);
		expect(nestsDeeperThan('["\\\\", [[1]]]', 2)).toBe(true);
		expect(nestsDeeperThan(JSON.stringify({ a: [{ b: 'x"[{' }] }), 3)).toBe(false);
	});
});
