/** Reading a send answer, as pure functions: each index judged on its own, nothing mispaired. */
import { readResults } from '../nodes/Pocket/transport';

const answer = (body: unknown) => ({ statusCode: 200, headers: {}, body });

test('each false result gets the error at its own index', () => {
	const results = readResults(
		answer({
			status: 1,
			action_results: [false, { item_id: '7' }, false, true],
			action_errors: [{ message: 'first', code: 1 }, null, { message: 'third', type: 'Forbidden' }, null],
		}),
		4,
	);
	expect(results).toEqual([
		{ ok: false, error: { message: 'first', code: 1 } },
		{ ok: true, item: { item_id: '7' } },
		{ ok: false, error: { message: 'third', type: 'Forbidden' } },
		{ ok: true },
	]);
});

test('misaligned or missing action_errors are not used; results still decide', () => {
	const results = readResults(answer(JSON.stringify({ action_results: [true, false], action_errors: [{ message: 'x' }] })), 2);
	expect(results).toEqual([{ ok: true }, { ok: false, error: { message: 'The server reported this action as failed without saying why' } }]);
});

test('entries that are neither boolean nor object make the whole answer untrustworthy', () => {
	expect(readResults(answer({ action_results: [true, 'yes'] }), 2)).toMatchObject({
		applied: 'unknown',
		message: 'The server answered with action_results entries that are neither true, false nor an item',
	});
});
