import type { FieldKey } from './fields';

/**
 * The twelve Pocket send actions, each described once: where it sits in the node's
 * resource/operation menu and which fields it takes. Everything else derives from this list.
 */

export type PocketActionName =
	| 'add'
	| 'archive'
	| 'readd'
	| 'favorite'
	| 'unfavorite'
	| 'delete'
	| 'tags_add'
	| 'tags_remove'
	| 'tags_replace'
	| 'tags_clear'
	| 'tag_rename'
	| 'tag_delete';

export type Resource = 'item' | 'tag';

export interface ActionDefinition {
	resource: Resource;
	/** n8n operation value. */
	operation: string;
	/** Operation name in the menu. */
	name: string;
	/** The action's sentence in the menu ("Add an item"), n8n's `action` wording. */
	label: string;
	description: string;
	/** The Pocket action sent on the wire. */
	action: PocketActionName;
	required: readonly FieldKey[];
	optional: readonly FieldKey[];
}

export const ACTIONS: readonly ActionDefinition[] = [
	{
		resource: 'item',
		operation: 'add',
		name: 'Add',
		label: 'Add an item',
		description: "Save a URL to the user's list",
		action: 'add',
		required: ['url'],
		optional: ['title', 'tags', 'item_id', 'ref_id', 'time'],
	},
	{
		resource: 'item',
		operation: 'archive',
		name: 'Archive',
		label: 'Archive an item',
		description: "Move an item to the user's archive",
		action: 'archive',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'unarchive',
		name: 'Unarchive',
		label: 'Unarchive an item',
		description: "Move an archived item back to the user's list (Pocket readd)",
		action: 'readd',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'favorite',
		name: 'Favorite',
		label: 'Favorite an item',
		description: 'Mark an item as a favorite',
		action: 'favorite',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'unfavorite',
		name: 'Unfavorite',
		label: 'Unfavorite an item',
		description: "Remove an item from the user's favorites",
		action: 'unfavorite',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'delete',
		name: 'Delete',
		label: 'Delete an item',
		description: "Permanently remove an item from the user's account",
		action: 'delete',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'addTags',
		name: 'Add Tags',
		label: 'Add tags to an item',
		description: 'Add one or more tags to an item, keeping its other tags',
		action: 'tags_add',
		required: ['item_id', 'tags'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'removeTags',
		name: 'Remove Tags',
		label: 'Remove tags from an item',
		description: 'Remove one or more tags from an item',
		action: 'tags_remove',
		required: ['item_id', 'tags'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'replaceTags',
		name: 'Replace Tags',
		label: 'Replace the tags of an item',
		description: 'Replace all tags of an item with the given ones',
		action: 'tags_replace',
		required: ['item_id', 'tags'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'clearTags',
		name: 'Clear Tags',
		label: 'Clear the tags of an item',
		description: 'Remove all tags from an item',
		action: 'tags_clear',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'tag',
		operation: 'rename',
		name: 'Rename',
		label: 'Rename a tag',
		description: 'Rename a tag on every item that has it',
		action: 'tag_rename',
		required: ['old_tag', 'new_tag'],
		optional: ['time'],
	},
	{
		resource: 'tag',
		operation: 'delete',
		name: 'Delete',
		label: 'Delete a tag',
		description: 'Remove a tag from every item that has it',
		action: 'tag_delete',
		required: ['tag'],
		optional: ['time'],
	},
];

export function findAction(resource: string, operation: string): ActionDefinition | undefined {
	return ACTIONS.find((a) => a.resource === resource && a.operation === operation);
}

export function findActionByName(action: string): ActionDefinition | undefined {
	return ACTIONS.find((a) => a.action === action);
}
