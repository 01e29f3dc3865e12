/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The test server's single-item add endpoint (`/add`): one URL with its title and tags, answered
 * with the saved item, wrapped as Pocket v3 does or at the top level as open-pocket does.
 * Self-contained (only node: imports) like the server it is part of.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { BadRequest, validateAction } from './actions';
import { excerptOf } from './get-route';
import type { Fault, StoredItem } from './pocket-server';
import type { ServerProfile } from './server-kind';

export interface AddRouteContext {
	profile(): Readonly<ServerProfile>;
	/** Saves one checked `add` action with its tags, as the server's kind saves an added URL, and records it. */
	save(action: Record<string, unknown>): StoredItem;
	faults: Fault[];
	/** Answers the faults that replace any answer (HTTP errors, redirects, HTML, bombs); false for the others. */
	answerFault(res: ServerResponse, fault: Fault | undefined): boolean;
	/** Sends the answer a byte at a time, without saving anything, for the `drip` fault. */
	drip(res: ServerResponse, everyMs: number, text: string): void;
	/** Sends a 200 answer, broken as a fault says (cut in half, dropped, late), as /send does. */
	answer(req: IncomingMessage, res: ServerResponse, fault: Fault | undefined, payload: string): Promise<void>;
	error(res: ServerResponse, status: number, code: number, message: string): void;
}

/** What every answer that saved an item says of it, `/send`'s add result as well as `/add`'s. */
export function savedItem(item: StoredItem): Record<string, unknown> {
	return {
		item_id: item.item_id,
		normal_url: item.normal_url,
		resolved_id: item.item_id,
		resolved_url: item.resolved_url,
		given_url: item.given_url,
		title: item.title,
	};
}

/** The saved item as both kinds' `/add` describe it (open-pocket's field set, Pocket's values). */
function addedView(item: StoredItem): Record<string, unknown> {
	return {
		...savedItem(item),
		domain_id: '0',
		origin_domain_id: '0',
		response_code: '200',
		mime_type: 'text/html',
		content_length: '0',
		encoding: 'utf-8',
		date_resolved: new Date(item.time_added * 1000).toISOString(),
		date_published: null,
		excerpt: excerptOf(item),
	};
}

/** Answers one admitted /add request (credentials, content type and rate limit already checked). */
export async function answerAdd(ctx: AddRouteContext, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
	let action: Record<string, unknown>;
	try {
		// The same fields and rules as the send protocol's `add`, so both ways of adding agree on what is valid.
		action = validateAction({ action: 'add', url: body.url, title: body.title, tags: body.tags, time: body.time });
	} catch (e) {
		if (!(e instanceof BadRequest)) throw e;
		ctx.error(res, 400, 130, `Invalid request: ${e.message}`);
		return;
	}
	const fault = ctx.faults.shift();
	if (ctx.answerFault(res, fault)) return;
	const profile = ctx.profile();
	if (fault?.type === 'drip') {
		ctx.drip(res, fault.everyMs, JSON.stringify(profile.addAnswer === 'wrapped' ? { item: {}, status: 1 } : {}));
		return;
	}
	const view = addedView(ctx.save(action));
	if (fault?.type === 'echo-secrets') view.title = `Saved for ${String(body.consumer_key)} with ${String(body.access_token)}`;
	await ctx.answer(req, res, fault, JSON.stringify(profile.addAnswer === 'wrapped' ? { item: view, status: 1 } : view));
}
