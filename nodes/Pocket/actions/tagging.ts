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
 * deep as the longest phrase. Phrases and texts are bounded (MAX_PHRASE_WORDS, MAX_TEXT_WORDS),
 * since rules may come from an expression: one entry costs at most 10,000 × 32 trie steps.
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

/** Words in the longest phrase a rule may have: a match reaches at most this far from one position. */
export const MAX_PHRASE_WORDS = 32;

/** How much of each text (title, one category, snippet) rules look at: its first characters, then its first words. */
export const MAX_TEXT_CHARS = 100_000;
export const MAX_TEXT_WORDS = 10_000;

/**
 * Marks a script writes only sometimes: Arabic harakat and tatweel, Hebrew points. Ignored, so
 * that "كتب" matches "كَتَبَ". Marks that tell words apart stay: Latin accents ("schon" is not
 * "schön"), Devanagari vowel signs ("काम" is not "कुमार").
 */
const OPTIONAL_MARKS: ReadonlyArray<readonly [number, number]> = [
	[0x0591, 0x05bd],
	[0x05bf, 0x05bf],
	[0x05c1, 0x05c2],
	[0x05c4, 0x05c5],
	[0x05c7, 0x05c7],
	[0x0610, 0x061a],
	[0x064b, 0x065f],
	[0x0670, 0x0670],
];

const withoutOptionalMarks = (mark: string) => {
	const code = mark.codePointAt(0) ?? 0;
	return OPTIONAL_MARKS.some(([from, to]) => code >= from && code <= to) ? '' : mark;
};

/**
 * The text as rules compare it: NFKC (so "café" written with a combining accent, or "ﬁ", is
 * the same text), lower-cased with the full case foldings JavaScript's toLowerCase lacks
 * ("ß" is "ss", a final "ς" is "σ", "İ" is "i"), without optional marks.
 */
function foldText(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/i\u0307/g, 'i')
		.replace(/ß/g, 'ss')
		.replace(/ς/g, 'σ')
		.replace(/\p{M}/gu, withoutOptionalMarks)
		.replace(/\u0640/g, '')
		.normalize('NFC');
}

const SEGMENTER = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * Characters that only separate words: spaces, dashes, brackets, quotes, connectors and the
 * sentence punctuation of any script. Any other character between words ("+", "#", ".", "&")
 * is a symbol: a word of its own, so that "c++" is not the word "c".
 */
const SEPARATOR = /[\p{White_Space}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Pc},;:!?¡¿'"/\\|…·、。，；：！？]/u;

/**
 * Punctuation Unicode keeps inside a word ("node.js", "github.com", "don't"): split there too, so
 * that the rule "node" finds "Node.js"; both rule and text are split alike, so "node.js" still
 * matches "Node.js" as a phrase.
 */
const INSIDE_WORD = /([.'\u2019])/u;

/**
 * Pieces of a text short enough for Intl.Segmenter, which slows down on long strings (100,000
 * characters in one string took seconds; the same in short pieces, milliseconds): the runs
 * between spaces, where no word can cross, and runs of spaceless scripts cut every CHUNK
 * characters, never inside a character or before a combining mark.
 */
const CHUNK = 256;

function* pieces(text: string): Generator<string> {
	for (const [run] of text.matchAll(/\S+/gu)) {
		let start = 0;
		while (run.length - start > CHUNK) {
			let end = start + CHUNK;
			while (end > start + 1 && /[\p{M}\uDC00-\uDFFF]/u.test(run[end])) end--;
			yield run.slice(start, end);
			start = end;
		}
		yield run.slice(start);
	}
}

/**
 * Each piece's words, remembered: natural text repeats its words, and the segmenter costs
 * microseconds per word. Bounded; forgotten whole when full.
 */
const pieceWords = new Map<string, readonly string[]>();
const MAX_REMEMBERED = 50_000;

function wordsOfPiece(piece: string): readonly string[] {
	let list = pieceWords.get(piece);
	if (list === undefined) {
		const found: string[] = [];
		for (const { segment, isWordLike } of SEGMENTER.segment(piece)) {
			if (isWordLike) {
				for (const part of segment.split(INSIDE_WORD)) if (part !== '' && !SEPARATOR.test(part)) found.push(part);
			}
			else for (const char of segment) if (!SEPARATOR.test(char)) found.push(char);
		}
		if (pieceWords.size >= MAX_REMEMBERED) pieceWords.clear();
		pieceWords.set(piece, found);
		list = found;
	}
	return list;
}

/**
 * The words of a text as rules compare them: words as Unicode segments them (combining marks
 * stay in their word, scripts without spaces are split into words), and symbols one by one.
 * At most `limit` of them, read from the text's first MAX_TEXT_CHARS characters.
 */
export function words(text: string, limit = Number.POSITIVE_INFINITY): string[] {
	const list: string[] = [];
	for (const piece of pieces(foldText(text.slice(0, MAX_TEXT_CHARS)))) {
		list.push(...wordsOfPiece(piece));
		if (list.length >= limit) return list.slice(0, limit);
	}
	return list;
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
			.map((phrase) => words(phrase))
			.filter((phrase) => phrase.length > 0);
		if (phrases.length === 0) return failure(`Tag rule ${index + 1} (tag "${tag}") has no words or phrases to match`);
		const tooLong = phrases.find((phrase) => phrase.length > MAX_PHRASE_WORDS);
		if (tooLong) return failure(`Tag rule ${index + 1} (tag "${tag}"): a phrase has ${tooLong.length} words; at most ${MAX_PHRASE_WORDS} are matched`);
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
		const list = words(text, MAX_TEXT_WORDS);
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
