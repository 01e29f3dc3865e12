/**
 * The fault matrix: each server misbehaviour, run through n8n's engine with continue-on-fail
 * off and on. Every case checks the same invariants: each input item comes out exactly once
 * (or the run fails naming the items), the server's state agrees with what the output says
 * was applied, retries are bounded and only where allowed, and no secret leaks.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runWorkflow, type RunResult } from './harness/engine';
import { seedItem, sendCalls, useServer } from './harness/pocket-fixture';
import { expectNoSecrets } from './harness/secrets';
import type { Fault } from './server/pocket-server';
import { ACCESS_TOKEN, CONSUMER_KEY, loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

const URLS = ['https://example.com/0', 'https://example.com/1', 'https://example.com/2'];

type Applied = 'all' | 'none' | 'unknown';

interface Case {
	name: string;
	faults?: Fault[];
	credentials?: Record<string, string>;
	options?: INodeParameters;
	/** What the server holds afterwards. */
	applied: Applied;
	/** How many /send requests may reach the server (retries included). */
	requests: number;
	/** What the failure says, when the case fails. */
	message?: RegExp;
	/** What the node reports about a failed call (by default: 'no' when nothing was applied). */
	reported?: 'no' | 'unknown';
}

const reported = (c: Case) => c.reported ?? (c.applied === 'none' ? 'no' : 'unknown');

const CASES: Case[] = [
	{
		name: 'refused connection (retried within Max Wait, then given up)',
		credentials: { baseUrl: 'http://127.0.0.1:9/api/v1' },
		options: { maxWait: 1 },
		applied: 'none',
		requests: 0,
		message: /connection was refused/,
	},
	{
		name: 'connection dropped mid-response (not resent)',
		faults: [{ type: 'drop-after-apply' }],
		applied: 'unknown',
		requests: 1,
		message: /connection to .* was lost before the answer was complete/,
	},
	{
		name: 'response slower than the timeout (not resent)',
		faults: [{ type: 'slow', ms: 1500 }],
		options: { timeout: 300 },
		applied: 'unknown',
		requests: 1,
		message: /did not answer within 300 ms/,
	},
	{
		// This server fails before applying anything, but a 500 can come after part of a batch,
		// so the node must not claim "not applied".
		name: '500 with an HTML body',
		faults: [{ type: 'html', status: 500 }],
		applied: 'none',
		reported: 'unknown',
		requests: 1,
		message: /failed while handling the call \(HTTP 500\)/,
	},
	{ name: 'invalid JSON', faults: [{ type: 'invalid-json' }], applied: 'unknown', requests: 1, message: /text that is not JSON instead of a Pocket send result/ },
	{ name: 'action_results too short', faults: [{ type: 'results-too-short' }], applied: 'unknown', requests: 1, message: /2 results for 3 actions/ },
	{ name: 'action_results too long', faults: [{ type: 'results-too-long' }], applied: 'unknown', requests: 1, message: /4 results for 3 actions/ },
	{ name: 'status 0 with all results true', faults: [{ type: 'status-0-all-true' }], applied: 'all', requests: 1 },
	{
		name: '400 with X-Error-Code 130',
		faults: [{ type: 'http', status: 400, headers: { 'X-Error': 'Invalid request', 'X-Error-Code': '130' }, body: '{"status":1}' }],
		applied: 'none',
		requests: 1,
		message: /rejected the call as malformed \(HTTP 400\)\. The server said: "Invalid request" \(X-Error-Code 130\)/,
	},
	{ name: '401', credentials: { accessToken: 'revoked-token' }, applied: 'none', requests: 1, message: /rejected the credentials \(HTTP 401\)/ },
	{
		name: '403 rate limit with a reset header, then success',
		faults: [{ type: 'http', status: 403, headers: { 'X-Limit-User-Remaining': '0', 'X-Limit-User-Reset': '1', 'X-Error': 'User rate limit exceeded' } }],
		applied: 'all',
		requests: 2,
	},
	{
		name: "503 with the server's own error headers, then success",
		faults: [{ type: 'http', status: 503, headers: { 'Retry-After': '1', 'X-Error': 'Down for maintenance' } }],
		applied: 'all',
		requests: 2,
	},
	{
		// A gateway's 503 can follow a call the server applied, so it is neither resent nor "not applied".
		name: "503 without the server's error headers (a gateway): not resent",
		faults: [{ type: 'http', status: 503, headers: { 'Retry-After': '1' } }],
		applied: 'none',
		reported: 'unknown',
		requests: 1,
		message: /server or a gateway in front of it was unavailable \(HTTP 503\)/,
	},
	{
		name: '503 for longer than Max Wait',
		faults: [{ type: 'http', status: 503, headers: { 'Retry-After': '120', 'X-Error': 'Down for maintenance' } }],
		options: { maxWait: 5 },
		applied: 'none',
		requests: 1,
		message: /unavailable or in maintenance \(HTTP 503\)/,
	},
];

