import { DateTime } from 'luxon';

import type { Result } from '../result';
import { failure, success } from '../result';
import type { FieldDefinition, FieldKey, ValueKind } from './fields';
import { FIELDS } from './fields';
import { describeValue } from '../model/describeValue';
import type { ActionName, OperationDefinition } from './operations';

/**
 * Everything that decides whether a user's value can be sent, and in which exact form: one
 * parser per kind of value, and the check of one item against its operation's fields.
 *
 * Plain functions rather than zod schemas: validation runs once per input item, and zod's
 * object machinery cost ten times the checks themselves (2.3 s against 0.2 s for 100,000
 * items, measured); zod still checks what the server answers (transport/).
 */

/** A validated action, exactly as it goes on the wire. */
export type PocketAction = { action: ActionName } & Partial<Record<FieldKey, string>>;

/** The raw values of one item, keyed by Pocket field name, before validation. */
export type RawFields = Partial<Record<FieldKey, unknown>>;

export interface InvalidField {
	field: FieldDefinition;
	/** Why the value was refused, phrased to follow the field's name ("must be …"). */
	problem: string;
}

/** What validation needs to know about the run. */
export interface ValidationContext {
	/** The IANA zone a date and time without an offset is read in: the workflow's, else the instance's. */
	zone: string;
}

/** The exact string the server receives, or why the value was refused. */
type Parser = (value: unknown, context: ValidationContext) => Result<string, string>;

/** Values an optional field treats as "not given" (an unfilled expression yields these). */
function isBlank(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

export const DIGITS = /^\d+$/;

/** Ids are sent as digit strings: servers reject non-digits and some reject JSON numbers. */
const parseId: Parser = (value) => {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return success(String(value));
	if (typeof value === 'string' && DIGITS.test(value.trim())) return success(value.trim());
	return failure(`must be a whole number or a string of digits, e.g. 229279689 (got ${describeValue(value)})`);
};

/** Splits on commas because the wire format is comma-separated: a comma can never be part of a tag. */
export function normaliseTags(value: unknown): string[] | undefined {
	const parts: unknown[] = Array.isArray(value) ? value : [value];
	// A Set keeps the first occurrence's order and stays linear in the number of tags.
	const tags = new Set<string>();
	for (const part of parts) {
		if (typeof part !== 'string' && typeof part !== 'number') return undefined;
		for (const piece of String(part).split(',')) {
			const tag = piece.trim();
			if (tag !== '') tags.add(tag);
		}
	}
	return [...tags];
}

/** Tags already in their wire form: no spaces, no empty entries. */
const WIRE_TAGS = /^[^\s,]+(?:,[^\s,]+)*$/;

/**
 * Whether no tag of a wire-form list repeats. One or two tags, the usual case, are compared in
 * place (two are equal only when equally long), a short list pair by pair: a split and a Set
 * per item cost more than the rest of the item's validation.
 */
function distinct(value: string): boolean {
	const comma = value.indexOf(',');
	if (comma < 0) return true;
	if (value.indexOf(',', comma + 1) < 0) return value.length !== 2 * comma + 1 || !value.endsWith(value.slice(0, comma));
	const tags = value.split(',');
	if (tags.length > 8) return new Set(tags).size === tags.length;
	for (let i = 1; i < tags.length; i++) if (tags.lastIndexOf(tags[i], i - 1) >= 0) return false;
	return true;
}

const parseTags: Parser = (value) => {
	// Tags usually arrive in wire form: sent as they are unless one repeats (normaliseTags would give the same text).
	if (typeof value === 'string' && WIRE_TAGS.test(value) && distinct(value)) return success(value);
	const tags = normaliseTags(value);
	if (tags === undefined) {
		return failure(`must be a comma-separated string or a list of strings (got ${describeValue(value)})`);
	}
	if (tags.length === 0) return failure('must name at least one tag');
	return success(tags.join(','));
};

/** One tag name, as tag_rename and tag_delete take it. */
export const parseTagName: Parser = (value) => {
	if (typeof value !== 'string' && typeof value !== 'number') {
		return failure(`must be a text value (got ${describeValue(value)})`);
	}
	const tag = String(value).trim();
	if (tag === '') return failure('must not be empty');
	if (tag.includes(',')) return failure(`must be a single tag name without commas (got ${describeValue(tag)})`);
	return success(tag);
};

const parseText: Parser = (value) => {
	if (typeof value !== 'string' && typeof value !== 'number') {
		return failure(`must be a text value (got ${describeValue(value)})`);
	}
	return success(String(value).trim());
};

const HTTP_SCHEME = /^https?:/i;

/** Pocket items are web pages; anything but an absolute http(s) URL fails silently on some servers. */
const parseUrl: Parser = (value) => {
	const text = typeof value === 'string' ? value.trim() : '';
	// The usual case, without building a URL object: text that starts with the scheme is an http(s) URL exactly when it parses.
	if (HTTP_SCHEME.test(text) && URL.canParse(text)) return success(text);
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		return failure(`must be an absolute http(s) URL such as https://example.com/article (got ${describeValue(value)})`);
	}
	return success(text);
};

