import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { pollPocket } from './poll';

export class PocketTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pocket Trigger',
		name: 'pocketTrigger',
		icon: { light: 'file:../Pocket/pocket.svg', dark: 'file:../Pocket/pocket.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when items are saved, archived, favorited or tagged on a Pocket-compatible server',
		defaults: { name: 'Pocket Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pocketApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [
					{ name: 'Item Archived', value: 'itemArchived', description: 'An item is moved to the archive' },
					{ name: 'Item Favorited', value: 'itemFavorited', description: 'An item is marked as a favorite' },
					{ name: 'Item Saved', value: 'itemSaved', description: 'An item is added to the list' },
					{ name: 'Item Tagged', value: 'itemTagged', description: 'An item gets a tag: the one below, or any' },
				],
				default: 'itemSaved',
				required: true,
			},
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				placeholder: 'e.g. read',
				description: 'Only when an item gets this tag. Leave empty for any tag.',
				displayOptions: { show: { event: ['itemTagged'] } },
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollPocket(this);
	}
}
