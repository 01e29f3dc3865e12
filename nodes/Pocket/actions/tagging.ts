import type { IDataObject } from 'n8n-workflow';

import type { Result } from '../result';
import { failure, success } from '../result';

/**
 * Tags for Item → Add that the node derives itself: an RSS entry's categories, fixed tags for
 * every item, and rules that tag an entry when its title, categories or text snippet contain
 * given words or phrases. Pure functions; the rules are compiled once per execution.
 *
 * Rules are words and phrases, not regular expressions: JavaScript cannot stop a regular
 * expression that backtracks for minutes, and a package with no runtime dependencies has no
 * safe engine to run a user's pattern. Word matching is linear in the text: the text is split
 * into words once, and each position is compared with a trie of the rules' phrases, at most as
 * deep as the longest phrase.
 */

/** One rule as the user wrote it: the tag, and the words or phrases (comma-separated) that trigger it. */
export interface TagRuleInput {
	tag: string;
	matches: string;
}

interface TrieNode {
	next: Map<string, TrieNode>;
	/** Tags of the phrases that end here. */
	tags: string[];
}

export interface CompiledRules {
	root: TrieNode;
	/** Words in the longest phrase: how far a match can reach from one position. */
	depth: number;
}

/** What Add derives tags from, read once per execution. */
export interface TaggingOptions {
	tagsFromCategories: boolean;
	fixedTags: string[];
	rules: CompiledRules;
}

/** Letters and digits in any script; everything else separates words. */
const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
	return text.toLowerCase().match(WORD) ?? [];
}

/** Builds the trie of every rule's phrases; an empty tag or a rule without words is a configuration error. */
export function compileRules(rules: readonly TagRuleInput[]): Result<CompiledRules, string> {
	const root: TrieNode = { next: new Map(), tags: [] };
	let depth = 0;
	for (const [index, rule] of rules.entries()) {
		const tag = String(rule.tag ?? '').trim();
		if (tag === '') return failure(`Tag rule ${index + 1} has no tag`);
		if (tag.includes(',')) return failure(`Tag rule ${index + 1}: the tag "${tag}" contains a comma, which the protocol uses between tags`);
		const phrases = String(rule.matches ?? '')
			.split(',')
			.map(words)
			.filter((phrase) => phrase.length > 0);
		if (phrases.length === 0) return failure(`Tag rule ${index + 1} (tag "${tag}") has no words or phrases to match`);
		for (const phrase of phrases) {
			let node = root;
			for (const word of phrase) {
				let child = node.next.get(word);
				if (!child) {
					child = { next: new Map(), tags: [] };
					node.next.set(word, child);
				}
				node = child;
			}
			if (!node.tags.includes(tag)) node.tags.push(tag);
			depth = Math.max(depth, phrase.length);
		}
	}
	return success({ root, depth });
}

/**
 * The matching, with its work counted: trie steps taken and words read. The steps never exceed
 * words × depth, which the property tests check: linear in the text for a given set of rules.
 */
export function countedMatch(rules: CompiledRules, texts: readonly string[]): { tags: string[]; steps: number; words: number } {
	const found = new Set<string>();
	let steps = 0;
	let count = 0;
	for (const text of texts) {
		const list = words(text);
		count += list.length;
		for (let start = 0; start < list.length; start++) {
			let node: TrieNode | undefined = rules.root;
			for (let i = start; i < list.length && i - start < rules.depth; i++) {
				steps++;
				node = node.next.get(list[i]);
				if (!node) break;
				for (const tag of node.tags) found.add(tag);
			}
		}
	}
	return { tags: [...found], steps, words: count };
}

/** The tags of every rule whose word or phrase occurs, as whole words, in one of the texts. */
export function matchRules(rules: CompiledRules, texts: readonly string[]): string[] {
	return rules.depth === 0 ? [] : countedMatch(rules, texts).tags;
}

/** The keys an entry's name may sit under, in the shapes feed parsers produce. */
const NAME_KEYS = ['name', '_', 'term', 'label', '#text', 'text', 'value'];

function categoryName(category: unknown): string | undefined {
	if (typeof category === 'string' || typeof category === 'number') return String(category);
	if (typeof category !== 'object' || category === null || Array.isArray(category)) return undefined;
	const object = category as IDataObject;
	for (const key of NAME_KEYS) {
		const value = object[key];
		if (typeof value === 'string' || typeof value === 'number') return String(value);
	}
	// RSS attributes as xml2js gives them: { $: { term, label } } (Atom) or { _: text, $: {...} }.
	return object.$ === undefined ? undefined : categoryName(object.$);
}

/**
 * An entry's categories as names: RSS 2.0 gives strings, or `{ _: name, $: attributes }` when
 * a category has attributes; Atom gives `{ $: { term, label } }`; some feeds give a single
 * category instead of a list. Commas inside a name become spaces: the protocol separates tags
 * with commas.
 */
export function categoryNames(value: unknown): string[] {
	const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
	const names: string[] = [];
	for (const category of list) {
		const name = categoryName(category)?.replace(/\s*,\s*/g, ' ').trim();
		if (name) names.push(name);
	}
	return names;
}

/** The texts of an entry that rules look at: its title, its categories, and its snippet where present. */
export function entryTexts(entry: IDataObject, title: unknown): string[] {
	const snippet = entry.contentSnippet ?? entry.summary ?? entry.description;
	return [title, ...categoryNames(entry.categories), snippet].filter((t): t is string => typeof t === 'string' && t !== '');
}

/**
 * The tags Add sends for one entry: its own tags first, then its categories (when asked), the
 * fixed tags and the tags of matching rules. Normalised later with every other tags value.
 */
export function deriveTags(own: unknown, entry: IDataObject, title: unknown, options: TaggingOptions): unknown {
	const derived = [
		...(options.tagsFromCategories ? categoryNames(entry.categories) : []),
		...options.fixedTags,
		...matchRules(options.rules, entryTexts(entry, title)),
	];
	if (derived.length === 0) return own;
	const base = own === undefined || own === null || own === '' ? [] : Array.isArray(own) ? own : [own];
	return [...base, ...derived];
}
