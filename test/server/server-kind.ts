/**
 * The kinds of Pocket-compatible server the test server can be, as one table: everything in which
 * a kind differs from another is a row here, so a test switches the whole server with one value.
 * Self-contained (only node: imports) like the server it is part of.
 */
import type { GetVariant } from './get-route';
import { OPEN_POCKET_GET, POCKET_GET } from './get-route';

/**
 * `pocket`: Pocket's own v3 behaviour (the default). `open-pocket`: an open-pocket style server
 * (Fastify, /api/v1), as tried against a real one (shared reference, pocket-api.md and
 * get-endpoint.md; issue 18).
 */
export type ServerKind = 'pocket' | 'open-pocket';

export interface ServerProfile {
	/** A `/send` `add` with `tags`: stores them, or keeps the title and drops the tags. */
	sendAddStoresTags: boolean;
	/** What a `/send` `add` answers in `action_results`: the saved item, or only `true`. */
	sendAddAnswers: 'item' | 'true';
	/** Adding a URL that is already saved: Pocket re-adds that item; others store a second copy. */
	addedAgain: 're-add' | 'copy';
	/** `/add`'s answer: Pocket v3's `{"item": {...}, "status": 1}`, or the item's fields at the top level. */
	addAnswer: 'wrapped' | 'top-level';
	/** How `/get` answers, until a test sets another variant. */
	get: Readonly<GetVariant>;
}

export const SERVER_KINDS: Readonly<Record<ServerKind, Readonly<ServerProfile>>> = Object.freeze({
	pocket: { sendAddStoresTags: true, sendAddAnswers: 'item', addedAgain: 're-add', addAnswer: 'wrapped', get: POCKET_GET },
	'open-pocket': { sendAddStoresTags: false, sendAddAnswers: 'true', addedAgain: 'copy', addAnswer: 'top-level', get: OPEN_POCKET_GET },
});

/** The environment variable that picks the kind wherever a caller does not (tests, e2e, bench, demo). */
export const SERVER_KIND_ENV = 'POCKET_SERVER_KIND';

/** A kind from an option or the environment: unset is Pocket; a misspelt kind fails loudly rather than testing the wrong server. */
export function serverKind(value: string | undefined): ServerKind {
	if (value === undefined || value === '') return 'pocket';
	if (value in SERVER_KINDS) return value as ServerKind;
	throw new Error(`Unknown test server kind ${JSON.stringify(value)}: use ${Object.keys(SERVER_KINDS).join(' or ')}`);
}
