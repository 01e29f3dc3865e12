import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { UNTAGGED } from '../../transport/get';
import { maxWaitOption, timeoutOptions } from '../parameters';
import { FIRST_VERSION_ONLY, SINCE_1_1 } from '../versions';
import { FAVORITE } from './filters';
import { DEFAULT_PAGE_SIZE } from './paging';

/**
 * Item → Get Many: the one operation that reads (`/get`) rather than sends. Its menu entry
 * sits beside the send operations; its parameters follow n8n's conventions for reading
 * operations (Return All / Limit, a Filters collection, an Options collection).
 */

export const GET_MANY = {
	resource: 'item',
	operation: 'getAll',
	name: 'Get Many',
	menuLabel: 'Get many items',
	description: 'Get many saved items, filtered by state, favorite, tag, type, text, domain or change time',
} as const;

/** The parameters Get Many reads: when none holds an expression, the node reads once per execution. */
export const GET_MANY_PARAMETERS = ['returnAll', 'limit', 'filters', 'sort', 'simplify', 'options'] as const;

/** A filter that takes one of a few values, each given as [name, value] or [name, value, description]. */
function choiceFilter(displayName: string, name: string, defaultValue: string, choices: Array<[string, string, string?]>): INodeProperties {
	const options: INodePropertyOptions[] = choices.map(([label, value, description]) => ({ name: label, value, ...(description ? { description } : {}) }));
	return { displayName, name, type: 'options', options, default: defaultValue };
}

const show = { show: { resource: [GET_MANY.resource], operation: [GET_MANY.operation] } };
const showSince11 = { show: { ...show.show, ...SINCE_1_1.show } };

const SORT_ORDERS: Array<[string, string, string?]> = [
	['By Site', 'site', 'By the domain of the URL'],
	['By Title', 'title'],
	['Newest First', 'newest'],
	['Oldest First', 'oldest'],
];

// Plain names: n8n's lint reads a parameter's default only from a literal or a name.
const favoritesOnly = FAVORITE.only;
const pageSize = DEFAULT_PAGE_SIZE;

export const getManyProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show.show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Changed Since',
				name: 'changedSince',
				type: 'dateTime',
				default: '',
				description: 'Only items saved, archived, favorited, tagged or deleted at or after this time',
			},
			choiceFilter('Content Type', 'contentType', 'article', [['Article', 'article'], ['Image', 'image'], ['Video', 'video', 'Videos, and articles with an embedded video']]),
			{
				displayName: 'Domain',
				name: 'domain',
				type: 'string',
				default: '',
				placeholder: 'e.g. github.com',
				description: 'Only items from this domain or its subdomains',
			},
			choiceFilter('Favorite', 'favorite', favoritesOnly, [['Favorites Only', FAVORITE.only], ['Non-Favorites Only', FAVORITE.not]]),
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. rust',
				description: 'Only items whose title or URL contains this text',
			},
			// Nodes saved as version 1 keep Sort here; from 1.1 it has its own collection.
			{ ...choiceFilter('Sort', 'sort', 'newest', SORT_ORDERS), displayOptions: FIRST_VERSION_ONLY },
			choiceFilter('State', 'state', 'unread', [['All', 'all', 'Unread and archived items'], ['Archived', 'archive'], ['Unread', 'unread']]),
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				placeholder: 'e.g. read',
				description: `Only items with this tag. Enter ${UNTAGGED} for items without any tag.`,
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort Order',
		default: {},
		displayOptions: showSince11,
		options: [{ ...choiceFilter('Order', 'order', 'newest', SORT_ORDERS), description: 'The order the server returns the items in' }],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: showSince11,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			maxWaitOption(
				'Longest time to wait, in total, before reading a page again after a rate limit, maintenance, a refused connection, a timeout or a server error (reading changes nothing, so it is always safe to repeat). 0 never waits.',
			),
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: pageSize,
				description: `Items asked for in each call. ${DEFAULT_PAGE_SIZE} is accepted by every server; larger pages mean fewer calls on servers that allow them.`,
			},
			{
				displayName: 'Return Unchecked Items',
				name: 'returnUnchecked',
				type: 'boolean',
				default: false,
				description:
					'Whether to return items a filter could not be checked on (a server that sends no tags cannot show which items have a tag), each marked in "unchecked". Off: such a read stops with an error, since items that may not match are unsafe to archive or delete.',
			},
			...timeoutOptions,
		],
	},
];
