import type { INodeProperties } from 'n8n-workflow';
import { isResourceLocatorValue } from 'n8n-workflow';

/**
 * Item ID as n8n's resource locator: picked from a list searched through /get, typed as an ID,
 * or pasted as the item's link in a reader app. Its value is an object ({ __rl, mode, value });
 * nodes saved as version 1, expressions and auto-mapped items give the ID itself, and both are read.
 */

/** The node's listSearch method behind From List. */
export const SEARCH_ITEMS = 'searchItems';

/** A link whose last path segment is the item's ID, as Pocket's were: https://getpocket.com/read/229279689. */
const ITEM_LINK = /^\s*https?:\/\/[^/?#\s]+\/(?:[^?#\s]*\/)?(\d+)\/?(?:[?#]\S*)?\s*$/i;

/**
 * The item ID a parameter's value names: the ID itself for a plain value or the list and ID
 * modes, the link's last segment for By URL. A link without one stays as given, so validation
 * names the field and shows the value.
 */
export function locatedItemId(value: unknown): unknown {
	if (!isResourceLocatorValue(value)) return value;
	if (value.mode === 'url' && typeof value.value === 'string') return ITEM_LINK.exec(value.value)?.[1] ?? value.value;
	return value.value;
}

/** The Item ID parameter of node version 1.1, in the place of the field's plain text input. */
export function itemLocatorProperty({ displayName, name, required, displayOptions }: INodeProperties): INodeProperties {
	return {
		displayName,
		name,
		required,
		displayOptions,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: 'The saved item: pick it from the list (search by title or URL), or give its ID or its link',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an item...',
				typeOptions: { searchListMethod: SEARCH_ITEMS, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 229279689',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'An item ID is a number, e.g. 229279689' } }],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://getpocket.com/read/229279689',
				validation: [
					{ type: 'regex', properties: { regex: ITEM_LINK.source, errorMessage: "Not an item's link: it ends in the item's ID, e.g. https://getpocket.com/read/229279689" } },
				],
			},
		],
	};
}
