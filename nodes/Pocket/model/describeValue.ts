const MAX_SHOWN = 60;

/** Shows the user what they gave us without flooding the error with a huge value. */
export function describeValue(value: unknown): string {
	let text: string;
	try {
		text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
	} catch {
		text = Object.prototype.toString.call(value);
	}
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
