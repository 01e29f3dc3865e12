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
