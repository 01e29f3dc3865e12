// @ts-check
'use strict';
/**
 * What each benchmark configuration (bench/measure.js) runs: the items pinned on the Manual
 * Trigger and the node under test after it.
 */

/**
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('./measure').Config} Config
 * @typedef {import('./measure').MeasureRequest} MeasureRequest
 */

/** The node under test's name. */
const TARGET = 'Target';

/** Where the measured items point; a warm-up execution's items point elsewhere, so they are other items. */
const SITE = 'https://example.com';
const WARM_UP_SITE = 'https://warm-up.example.com';

/**
 * The same add actions for every configuration.
 * @param {number} n
 * @param {string} [site]
 */
function makeActions(n, site = SITE) {
	/** @type {Array<{ url: string, tags: string, title: string }>} */
	const actions = new Array(n);
	for (let i = 0; i < n; i++) {
		actions[i] = { url: `${site}/${i}`, tags: `t${i % 5},bench`, title: `Item ${i}` };
	}
	return actions;
}

/** Words the RSS entries and the rules are made of: each rule matches about one entry in ten. */
const VOCABULARY = Array.from({ length: 500 }, (_, i) => `word${i}`);

/** 50 rules of one to three words, as a user auto-tagging a few feeds might write them. */
const RULES = Array.from({ length: 50 }, (_, r) => ({
	tag: `topic-${r}`,
	matches: [VOCABULARY[r * 7], `${VOCABULARY[r * 3 + 1]} ${VOCABULARY[r * 3 + 2]}`, `${VOCABULARY[r]} ${VOCABULARY[r + 1]} ${VOCABULARY[r + 2]}`].join(', '),
}));

/**
 * N entries as n8n's RSS Feed Read gives them: link, title, categories (one with attributes)
 * and a 40-word snippet.
 * @param {number} n
 * @param {string} site
 */
function makeEntries(n, site) {
	const word = (/** @type {number} */ k) => VOCABULARY[k % VOCABULARY.length];
	return Array.from({ length: n }, (_, i) => ({
		link: `${site}/entry/${i}`,
		title: `Entry ${i}: ${word(i * 13)} and ${word(i * 17)} ${word(i * 17 + 1)}`,
		categories: ['News', { _: `Section ${i % 7}`, $: { domain: 'https://example.com/sections' } }],
		contentSnippet: Array.from({ length: 40 }, (_, k) => word(i * 31 + k * 11)).join(' '),
		isoDate: '2026-11-30T10:00:00.000Z',
	}));
}

/**
 * The items pinned on the Manual Trigger for a configuration: one empty item for Get Many (it
 * reads N items), RSS entries for the rules, the same add actions for the others.
 * @param {MeasureRequest} msg
 * @param {boolean} [warmUp] the items of the warm-up execution (--warm)
 * @returns {object[]}
 */
function pinnedItems(msg, warmUp = false) {
	if (msg.config === 'get-many') return [{}];
	const site = warmUp ? WARM_UP_SITE : SITE;
	return msg.config === 'rss-rules' ? makeEntries(msg.n, site) : makeActions(msg.n, site);
}

/**
 * The node under test, after a Manual Trigger that has the N items pinned.
 * @param {MeasureRequest} msg
 * @param {{ pocket: number, httpRequest: number }} versions each node's default version: what a user
 *   dragging it onto the canvas gets, so the benchmark measures what users run
 * @returns {INode}
 */
function targetNode(msg, versions) {
	/** @type {Partial<Record<Config, import('n8n-workflow').INodeParameters>>} */
	const pocketParameters = {
		'pocket-define': {
			resource: 'item',
			operation: 'add',
			dataMode: 'defineBelow',
			url: '={{ $json.url }}',
			additionalFields: { tags: '={{ $json.tags }}', title: '={{ $json.title }}' },
			options: {},
		},
		'pocket-automap': { resource: 'item', operation: 'add', dataMode: 'autoMapInputData', options: {} },
		'get-many': { resource: 'item', operation: 'getAll', returnAll: true, filters: {}, options: {} },
		'rss-rules': {
			resource: 'item',
			operation: 'add',
			dataMode: 'autoMapInputData',
			tagging: { fixedTags: 'rss', tagsFromCategories: true, tagRules: { rule: RULES } },
			options: {},
		},
	};
	const parameters = pocketParameters[msg.config];
	if (parameters) {
		return {
			id: 'target',
			name: TARGET,
			type: 'n8n-nodes-pocket.pocket',
			typeVersion: versions.pocket,
			position: [200, 0],
			parameters,
			credentials: { pocketApi: { id: 'bench', name: 'Pocket bench' } },
		};
	}
	if (msg.config === 'http-request') {
		return {
			id: 'target',
			name: TARGET,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: versions.httpRequest,
			position: [200, 0],
			parameters: {
				method: 'POST',
				url: msg.sendUrl,
				authentication: 'none',
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				// What a user without this package writes: the send body as JSON with expressions.
				jsonBody:
					`={ "consumer_key": ${JSON.stringify(msg.consumerKey)}, "access_token": ${JSON.stringify(msg.accessToken)}, ` +
					'"actions": [ { "action": "add", "url": "{{ $json.url }}", "tags": "{{ $json.tags }}", "title": "{{ $json.title }}" } ] }',
				options: {},
			},
		};
	}
	throw new Error(`unknown configuration ${msg.config}`);
}

module.exports = { TARGET, WARM_UP_SITE, makeActions, pinnedItems, targetNode };
