/**
 * The one way the node's code says whether something worked. Every step that can fail
 * (parsing a field, reading an answer, a whole call) returns a Result, so callers branch on
 * `ok` alone and never on the shape of a value.
 */
export type Result<T, F> = { ok: true; value: T } | { ok: false; failure: F };

export const success = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const failure = <F>(failure: F): { ok: false; failure: F } => ({ ok: false, failure });
