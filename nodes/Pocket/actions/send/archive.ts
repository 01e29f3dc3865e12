import type { Connection } from '../../transport/connect';
import { target } from '../../transport/connect';
import type { SendSettings } from '../../transport/send';
import { sendActions } from '../../transport/send';
import type { PocketAction } from '../validation';
import { runCalls } from './calls';
import type { AccountReader } from './landing';
import type { ArchiveStep } from './output';
import { matchSaved } from './tags';

/**
 * The archive that follows an add whose export row says archived. The send protocol archives by
 * item id, which an add's own call cannot know: the ids come from the add's answer (or the tag
 * landing's read), or, from servers that answer an add with a bare `true`, from one read of the
 * list, matched by URL. Then one call (per Max Actions Per Call) archives them all.
 */

/** An item to archive: by its id, or by the URL it was just saved under. */
export type ArchiveRequest = { index: number; itemId: string } | { index: number; url: string };

export type ArchiveSteps = Map<number, ArchiveStep>;

const RUN_AGAIN = 'The item was saved. Run again with Skip URLs Already Saved on: saved items whose row says archived are archived then.';

export interface ArchiveContext {
	connection: Connection;
	settings: SendSettings;
	maxActionsPerCall: number;
	readAccount: AccountReader;
}

/** Finds the ids of items known only by URL: one read of the list, the newest copy of each URL. */
async function withIds(requests: ArchiveRequest[], { connection, settings, readAccount }: ArchiveContext, steps: ArchiveSteps) {
	const byId = new Map<number, string>();
	const byUrl = requests.filter((r): r is { index: number; url: string } => 'url' in r);
	for (const r of requests) if ('itemId' in r) byId.set(r.index, r.itemId);
	if (byUrl.length === 0) return byId;
	const read = await readAccount(connection, settings);
	if (!read.ok) {
		const message = `the server answered the add without the item's id, and reading the list to find it failed: ${read.failure.message}`;
		for (const { index } of byUrl) steps.set(index, { ok: false, message, description: RUN_AGAIN });
		return byId;
	}
	const found = matchSaved(byUrl, read.value);
	for (const { index } of byUrl) {
		const id = found.get(index);
		if (id !== undefined) byId.set(index, id);
		else steps.set(index, { ok: false, message: "the server answered the add without the item's id, and its list holds no item with this URL", description: RUN_AGAIN });
	}
	return byId;
}

/** Archives the requested items; each gets the step's outcome, failures with their reason. */
export async function archiveAfterAdd(requests: ArchiveRequest[], context: ArchiveContext): Promise<ArchiveSteps> {
	const steps: ArchiveSteps = new Map();
	const ids = await withIds(requests, context, steps);
	const actions = new Map<number, PocketAction>([...ids].map(([index, itemId]) => [index, { action: 'archive', item_id: itemId }]));
	const send = target(context.connection, 'send');
	await runCalls([...actions.keys()], context.maxActionsPerCall, {
		send: (indexes) => sendActions({ ...send, actions: indexes.map((i) => actions.get(i) as PocketAction), settings: context.settings }),
		sent: (indexes, { value: results }) =>
			indexes.forEach((i, k) => {
				const result = results[k];
				steps.set(
					i,
					result.ok
						? { ok: true, action: actions.get(i) as PocketAction }
						: { ok: false, message: `the server rejected the archive action: ${result.failure.message}`, description: RUN_AGAIN },
				);
			}),
		failed: (inCall, notSent, { failure: { message, description } }) => {
			for (const i of inCall) steps.set(i, { ok: false, message: `the archive call failed: ${message}`, description: `${description} ${RUN_AGAIN}` });
			for (const i of notSent) steps.set(i, { ok: false, message: 'not archived, because an archive call failed before it', description: RUN_AGAIN });
		},
	});
	return steps;
}
