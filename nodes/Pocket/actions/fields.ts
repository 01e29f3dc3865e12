import type { INodeProperties } from 'n8n-workflow';

/**
 * Every field a Pocket send action can carry, described once. The UI parameters, the
 * per-item validation and the README's field tables are all derived from this table.
 */

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

/** Values an optional field treats as "not given" (an unfilled expression yields these). */
function isBlank(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

/** Why a value was refused, phrased to follow the field's name ("must be …"). */
export interface Problem {
	problem: string;
}

/**
 * Plain functions rather than zod schemas: validation runs once per input item, and zod's
 * object machinery cost ten times the checks themselves (2.3 s against 0.2 s for 100,000
 * items, measured); zod still checks what the server answers (transport.ts).
 */
type Parser = (value: unknown) => string | Problem;

const fail = (problem: string): Problem => ({ problem });

const DIGITS = /^\d+$/;

/** Ids are sent as digit strings: servers reject non-digits and some reject JSON numbers. */
const parseId: Parser = (value) => {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
	if (typeof value === 'string' && DIGITS.test(value.trim())) return value.trim();
	return fail(`must be a whole number or a string of digits, e.g. 229279689 (got ${describeValue(value)})`);
};

/** Splits on commas because the wire format is comma-separated: a comma can never be part of a tag. */
export function normaliseTags(value: unknown): string[] | undefined {
	const parts: unknown[] = Array.isArray(value) ? value : [value];
	const tags: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string' && typeof part !== 'number') return undefined;
		for (const piece of String(part).split(',')) {
			const tag = piece.trim();
			if (tag !== '' && !tags.includes(tag)) tags.push(tag);
		}
	}
	return tags;
}

const parseTags: Parser = (value) => {
	const tags = normaliseTags(value);
	if (tags === undefined) {
		return fail(`must be a comma-separated string or a list of strings (got ${describeValue(value)})`);
	}
	if (tags.length === 0) return fail('must name at least one tag');
	return tags.join(',');
};

/** One tag name, as tag_rename and tag_delete take it. */
const parseTagName: Parser = (value) => {
	if (typeof value !== 'string' && typeof value !== 'number') {
		return fail(`must be a text value (got ${describeValue(value)})`);
	}
	const tag = String(value).trim();
	if (tag === '') return fail('must not be empty');
	if (tag.includes(',')) return fail(`must be a single tag name without commas (got ${describeValue(tag)})`);
	return tag;
};

const parseText: Parser = (value) => {
	if (typeof value !== 'string' && typeof value !== 'number') {
		return fail(`must be a text value (got ${describeValue(value)})`);
	}
	return String(value).trim();
};

/** Pocket items are web pages; anything but an absolute http(s) URL fails silently on some servers. */
const parseUrl: Parser = (value) => {
	const text = typeof value === 'string' ? value.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		return fail(`must be an absolute http(s) URL such as https://example.com/article (got ${describeValue(value)})`);
	}
	return text;
};

interface LuxonLike {
	toMillis(): number;
}

function isLuxonLike(value: unknown): value is LuxonLike {
	return typeof value === 'object' && value !== null && typeof (value as LuxonLike).toMillis === 'function';
}

/** 9999-12-31T23:59:59Z: beyond it a number is a mistake (milliseconds passed as seconds). */
const LAST_MILLIS = 253_402_300_799_000;

/** Accepts what n8n users hold in hand: a DateTime from an expression, an ISO string or Unix seconds. */
const parseTime: Parser = (value) => {
	let millis: number | undefined;
	if (typeof value === 'number') millis = value * 1000;
	else if (typeof value === 'string' && DIGITS.test(value.trim())) millis = Number(value.trim()) * 1000;
	else if (typeof value === 'string') millis = Date.parse(value.trim());
	else if (value instanceof Date) millis = value.getTime();
	else if (isLuxonLike(value)) millis = value.toMillis();
	if (millis === undefined || !Number.isFinite(millis) || millis < 0 || millis > LAST_MILLIS) {
		return fail(
			`must be a date and time, an ISO 8601 string or Unix seconds, e.g. 2024-05-01T12:00:00Z or 1714564800 (got ${describeValue(value)})`,
		);
	}
	return String(Math.floor(millis / 1000));
};

export type FieldKey = 'url' | 'item_id' | 'tags' | 'title' | 'ref_id' | 'time' | 'old_tag' | 'new_tag' | 'tag';

export interface FieldDefinition {
	/** The key in the Pocket action (and in auto-mapped input items). */
	key: FieldKey;
	/** The n8n parameter name. */
	param: string;
	displayName: string;
	description: string;
	placeholder?: string;
	type: 'string' | 'dateTime';
	parse: Parser;
}

export const FIELDS: Record<FieldKey, FieldDefinition> = {
	url: {
		key: 'url',
		param: 'url',
		displayName: 'URL',
		description: 'Absolute http(s) address of the page to save',
		placeholder: 'https://example.com/article',
		type: 'string',
		parse: parseUrl,
	},
	item_id: {
		key: 'item_id',
		param: 'itemId',
		displayName: 'Item ID',
		description: 'ID of the saved item, as returned when it was added (a number or a string of digits)',
		placeholder: '229279689',
		type: 'string',
		parse: parseId,
	},
	tags: {
		key: 'tags',
		param: 'tags',
		displayName: 'Tags',
		description:
			'Comma-separated tags, or an array of tags from an expression. Spaces around tags are trimmed, duplicates and empty entries are dropped.',
		placeholder: 'news, to-read',
		type: 'string',
		parse: parseTags,
	},
	title: {
		key: 'title',
		param: 'title',
		displayName: 'Title',
		description: 'Title to store instead of the one the server finds on the page',
		type: 'string',
		parse: parseText,
	},
	ref_id: {
		key: 'ref_id',
		param: 'refId',
		displayName: 'Tweet ID',
		description: 'ID of a tweet the item was shared in, used for attribution (Pocket ref_id)',
		type: 'string',
		parse: parseId,
	},
	time: {
		key: 'time',
		param: 'time',
		displayName: 'Time',
		description:
			'When the action happened: a date and time, an ISO 8601 string or Unix seconds. The server uses the current time when empty.',
		type: 'dateTime',
		parse: parseTime,
	},
	old_tag: {
		key: 'old_tag',
		param: 'oldTag',
		displayName: 'Tag Name',
		description: 'The existing tag to rename on every item that has it',
		placeholder: 'to-read',
		type: 'string',
		parse: parseTagName,
	},
	new_tag: {
		key: 'new_tag',
		param: 'newTag',
		displayName: 'New Tag Name',
		description: 'The name the tag gets on every item',
		placeholder: 'reading-list',
		type: 'string',
		parse: parseTagName,
	},
	tag: {
		key: 'tag',
		param: 'tag',
		displayName: 'Tag Name',
		description: 'The tag to remove from every item that has it',
		placeholder: 'old-tag',
		type: 'string',
		parse: parseTagName,
	},
};

/** Validates one field: the exact string the server receives, undefined for an optional blank, or the problem. */
export function parseField(field: FieldDefinition, value: unknown, required: boolean): string | undefined | Problem {
	if (isBlank(value)) return required ? fail('is required but empty') : undefined;
	return field.parse(value);
}

/** The n8n parameter for a field, without display options. */
export function fieldProperty(field: FieldDefinition, required: boolean): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.param,
		type: field.type,
		default: '',
		required: required || undefined,
		description: field.description,
		...(field.placeholder === undefined ? {} : { placeholder: field.placeholder }),
	};
}
