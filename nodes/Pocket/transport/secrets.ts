/**
 * Keeping the credential's secrets out of everything a server sends back. A hostile or buggy
 * server may echo the consumer key, the token or the password in a header, an error message
 * or an item object, spelled as it was sent or re-encoded by the server or a proxy; every
 * answer is cleaned here, once, before anything reads it.
 */

import { parseJson } from './response';

const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are masked wherever they occur, also inside other words and
 * numbers: a false match only hides text, a missed one would show the secret. Their base64
 * forms are masked only whole, as a fragment of a few characters would match anywhere.
 */
const SHORT_SECRET = 4;

/** Percent-encodings, each with upper- and lower-case hex: encodeURIComponent, strict RFC 3986, form encoding, encodeURI. */
function percentForms(secret: string): string[] {
	const component = encodeURIComponent(secret);
	const strict = component.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	const form = new URLSearchParams({ s: secret }).toString().slice(2);
	const forms = [component, strict, form, component.replace(/%20/g, '+'), strict.replace(/%20/g, '+'), encodeURI(secret)];
	return forms.flatMap((f) => [f, f.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())]);
}

/** What an HTML error page of a proxy makes of it. */
function htmlForms(secret: string): string[] {
	const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	return [html.replace(/'/g, '&#39;'), html.replace(/'/g, '&#x27;')];
}

/**
 * Base64 and base64url, alone (with and without padding) and inside a longer encoding such as
 * `Basic base64(email:password)`: there the secret's bytes start at one of three offsets, and
 * the characters that hold only its bits are the same whatever surrounds it.
 */
function base64Forms(secret: string, short: boolean): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const whole = bytes.toString('base64');
	if (short) return [whole, bytes.toString('base64url')];
	const forms = [whole, whole.replace(/=+$/, '')];
	for (const offset of [0, 1, 2]) {
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
		forms.push(encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6)));
	}
	return forms.flatMap((f) => [f, f.replace(/\+/g, '-').replace(/\//g, '_')]);
}

/** Every spelling of one secret a server or a proxy can plausibly produce. */
function formsOf(secret: string): string[] {
	const short = secret.length < SHORT_SECRET;
	return [secret, JSON.stringify(secret).slice(1, -1), ...percentForms(secret), ...htmlForms(secret), ...base64Forms(secret, short)].filter(
		(form) => form !== '',
	);
}

/** The credential values that must never be shown: every non-empty string among them, longest first. */
export type Secrets = readonly string[];

export function secretsOf(values: readonly unknown[]): Secrets {
	const secrets = values.filter((v): v is string => typeof v === 'string' && v !== '');
	return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

/**
 * Hands back the Secrets it was last given while the values stay the same: every call reads the
 * credential afresh (a sign-in may renew the token), and a matcher is built per Secrets object,
 * so without it each page of a 3,000-page read rebuilt the same matcher (0.14 ms a call).
 */
export function secretsKeeper(): (secrets: Secrets) => Secrets {
	let kept: Secrets = [];
	return (secrets) => {
		if (secrets.length !== kept.length || secrets.some((secret, i) => secret !== kept[i])) kept = secrets;
		return kept;
	};
}

/**
 * Characters a JSON text holds outside its strings: numbers, literals, punctuation. A form made
 * only of them (a numeric password, "null") can match there, where replacing it would break
 * the JSON; a form with any other character is safe to replace in the raw text.
 */
const OUTSIDE_STRINGS = /^[\d.eE+\-truefalsn\s,:{}[\]"]*$/;

interface Matcher {
	/** Every form of every secret, longest first, as one alternation: one pass over a text. */
	all: RegExp;
	/** The forms safe to replace in a JSON body's raw text. */
	raw: RegExp | undefined;
	/** Some form can only be searched for in a parsed body: short secrets and those of JSON's own characters. */
	parseAlways: boolean;
}

function alternation(forms: Iterable<string>): RegExp | undefined {
	const sorted = [...new Set(forms)].sort((a, b) => b.length - a.length);
	if (sorted.length === 0) return undefined;
	return new RegExp(sorted.map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');
}

const matchers = new WeakMap<Secrets, Matcher | undefined>();

function matcherOf(secrets: Secrets): Matcher | undefined {
	if (matchers.has(secrets)) return matchers.get(secrets);
	const rawSafe = (secret: string) => secret.length >= SHORT_SECRET && formsOf(secret).every((f) => !OUTSIDE_STRINGS.test(f));
	const all = alternation(secrets.flatMap(formsOf));
	const matcher = all && {
		all,
		raw: alternation(secrets.filter(rawSafe).flatMap(formsOf)),
		parseAlways: !secrets.every(rawSafe),
	};
	matchers.set(secrets, matcher);
	return matcher;
}

function replaceAll(text: string, pattern: RegExp | undefined): string {
	return pattern === undefined ? text : text.replace(pattern, REDACTED);
}

function holds(text: string, pattern: RegExp): boolean {
	pattern.lastIndex = 0;
	return pattern.test(text);
}

/** The text with every secret replaced; the text itself (no copy) when it holds none. */
export function redactText(text: string, secrets: Secrets): string {
	return replaceAll(text, matcherOf(secrets)?.all);
}

/**
 * Whether any string or number of a parsed JSON value, keys included, holds a secret. Answers
 * are depth-checked before (response.ts), so the recursion is bounded.
 */
function holdsSecret(value: unknown, pattern: RegExp): boolean {
	if (typeof value === 'string' || typeof value === 'number') return holds(String(value), pattern);
	if (Array.isArray(value)) return value.some((v) => holdsSecret(v, pattern));
	if (typeof value !== 'object' || value === null) return false;
	return Object.entries(value).some(([k, v]) => holds(k, pattern) || holdsSecret(v, pattern));
}

/** Every string of a parsed JSON value, keys included, cleaned. */
function redactJson(value: unknown, pattern: RegExp): unknown {
	if (typeof value === 'string') return replaceAll(value, pattern);
	if (typeof value === 'number') return holds(String(value), pattern) ? replaceAll(String(value), pattern) : value;
	if (Array.isArray(value)) return value.map((v) => redactJson(v, pattern));
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaceAll(k, pattern), redactJson(v, pattern)]));
}

/**
 * A body, cleaned. The raw text is searched in one pass for the secrets that cannot break it.
 * JSON may spell a secret with escapes the text search cannot see (PHP writes `/` as `\/`, Go
 * writes `&` as `\u0026`), and a short or numeric secret can only be searched for inside
 * values, so a body that still holds backslashes, or any body when such a secret exists, is
 * parsed, and written back cleaned value by value only when one of them holds a secret.
 */
export function redactBody(body: string, secrets: Secrets): string {
	const matcher = matcherOf(secrets);
	if (matcher === undefined) return body;
	const clean = replaceAll(body, matcher.raw);
	if (!matcher.parseAlways && !clean.includes('\\')) return clean;
	let parsed: unknown;
	try {
		parsed = parseJson(clean);
	} catch {
		return replaceAll(clean, matcher.all);
	}
	return holdsSecret(parsed, matcher.all) ? JSON.stringify(redactJson(parsed, matcher.all)) : clean;
}

/** Header values, cleaned the same way. */
export function redactHeaders(headers: Record<string, unknown>, secrets: Secrets): Record<string, unknown> {
	// fromEntries: a header a server names `__proto__` stays a header.
	return Object.fromEntries(
		Object.entries(headers).map(([name, value]) => [
			name,
			Array.isArray(value) ? value.map((v) => redactText(String(v), secrets)) : typeof value === 'string' ? redactText(value, secrets) : value,
		]),
	);
}
