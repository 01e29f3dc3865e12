/**
 * Keeping the credential's secrets out of everything a server sends back. A hostile or buggy
 * server may echo the consumer key, the token or the password in a header, an error message
 * or an item object; every answer is cleaned here, once, before anything reads it.
 */

const REDACTED = '[redacted]';

/** Shorter values are not secrets worth the false matches (and could not be found safely). */
const MIN_SECRET_LENGTH = 4;

/** The forms in which a secret can appear in a body: as is, JSON-escaped, URL-encoded. */
function formsOf(secret: string): string[] {
	const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
	return [...forms];
}

export type Secrets = readonly string[];

/** The credential values that must never be shown, in every form they may be echoed in, longest first. */
export function secretsOf(values: readonly unknown[]): Secrets {
	const secrets = values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH);
	return [...new Set(secrets.flatMap(formsOf))].sort((a, b) => b.length - a.length);
}

/** The text with every secret replaced; the text itself (no copy) when it holds none. */
export function redactText(text: string, secrets: Secrets): string {
	let clean = text;
	for (const secret of secrets) if (clean.includes(secret)) clean = clean.split(secret).join(REDACTED);
	return clean;
}

/** Whether any string of a parsed JSON value, keys included, holds a secret. */
function holdsSecret(value: unknown, secrets: Secrets): boolean {
	if (typeof value === 'string') return secrets.some((secret) => value.includes(secret));
	if (Array.isArray(value)) return value.some((v) => holdsSecret(v, secrets));
	if (typeof value !== 'object' || value === null) return false;
	return Object.entries(value).some(([k, v]) => holdsSecret(k, secrets) || holdsSecret(v, secrets));
}

/** Every string of a parsed JSON value, keys included, cleaned. */
function redactJson(value: unknown, secrets: Secrets): unknown {
	if (typeof value === 'string') return redactText(value, secrets);
	if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets));
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k, secrets), redactJson(v, secrets)]));
}

/**
 * A body, cleaned. JSON may spell a secret with escapes the text search cannot see (PHP writes
 * `/` as `\/`, Go writes `&` as `\u0026`), so a body that still holds backslashes after the text
 * pass is parsed, cleaned string by string, and written back.
 */
export function redactBody(body: string, secrets: Secrets): string {
	const clean = redactText(body, secrets);
	if (secrets.length === 0 || !clean.includes('\\')) return clean;
	let parsed: unknown;
	try {
		parsed = JSON.parse(clean);
	} catch {
		return clean;
	}
	return holdsSecret(parsed, secrets) ? JSON.stringify(redactJson(parsed, secrets)) : clean;
}

/** Header values, cleaned the same way. */
export function redactHeaders(headers: Record<string, unknown>, secrets: Secrets): Record<string, unknown> {
	const clean: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(headers)) {
		clean[name] = Array.isArray(value)
			? value.map((v) => redactText(String(v), secrets))
			: typeof value === 'string'
				? redactText(value, secrets)
				: value;
	}
	return clean;
}