const expectNoSecret = (result: RunResult) => expectNoSecrets(result, [CONSUMER_KEY, ACCESS_TOKEN]);

function expectStateMatches(applied: Applied, reportedApplied: boolean[]) {
	const stored = URLS.map((u) => server.current.findByUrl(u) !== undefined);
	if (applied === 'all') expect(stored).toEqual([true, true, true]);
	if (applied === 'none') expect(stored).toEqual([false, false, false]);
	// Whatever the output reports as applied is really on the server.
	reportedApplied.forEach((reported, i) => reported && expect(stored[i]).toBe(true));
}

async function run(c: Case, continueOnFail: boolean) {
	server.current.faults.push(...(c.faults ?? []));
	const workflow = withPocket(
		withItems(
			loadWorkflow('item-add'),
			URLS.map((link) => ({ link })),
		),
		{ additionalFields: {}, options: c.options ?? {} },
		continueOnFail ? { onError: 'continueRegularOutput' } : {},
	);
	const result = await runWorkflow(workflow, { credentials: pocketCredentials(server.current, c.credentials) });
	expect(sendCalls(server.current)).toHaveLength(c.requests);
	expectNoSecret(result);
	return result;
}

describe.each(CASES)('$name', (c) => {
	test('continue-on-fail off', async () => {
		const result = await run(c, false);
		if (c.message) {
			expect(result.errorMessage).toMatch(c.message);
			const description = (result.error as { description?: string }).description ?? '';
			expect(description).toMatch(/Items 0-2 were in the failed call and (were not applied|may or may not have been applied)/);
			expect(description).toContain(reported(c) === 'no' ? 'were not applied' : 'may or may not have been applied');
			expectStateMatches(c.applied, [false, false, false]);
		} else {
			expect(result.errorMessage).toBeUndefined();
			const output = result.output('Pocket');
			expect(output.map((o) => o.json.success)).toEqual([true, true, true]);
			expectStateMatches(c.applied, [true, true, true]);
		}
	});

	test('continue-on-fail on', async () => {
		const result = await run(c, true);
		expect(result.errorMessage).toBeUndefined();
		const output: INodeExecutionData[] = result.output('Pocket');
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		if (c.message) {
			output.forEach((o, i) => {
				expect(o.json.error).toMatch(new RegExp(`^Item ${i}: call 1 of 1 failed: `));
				expect(o.json.error).toMatch(c.message!);
				expect(o.error?.context.applied).toBe(reported(c));
			});
		} else {
			expect(output.map((o) => o.json.success)).toEqual([true, true, true]);
		}
		expectStateMatches(c.applied, output.map((o) => o.json.success === true));
	});
});

