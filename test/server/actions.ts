/* eslint-disable @n8n/community-nodes/require-node-api-error -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The send protocol's actions as the test server checks them: a whole batch is checked before
 * anything is applied, as real servers answer a malformed action with 400.
 * Self-contained (only node: imports) like the server it is part of.
 */
export const DIGITS = /^\d+$/;

export class BadRequest extends Error {}

function requireString(action: Record<string, unknown>, key: string): string {
	const value = action[key];
	if (typeof value !== 'string' || value.trim() === '') throw new BadRequest(`${key} is required`);
	return value;
}

/** Mirrors the strictest real server: ids are strings of digits, never JSON numbers. */
export function requireId(action: Record<string, unknown>, key = 'item_id'): string {
	const value = requireString(action, key);
	if (!DIGITS.test(value)) throw new BadRequest(`${key} must be a string of digits`);
	return value;
}

export function parseTags(value: unknown, required: boolean): string[] {
	if (value === undefined && !required) return [];
	if (typeof value !== 'string') throw new BadRequest('tags must be a comma-separated string');
	const tags = value.split(',').map((t) => t.trim());
	if (tags.some((t) => t === '')) throw new BadRequest('tags must not contain empty elements');
	return tags;
}

/** Checks the whole batch before applying anything, as real servers answer a malformed action with 400. */
export function validateAction(action: unknown): Record<string, unknown> {
	if (typeof action !== 'object' || action === null || Array.isArray(action)) {
		throw new BadRequest('each action must be an object');
	}
	const a = action as Record<string, unknown>;
	if (a.time !== undefined && !(typeof a.time === 'string' && DIGITS.test(a.time))) {
		throw new BadRequest('time must be Unix seconds as a string of digits');
	}
	switch (a.action) {
		case 'add': {
			const url = requireString(a, 'url');
			let parsed: URL;
			try {
				parsed = new URL(url);
			} catch {
				throw new BadRequest('url must be an absolute URL');
			}
			if (!['http:', 'https:'].includes(parsed.protocol)) throw new BadRequest('url must be http(s)');
			parseTags(a.tags, false);
			if (a.item_id !== undefined) requireId(a);
			if (a.ref_id !== undefined) requireId(a, 'ref_id');
			if (a.title !== undefined && typeof a.title !== 'string') throw new BadRequest('title must be a string');
			break;
		}
		case 'archive':
		case 'readd':
		case 'favorite':
		case 'unfavorite':
		case 'delete':
		case 'tags_clear':
			requireId(a);
			break;
		case 'tags_add':
		case 'tags_remove':
		case 'tags_replace':
			requireId(a);
			parseTags(a.tags, true);
			break;
		case 'tag_rename':
			requireString(a, 'old_tag');
			requireString(a, 'new_tag');
			break;
		case 'tag_delete':
			requireString(a, 'tag');
			break;
		default:
			throw new BadRequest(`unknown action ${JSON.stringify(a.action)}`);
	}
	return a;
}
