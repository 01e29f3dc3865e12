import type { Resource } from '../model/operation';
import type { FieldKey } from './fields';

/**
 * The twelve Pocket send actions, each described once as an n8n operation: where it sits in
 * the node's resource/operation menu, which Pocket action it sends and which fields it takes.
 * The UI, the validation and the README's operation table derive from this list.
 */

interface OperationSpec<Action extends string = string> {
	resource: Resource;
	/** n8n operation value. */
	operation: string;
	/** Operation name in the menu. */
	name: string;
	/** The sentence n8n shows for the operation in the nodes panel (its `action` text), e.g. "Add an item". */
	menuLabel: string;
	description: string;
	/** The Pocket send action it becomes. */
	action: Action;
	required: readonly FieldKey[];
	optional: readonly FieldKey[];
}

export const OPERATIONS = [
	{
		resource: 'item',
		operation: 'add',
		name: 'Add',
		menuLabel: 'Add an item',
		description: "Save a URL to the user's list",
		action: 'add',
		required: ['url'],
		// No item_id: the protocol deprecates it on add (it named a saved item to add again: Unarchive does that).
		optional: ['title', 'tags', 'ref_id', 'time'],
	},
	{
		resource: 'item',
		operation: 'archive',
		name: 'Archive',
		menuLabel: 'Archive an item',
		description: "Move an item to the user's archive",
		action: 'archive',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'unarchive',
		name: 'Unarchive',
		menuLabel: 'Unarchive an item',
		description: "Move an archived item back to the user's list (Pocket readd)",
		action: 'readd',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'favorite',
		name: 'Favorite',
		menuLabel: 'Favorite an item',
		description: 'Mark an item as a favorite',
		action: 'favorite',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'unfavorite',
		name: 'Unfavorite',
		menuLabel: 'Unfavorite an item',
		description: "Remove an item from the user's favorites",
		action: 'unfavorite',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'delete',
		name: 'Delete',
		menuLabel: 'Delete an item',
		description: "Permanently remove an item from the user's account",
		action: 'delete',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'addTags',
		name: 'Add Tags',
		menuLabel: 'Add tags to an item',
		description: 'Add one or more tags to an item, keeping its other tags',
		action: 'tags_add',
		required: ['item_id', 'tags'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'removeTags',
		name: 'Remove Tags',
		menuLabel: 'Remove tags from an item',
		description: 'Remove one or more tags from an item',
		action: 'tags_remove',
		required: ['item_id', 'tags'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'replaceTags',
		name: 'Replace Tags',
		menuLabel: 'Replace the tags of an item',
		description: 'Replace all tags of an item with the given ones',
		action: 'tags_replace',
		required: ['item_id', 'tags'],
		optional: ['time'],
	},
	{
		resource: 'item',
		operation: 'clearTags',
		name: 'Clear Tags',
		menuLabel: 'Clear the tags of an item',
		description: 'Remove all tags from an item',
		action: 'tags_clear',
		required: ['item_id'],
		optional: ['time'],
	},
	{
		resource: 'tag',
		operation: 'rename',
		name: 'Rename',
		menuLabel: 'Rename a tag',
		description: 'Rename a tag on every item that has it',
		action: 'tag_rename',
		required: ['old_tag', 'new_tag'],
		optional: ['time'],
	},
	{
		resource: 'tag',
		operation: 'delete',
		name: 'Delete',
		menuLabel: 'Delete a tag',
		description: 'Remove a tag from every item that has it',
		action: 'tag_delete',
		required: ['tag'],
		optional: ['time'],
	},
] as const satisfies readonly OperationSpec[];

/** A Pocket send action's name, as it goes on the wire and in an auto-mapped item's `action` field. */
export type ActionName = (typeof OPERATIONS)[number]['action'];

export type OperationDefinition = OperationSpec<ActionName>;

export function findOperation(resource: string, operation: string): OperationDefinition | undefined {
	return OPERATIONS.find((o) => o.resource === resource && o.operation === operation);
}

export function findOperationByAction(action: string): OperationDefinition | undefined {
	return OPERATIONS.find((o) => o.action === action);
}