test('Max Wait is reported with the reset time when the rate limit outlasts it', async () => {
	server.current.faults.push({ type: 'http', status: 429, headers: { 'X-Limit-User-Remaining': '0', 'X-Limit-User-Reset': '900' } });
	const result = await run({ name: '', applied: 'none', requests: 1, options: { maxWait: 60 } }, false);
	expect(result.errorMessage).toMatch(/rate limit is used up \(HTTP 429\)/);
	expect((result.error as { description?: string }).description).toMatch(
		/limit resets in 900 s.*next try would be at \d{4}-\d\d-\d\dT.*\(in 900 s\), beyond Max Wait \(60 s\)/,
	);
});

test('"Resend After Timeout" resends a dropped call; adding the same URLs again does not duplicate them', async () => {
	server.current.faults.push({ type: 'drop-after-apply' });
	const result = await run({ name: '', applied: 'all', requests: 2, options: { resendAfterTimeout: true } }, false);
	expect(result.errorMessage).toBeUndefined();
	expect(server.current.liveItems()).toHaveLength(3);
});

test('with calls split, a failure in call 2 keeps call 1 applied and says which items were not sent', async () => {
	server.current.faults.push({ type: 'results-too-short' });
	const items = Array.from({ length: 7 }, (_, i) => ({ link: `https://example.com/s${i}` }));
	const base = withPocket(withItems(loadWorkflow('item-add'), items), { additionalFields: {}, options: { maxActionsPerCall: 3 } });
	// The first call succeeds; the fault hits the second.
	server.current.faults.unshift({ type: 'status-0-all-true' });
	const failed = await runWorkflow(base, { credentials: pocketCredentials(server.current) });
	expect(failed.errorMessage).toMatch(/^Call 2 of 3 failed: The server answered with 2 results for 3 actions/);
	expect((failed.error as { description?: string }).description).toMatch(
		/^Items 0-2 were sent in earlier calls and applied\. Items 3-5 were in the failed call and may or may not have been applied\. Items 6 were not sent\./,
	);
	expect(server.current.findByUrl('https://example.com/s6')).toBeUndefined();
	expectNoSecret(failed);

	server.current.reset();
	server.current.faults.push({ type: 'status-0-all-true' }, { type: 'html', status: 500 });
	const continued = await runWorkflow(withPocket(base, {}, { onError: 'continueRegularOutput' }), {
		credentials: pocketCredentials(server.current),
	});
	const output = continued.output('Pocket');
	expect(output).toHaveLength(7);
	expect(output.map((o) => o.json.success ?? o.error?.context.applied)).toEqual([true, true, true, 'unknown', 'unknown', 'unknown', 'no']);
	expect(output[6].json.error).toBe('Item 6: not sent, because call 2 failed before it');
	expect(server.current.liveItems().map((i) => i.given_url)).toEqual(items.slice(0, 3).map((i) => i.link));
	expect(sendCalls(server.current)).toHaveLength(2);
});

describe('status 1 next to false results: each index is judged on its own', () => {
	const archive = (onError?: 'continueRegularOutput') =>
		runWorkflow(withPocket(withItems(loadWorkflow('item-archive'), [{ id: 1001 }, { id: 9999 }]), {}, onError ? { onError } : {}), {
			credentials: pocketCredentials(server.current),
		});

	beforeEach(() => {
		seedItem(server.current, { item_id: '1001' });
		server.current.faults.push({ type: 'status-1-false-results' });
	});

	test('continue-on-fail off: the run fails naming item 1, item 0 is applied', async () => {
		const result = await archive();
		expect(result.errorMessage).toMatch(/^The server rejected 1 of 2 actions \(items 1\): item 1 \(archive\): Item 9999 not found/);
		expect(server.current.state.items['1001'].status).toBe(1);
		expectNoSecret(result);
	});

	test('continue-on-fail on: item 0 succeeds, item 1 is an error item', async () => {
		const output = (await archive('continueRegularOutput')).output('Pocket');
		expect(output.map((o) => o.json.success ?? o.json.error)).toEqual([true, expect.stringMatching(/^Item 1: the server rejected the archive action/)]);
		expect(server.current.state.items['1001'].status).toBe(1);
	});
});