interface LuxonLike {
	toMillis(): number;
}

function isLuxonLike(value: unknown): value is LuxonLike {
	return typeof value === 'object' && value !== null && typeof (value as LuxonLike).toMillis === 'function';
}

/** 9999-12-31T23:59:59Z: beyond it a number is a mistake (milliseconds passed as seconds). */
const LAST_MILLIS = 253_402_300_799_000;

/** An ISO 8601 date or date-time starts with its four-digit year; time-only and free text do not. */
const ISO_DATE_START = /^\d{4}[-W]/;

function isoMillis(text: string, zone: string): number | undefined {
	if (!ISO_DATE_START.test(text)) return undefined;
	const parsed = DateTime.fromISO(text, { zone });
	return parsed.isValid ? parsed.toMillis() : undefined;
}

/**
 * Accepts what n8n users hold in hand: a DateTime from an expression or a Date, an ISO 8601
 * date or date-time (read in the workflow's zone when it has no offset, as n8n's own date
 * fields are), or Unix seconds. Nothing else: Date.parse would turn "Item 12" into 2001.
 */
export const parseTime: Parser = (value, { zone }) => {
	let millis: number | undefined;
	if (typeof value === 'number') millis = value * 1000;
	else if (typeof value === 'string' && DIGITS.test(value.trim())) millis = Number(value.trim()) * 1000;
	else if (typeof value === 'string') millis = isoMillis(value.trim(), zone);
	else if (value instanceof Date) millis = value.getTime();
	else if (isLuxonLike(value)) millis = value.toMillis();
	if (millis === undefined || !Number.isFinite(millis) || millis < 0 || millis > LAST_MILLIS) {
		return failure(
			`must be a date and time, an ISO 8601 string or Unix seconds, e.g. 2024-05-01T12:00:00Z or 1714564800 (got ${describeValue(value)})`,
		);
	}
	return success(String(Math.floor(millis / 1000)));
};

const PARSERS: Record<ValueKind, Parser> = {
	url: parseUrl,
	id: parseId,
	tags: parseTags,
	text: parseText,
	tagName: parseTagName,
	time: parseTime,
};

/** An optional field left blank: one shared answer, not one allocated per field and item. */
const NOT_GIVEN: Result<undefined, string> = Object.freeze(success(undefined));
const REQUIRED_BUT_EMPTY: Result<undefined, string> = Object.freeze(failure('is required but empty'));

/** Validates one field: the exact string the server receives, undefined for an optional blank, or the problem. */
function parseField(
	field: FieldDefinition,
	value: unknown,
	required: boolean,
	context: ValidationContext,
): Result<string | undefined, string> {
	if (isBlank(value)) return required ? REQUIRED_BUT_EMPTY : NOT_GIVEN;
	return PARSERS[field.kind](value, context);
}

const UTC: ValidationContext = { zone: 'UTC' };

/** An operation's fields in the order they are checked, required first: built once per operation, not per item. */
type FieldPlan = ReadonlyArray<{ field: FieldDefinition; required: boolean }>;
const plans = new WeakMap<OperationDefinition, FieldPlan>();

function planOf(definition: OperationDefinition): FieldPlan {
	let plan = plans.get(definition);
	if (plan === undefined) {
		plan = [
			...definition.required.map((key) => ({ field: FIELDS[key], required: true })),
			...definition.optional.map((key) => ({ field: FIELDS[key], required: false })),
		];
		plans.set(definition, plan);
	}
	return plan;
}

/**
 * Validates one item's fields for one operation, required fields first. Pure: the caller
 * decides whether an invalid item stops the run or becomes an error item.
 */
export function parseAction(
	definition: OperationDefinition,
	raw: RawFields,
	context: ValidationContext = UTC,
): Result<PocketAction, InvalidField> {
	const action: PocketAction = { action: definition.action };
	for (const { field, required } of planOf(definition)) {
		const parsed = parseField(field, raw[field.key], required, context);
		if (!parsed.ok) return failure({ field, problem: parsed.failure });
		if (parsed.value !== undefined) action[field.key] = parsed.value;
	}
	return success(action);
}

/** "Item 3: URL (url) must be …": names the item and both the UI label and the Pocket field. */
export function describeInvalid(itemIndex: number, invalid: InvalidField): string {
	return `Item ${itemIndex}: ${invalid.field.displayName} (${invalid.field.key}) ${invalid.problem}`;
}
