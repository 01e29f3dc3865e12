/**
 * Item → Add straight from n8n's RSS nodes: entries as RSS Feed Read gives them (rss-parser's
 * shapes for RSS 2.0 and Atom), and the Tagging options, in n8n's engine against the server.
 */
import fc from 'fast-check';

import { compileRules, countedMatch, matchRules } from '../nodes/Pocket/actions/tagging';
import { runWorkflow } from './harness/engine';
import { sendCalls, useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

/** Entries as n8n's RSS Feed Read emits them for an RSS 2.0 feed. */
const RSS2 = [
	{
		title: 'TypeScript 6 released',
		link: 'https://example.com/ts6',
		pubDate: 'Mon, 30 Nov 2026 10:00:00 GMT',
		content: '<p>The <b>TypeScript</b> team…</p>',
		contentSnippet: 'The TypeScript team announced a new major version with machine learning tooling.',
		guid: 'https://example.com/ts6',
		categories: ['Programming', 'Web'],
		isoDate: '2026-11-30T10:00:00.000Z',
	},
	{
		title: 'Rust in the kernel',
		link: 'https://example.com/rust',
		contentSnippet: 'Memory safety, at last.',
		// A category with attributes: xml2js gives { _: text, $: attributes }.
		categories: [{ _: 'Systems', $: { domain: 'https://example.com/cat' } }, 'Linux, Kernel'],
	},
];

/** An Atom entry: categories carry their name in attributes. */
const ATOM = [{ title: 'Go generics in practice', link: 'https://example.com/go', summary: 'Notes on go', categories: [{ $: { term: 'golang', label: 'Go' } }] }];

const autoMapped = (items: unknown[], parameters = {}, settings = {}) =>
	runWorkflow(withPocket(withItems(loadWorkflow('auto-map'), items), { operation: 'add', ...parameters }, settings), {
		credentials: pocketCredentials(server.current),
	});

const rules = (...list: Array<[string, string]>) => ({ tagRules: { rule: list.map(([tag, matches]) => ({ tag, matches })) } });

const stored = () => server.current.liveItems().map((i) => [i.given_url, i.title, i.tags]);

describe('RSS entries as they come, in Map Input Fields Automatically mode', () => {
	test('RSS 2.0: link is the URL, title the title, categories (strings or with attributes) the tags', async () => {
		const result = await autoMapped(RSS2);
		expect(result.errorMessage).toBeUndefined();
		expect(stored()).toEqual([
			['https://example.com/ts6', 'TypeScript 6 released', ['Programming', 'Web']],
			['https://example.com/rust', 'Rust in the kernel', ['Systems', 'Linux Kernel']],
		]);
	});

	test('Atom: categories named by their term', async () => {
		expect((await autoMapped(ATOM)).errorMessage).toBeUndefined();
		expect(stored()).toEqual([['https://example.com/go', 'Go generics in practice', ['golang']]]);
	});

	test("Pocket's own field names win over the RSS ones", async () => {
		await autoMapped([{ url: 'https://example.com/own', link: 'https://example.com/feed-link', tags: 'mine', categories: ['theirs'] }]);
		expect(stored()).toEqual([['https://example.com/own', '', ['mine']]]);
	});

	test('an entry without a link is a clear per-item error; the others are still sent', async () => {
		const entries = [RSS2[0], { title: 'No link here', categories: ['x'] }];
		const failed = await autoMapped(entries);
		expect(failed.errorMessage).toBe('Item 1: URL (url) is required, but the item has neither a "url" nor an RSS "link" field');
		expect(sendCalls(server.current)).toHaveLength(0);

		const continued = await autoMapped(entries, {}, { onError: 'continueRegularOutput' });
		expect(continued.output('Pocket').map((o) => o.json.success ?? o.json.error)).toEqual([
			true,
			'Item 1: URL (url) is required, but the item has neither a "url" nor an RSS "link" field',
		]);
		expect(stored()).toHaveLength(1);
	});
});

describe('Tagging options', () => {
	test('rules match whole words and phrases in the title, categories and snippet, in any case; fixed tags join; the union is sent', async () => {
		const result = await autoMapped(RSS2, {
			tagging: {
				fixedTags: 'rss, to-read',
				...rules(['typescript', 'typescript'], ['ml', 'Machine Learning'], ['linux', 'linux'], ['go', 'go'], ['web', 'web']),
			},
		});
		expect(result.errorMessage).toBeUndefined();
		expect(stored()).toEqual([
			// Tags keep their case, as they are sent today: the rule's "web" is not the category "Web".
			['https://example.com/ts6', 'TypeScript 6 released', ['Programming', 'Web', 'rss', 'to-read', 'typescript', 'web', 'ml']],
			['https://example.com/rust', 'Rust in the kernel', ['Systems', 'Linux Kernel', 'rss', 'to-read', 'linux']],
		]);
	});

	test('words match whole: "go" does not match "Google" or "going"', async () => {
		await autoMapped([{ link: 'https://example.com/g', title: 'Google is going places' }], { tagging: rules(['go', 'go']) });
		expect(stored()).toEqual([['https://example.com/g', 'Google is going places', []]]);
	});

	test('Define Below: rules see the input item; Tags From Categories adds its categories to the Tags field', async () => {
		const workflow = withPocket(withItems(loadWorkflow('item-add'), RSS2.slice(0, 1)), {
			additionalFields: { title: '={{ $json.title }}', tags: 'picked' },
			tagging: { tagsFromCategories: true, ...rules(['ts', 'typescript']) },
		});
		expect((await runWorkflow(workflow, { credentials: pocketCredentials(server.current) })).errorMessage).toBeUndefined();
		expect(stored()).toEqual([['https://example.com/ts6', 'TypeScript 6 released', ['picked', 'Programming', 'Web', 'ts']]]);
	});

	test('an unusable rule is a configuration error before anything is sent, naming the rule', async () => {
		const failed = await autoMapped(RSS2, { tagging: rules(['ok', 'fine'], ['', 'words']) });
		expect(failed.errorMessage).toBe('The Tagging options cannot be used: Tag rule 2 has no tag');
		expect(sendCalls(server.current)).toHaveLength(0);

		const empty = await autoMapped(RSS2, { tagging: rules(['ok', ' , ,']) }, { onError: 'continueRegularOutput' });
		expect(empty.output('Pocket').map((o) => o.json.error)).toEqual([
			'Item 0: The Tagging options cannot be used: Tag rule 1 (tag "ok") has no words or phrases to match',
			'Item 1: The Tagging options cannot be used: Tag rule 1 (tag "ok") has no words or phrases to match',
		]);
		expect(sendCalls(server.current)).toHaveLength(0);
	});
});

describe('rule matching on any input (property tests)', () => {
	const text = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 400 }), fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', 'é', '9'), maxLength: 2000 }));
	const rule = fc.record({ tag: fc.string({ minLength: 1, maxLength: 8 }), matches: fc.string({ maxLength: 40 }) });

	test('never throws, and every compiled rule set matches in work linear in the number of words', () => {
		fc.assert(
			fc.property(fc.array(rule, { maxLength: 50 }), fc.array(text, { maxLength: 4 }), (list, texts) => {
				const compiled = compileRules(list);
				if (!compiled.ok) return;
				const { tags, steps, words } = countedMatch(compiled.value, texts);
				expect(steps).toBeLessThanOrEqual(words * compiled.value.depth);
				expect(matchRules(compiled.value, texts)).toEqual(tags);
			}),
			{ numRuns: 2000 },
		);
	});

	test('a tag matches exactly when its phrase occurs as consecutive whole words', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'Alpha', 'x1'), { maxLength: 30 }), (list) => {
				const compiled = compileRules([{ tag: 'ab', matches: 'alpha beta' }]);
				if (!compiled.ok) throw new Error(compiled.failure);
				const lower = list.map((w) => w.toLowerCase());
				const expected = lower.some((w, i) => w === 'alpha' && lower[i + 1] === 'beta');
				expect(matchRules(compiled.value, [list.join(' ')])).toEqual(expected ? ['ab'] : []);
			}),
		);
	});
});
