import type { INodeProperties } from 'n8n-workflow';

import { UNTAGGED } from '../../transport/get';
import { maxWaitOption, timeoutOption } from '../parameters';
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
export const GET_MANY_PARAMETERS = ['returnAll', 'limit', 'filters', 'options'] as const;

const show = { show: { resource: [GET_MANY.resource], operation: [GET_MANY.operation] } };

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
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'options',
				options: [
					{ name: 'Article', value: 'article' },
					{ name: 'Image', value: 'image' },
					{ name: 'Video', value: 'video', description: 'Videos, and articles with an embedded video' },
				],
				default: 'article',
			},
			{
				displayName: 'Domain',
				name: 'domain',
				type: 'string',
				default: '',
				placeholder: 'github.com',
				description: 'Only items from this domain or its subdomains',
			},
			{
				displayName: 'Favorite',
				name: 'favorite',
				type: 'options',
				options: [
					{ name: 'Favorites Only', value: FAVORITE.only },
					{ name: 'Non-Favorites Only', value: FAVORITE.not },
				],
				default: favoritesOnly,
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Only items whose title or URL contains this text',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Newest First', value: 'newest' },
					{ name: 'Oldest First', value: 'oldest' },
					{ name: 'Site', value: 'site', description: 'By the domain of the URL' },
					{ name: 'Title', value: 'title' },
				],
				default: 'newest',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'options',
				options: [
					{ name: 'All', value: 'all', description: 'Unread and archived items' },
					{ name: 'Archived', value: 'archive' },
					{ name: 'Unread', value: 'unread' },
				],
				default: 'unread',
			},
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				placeholder: 'read',
				description: `Only items with this tag. Enter ${UNTAGGED} for items without any tag.`,
			},
		],
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
				'Longest time in seconds to wait, in total, before reading a page again after a rate limit, maintenance, a refused connection, a timeout or a server error (reading changes nothing, so it is always safe to repeat). 0 never waits.',
			),
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: pageSize,
				description: `Items asked for in each call. ${DEFAULT_PAGE_SIZE} is accepted by every server; larger pages mean fewer calls on servers that allow them.`,
			},
			timeoutOption,
		],
	},
];
