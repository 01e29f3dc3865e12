/**
 * Every field a Pocket send action can carry, described once. The UI parameters
 * (description.ts), the per-item validation (validation.ts) and the README's field tables are
 * all derived from this table.
 */

/** What kind of value a field holds; validation.ts has one parser per kind. */
export type ValueKind = 'url' | 'id' | 'tags' | 'text' | 'tagName' | 'time';

interface FieldSpec {
	/** The n8n parameter name. */
	param: string;
	displayName: string;
	description: string;
	placeholder?: string;
	type: 'string' | 'dateTime';
	kind: ValueKind;
	/** Shown as a resource locator (From List, By ID, By URL) from node version 1.1. */
	locator?: true;
}

/** Adds each entry's own key to it, so a field always knows its Pocket name. */
function withKeys<T extends Record<string, FieldSpec>>(specs: T): { [K in keyof T]: T[K] & { key: K } } {
	const entries = Object.entries(specs).map(([key, spec]) => [key, { ...spec, key }]);
	return Object.fromEntries(entries) as { [K in keyof T]: T[K] & { key: K } };
}

export const FIELDS = withKeys({
	url: {
		param: 'url',
		displayName: 'URL',
		description: 'Absolute http(s) address of the page to save',
		placeholder: 'e.g. https://example.com/article',
		type: 'string',
		kind: 'url',
	},
	item_id: {
		param: 'itemId',
		displayName: 'Item ID',
		description: 'ID of the saved item, as returned when it was added (a number or a string of digits)',
		placeholder: 'e.g. 229279689',
		type: 'string',
		kind: 'id',
		locator: true,
	},
	tags: {
		param: 'tags',
		displayName: 'Tags',
		description:
			'Comma-separated tags, or an array of tags from an expression. Spaces around tags are trimmed, duplicates and empty entries are dropped.',
		placeholder: 'e.g. news, to-read',
		type: 'string',
		kind: 'tags',
	},
	title: {
		param: 'title',
		displayName: 'Title',
		description: 'Title to store instead of the one the server finds on the page',
		placeholder: 'e.g. A title of my own',
		type: 'string',
		kind: 'text',
	},
	ref_id: {
		param: 'refId',
		displayName: 'Tweet ID',
		description: 'ID of a tweet the item was shared in, used for attribution (Pocket ref_id)',
		placeholder: 'e.g. 1816472839501234567',
		type: 'string',
		kind: 'id',
	},
	time: {
		param: 'time',
		displayName: 'Time',
		description:
			'When the action happened: a date and time, an ISO 8601 string or Unix seconds. The server uses the current time when empty.',
		type: 'dateTime',
		kind: 'time',
	},
	old_tag: {
		param: 'oldTag',
		displayName: 'Tag Name',
		description: 'The existing tag to rename on every item that has it',
		placeholder: 'e.g. to-read',
		type: 'string',
		kind: 'tagName',
	},
	new_tag: {
		param: 'newTag',
		displayName: 'New Tag Name',
		description: 'The name the tag gets on every item',
		placeholder: 'e.g. reading-list',
		type: 'string',
		kind: 'tagName',
	},
	tag: {
		param: 'tag',
		displayName: 'Tag Name',
		description: 'The tag to remove from every item that has it',
		placeholder: 'e.g. old-tag',
		type: 'string',
		kind: 'tagName',
	},
} satisfies Record<string, FieldSpec>);

/** A field's Pocket name: the key in the wire action and in auto-mapped input items. */
export type FieldKey = keyof typeof FIELDS;

export type FieldDefinition = FieldSpec & { key: FieldKey };
