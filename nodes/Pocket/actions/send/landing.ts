import type { NormalisedItem } from '../../model/item';
import type { Result } from '../../result';
import type { Connection } from '../../transport/connect';
import { target } from '../../transport/connect';
import type { Failure } from '../../transport/failures';
import type { SendSettings } from '../../transport/send';
import { sendActions } from '../../transport/send';
import type { PocketAction } from '../validation';
import { runCalls } from './calls';
import type { Outcome, SentOutcome } from './output';
import type { TagLandingMode } from './tags';
import { idOf, judgeAnswer, matchSaved, sentTags, unconfirmed } from './tags';

/**
 * Landing the tags of the items Add saved, where the add's answer does not prove they were
 * stored: find each saved item's id (in the answer, else in ONE read of the list), then add the
 * tags to all of them in one `tags_add` call per batch (idempotent where they are there already).
 */

/**
 * One read of the whole saved list, with Item → Get Many's paging. The router hands it in: one
 * operation's folder does not borrow from another's.
 */
export type AccountReader = (connection: Connection, settings: { timeoutMs: number; maxWaitSeconds: number }) => Promise<Result<NormalisedItem[], Failure>>;

export interface Landing {
	mode: TagLandingMode;
	connection: Connection;
	settings: SendSettings;
	maxActionsPerCall: number;
	readAccount: AccountReader;
}

const TRUSTED =
	'The answer does not list the tags and Options → Save Tags is "Trust the Send Call", so they were not checked.';

interface Open {
	index: number;
	outcome: SentOutcome;
	id?: string;
}

/** Finds the ids the answers did not give in one read of the list; the adds it cannot find get their reason. */
async function findIds(open: Open[], landing: Landing): Promise<void> {
	const missing = open.filter((o) => o.id === undefined);
	if (missing.length === 0) return;
	const read = await landing.readAccount(landing.connection, landing.settings);
	if (!read.ok) {
		for (const o of missing) {
			o.outcome.tags = unconfirmed(sentTags(o.outcome.action), `The answer did not name the saved item, and reading the list to find it failed: ${read.failure.message}`);
		}
		return;
	}
	const ids = matchSaved(
		missing.map((o) => ({ index: o.index, url: o.outcome.action.url ?? '' })),
		read.value,
	);
	for (const o of missing) {
		o.id = ids.get(o.index);
		// An export row's archive that follows uses the id found here rather than reading again.
		o.outcome.savedId = o.id;
		if (o.id !== undefined) continue;
		o.outcome.tags = unconfirmed(
			sentTags(o.outcome.action),
			`The answer did not name the saved item, and none of the ${read.value.length} items the server lists has this URL.`,
		);
	}
}

/** Adds the tags to the found items, in calls as large as the adds' own; each `true` confirms an item. */
async function addTags(ready: Array<Open & { id: string }>, landing: Landing): Promise<void> {
	const send = target(landing.connection, 'send');
	const actions: PocketAction[] = ready.map((o) => ({ action: 'tags_add', item_id: o.id, tags: o.outcome.action.tags }));
	const report = (k: number, reason: string) => {
		const { outcome } = ready[k];
		outcome.tags = unconfirmed(sentTags(outcome.action), reason);
	};
	await runCalls(ready.map((_, k) => k), landing.maxActionsPerCall, {
		send: (call) => sendActions({ ...send, actions: call.map((k) => actions[k]), settings: landing.settings }),
		sent: (call, { value: results }) =>
			call.forEach((k, n) => {
				const result = results[n];
				const { outcome, id } = ready[k];
				if (result.ok) outcome.tags = { sent: sentTags(outcome.action), confirmed: true, how: 'tags_add' };
				else report(k, `The server rejected tags_add on item ${id}: ${result.failure.message}`);
			}),
		failed: (inCall, notSent, { failure }) => {
			for (const k of inCall) report(k, `The tags_add call on item ${ready[k].id} failed: ${failure.message}`);
			for (const k of notSent) report(k, `Not sent: an earlier tags_add call failed (${failure.message}).`);
		},
	});
}

/**
 * Gives every applied `add` its tag report: confirmed by its answer, left unconfirmed when the
 * user trusts the send call, or landed with `tags_add`. At most one read of the list and one
 * `tags_add` call per batch.
 */
export async function landTags(outcomes: Outcome[], landing: Landing): Promise<void> {
	const open: Open[] = [];
	outcomes.forEach((outcome, index) => {
		if (outcome.kind !== 'sent' || outcome.action.action !== 'add' || !outcome.result.ok) return;
		const answered = outcome.result.value;
		const settled = judgeAnswer(outcome.action, answered);
		if (settled) outcome.tags = settled;
		else if (landing.mode === 'trust') outcome.tags = unconfirmed(sentTags(outcome.action), TRUSTED);
		else open.push({ index, outcome, id: idOf(answered) });
	});
	if (open.length === 0) return;
	await findIds(open, landing);
	await addTags(
		open.filter((o): o is Open & { id: string } => o.id !== undefined),
		landing,
	);
}
