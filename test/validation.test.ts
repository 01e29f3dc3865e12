/**
 * Input validation as pure functions, with property-based tests: whatever a user or an
 * expression hands the node, validation never throws, and every rejection names its field.
 */
import fc from 'fast-check';

import { FIELDS } from '../nodes/Pocket/actions/fields';
import { OPERATIONS } from '../nodes/Pocket/actions/operations';
import { describeInvalid, normaliseTags, parseAction } from '../nodes/Pocket/actions/validation';

const anyValue = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme' }),
	fc.string({ unit: fc.constantFrom(',', ' ', 'a', 'é', '🙂', '\n', '0', '9') }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.array(fc.oneof(fc.string(), fc.integer())),
	fc.dictionary(fc.string(), fc.string()),
	fc.string({ minLength: 5000, maxLength: 20000 }),
	fc.date({ noInvalidDate: false }),
);

test('any values for any action: never an exception, a valid wire action or an error naming a field of that action', () => {
	fc.assert(
		fc.property(fc.constantFrom(...OPERATIONS), fc.dictionary(fc.constantFrom(...Object.keys(FIELDS)), anyValue), (definition, raw) => {
			const parsed = parseAction(definition, raw);
			if (parsed.ok) {
				expect(parsed.value.action).toBe(definition.action);
				for (const key of definition.required) expect(typeof parsed.value[key]).toBe('string');
				for (const [key, value] of Object.entries(parsed.value)) {
					expect(typeof value).toBe('string');
					if (key === 'item_id' || key === 'ref_id' || key === 'time') expect(value).toMatch(/^\d+$/);
					if (key === 'tags') expect(value.split(',').every((t) => t !== '' && t === t.trim())).toBe(true);
				}
			} else {
				const fields: string[] = [...definition.required, ...definition.optional];
				expect(fields).toContain(parsed.failure.field.key);
				const message = describeInvalid(7, parsed.failure);
				expect(message.startsWith(`Item 7: ${parsed.failure.field.displayName} (${parsed.failure.field.key}) `)).toBe(true);
				expect(message.length).toBeLessThan(400);
			}
		}),
		{ numRuns: 3000 },
	);
});

test('tags: comma-laden and unicode input become trimmed, unique, non-empty tags without commas', () => {
	fc.assert(
		fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.array(fc.string({ unit: 'grapheme' }))), (value) => {
			const tags = normaliseTags(value) ?? [];
			expect(new Set(tags).size).toBe(tags.length);
			for (const tag of tags) {
				expect(tag).not.toContain(',');
				expect(tag).toBe(tag.trim());
				expect(tag).not.toBe('');
			}
		}),
	);
});

test('item ids: numbers and digit strings go out as the same digit string', () => {
	const archive = OPERATIONS.find((o) => o.action === 'archive')!;
	fc.assert(
		fc.property(fc.nat(), (id) => {
			const fromNumber = parseAction(archive, { item_id: id });
			const fromString = parseAction(archive, { item_id: ` ${id} ` });
			expect(fromNumber).toEqual({ ok: true, value: { action: 'archive', item_id: String(id) } });
			expect(fromString).toEqual(fromNumber);
		}),
	);
});

test('time: Unix seconds, ISO strings and dates agree', () => {
	const archive = OPERATIONS.find((o) => o.action === 'archive')!;
	fc.assert(
		fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (seconds) => {
			const iso = new Date(seconds * 1000).toISOString();
			const expected = { ok: true, value: { action: 'archive', item_id: '1', time: String(seconds) } };
			expect(parseAction(archive, { item_id: 1, time: seconds })).toEqual(expected);
			expect(parseAction(archive, { item_id: 1, time: String(seconds) })).toEqual(expected);
			expect(parseAction(archive, { item_id: 1, time: iso })).toEqual(expected);
			expect(parseAction(archive, { item_id: 1, time: new Date(seconds * 1000) })).toEqual(expected);
			expect(parseAction(archive, { item_id: 1, time: { toMillis: () => seconds * 1000 } })).toEqual(expected);
		}),
	);
});

test('url: only absolute http(s) URLs pass', () => {
	const add = OPERATIONS.find((o) => o.action === 'add')!;
	for (const url of ['example.com', '/relative', 'ftp://example.com/x', 'javascript:alert(1)', 'mailto:a@b.c', 'http://']) {
		const parsed = parseAction(add, { url });
		expect(parsed.ok).toBe(false);
	}
	expect(parseAction(add, { url: ' https://example.com/ä?q=1#x ' })).toEqual({
		ok: true,
		value: { action: 'add', url: 'https://example.com/ä?q=1#x' },
	});
});

describe('the quick checks decide as the full ones', () => {
	const add = OPERATIONS.find((o) => o.action === 'add')!;

	test('tags in any spelling go out exactly as normaliseTags joins them', () => {
		const tagText = fc.string({ unit: fc.constantFrom(',', ' ', '\t', 'a', 'b', 'é', '🙂', '1'), maxLength: 20 });
		fc.assert(
			fc.property(tagText, (tags) => {
				const parsed = parseAction(add, { url: 'https://example.com/', tags });
				const expected = (normaliseTags(tags) ?? []).join(',');
				return parsed.ok ? parsed.value.tags === (expected === '' ? undefined : expected) : expected === '' && tags.trim() !== '';
			}),
			{ numRuns: 3000 },
		);
	});

	test('a URL passes exactly when it parses as an http(s) URL', () => {
		const piece = fc.constantFrom('http', 'https', 'HTTP', 'ftp', ':', '//', '/', 'a', 'é', '1', '.', '@', '[', ']', '%', ' ', '\t', '\u0001', '999', 'x:', '#');
		const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
		fc.assert(
			fc.property(text, (url) => {
				let isHttp = false;
				try {
					isHttp = ['http:', 'https:'].includes(new URL(url.trim()).protocol);
				} catch {
					isHttp = false;
				}
				const parsed = parseAction(add, { url });
				return url.trim() === '' ? !parsed.ok : parsed.ok === isHttp;
			}),
			{ numRuns: 5000 },
		);
	});
});
