import type { INodeProperties } from 'n8n-workflow';

/** Item → Add's tagging options (tagging.ts), in either input mode. */
export const taggingProperty: INodeProperties = {
	displayName: 'Tagging',
	name: 'tagging',
	type: 'collection',
	placeholder: 'Add Tagging Option',
	default: {},
	displayOptions: { show: { resource: ['item'], operation: ['add'] } },
	options: [
		{
			displayName: 'Fixed Tags',
			name: 'fixedTags',
			type: 'string',
			default: '',
			placeholder: 'e.g. rss, to-read',
			description: 'Tags added to every item, comma-separated',
		},
		{
			displayName: 'Tag Rules',
			name: 'tagRules',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Rule',
			description:
				'Tag an item when its title, its categories or its text snippet mention given words or phrases (whole words, any case and Unicode spelling; the first 10,000 words of each text are read)',
			options: [
				{
					displayName: 'Rule',
					name: 'rule',
					values: [
						{
							displayName: 'Tag',
							name: 'tag',
							type: 'string',
							default: '',
							placeholder: 'e.g. ai',
							description: 'The tag to add when the rule matches',
						},
						{
							displayName: 'When It Mentions',
							name: 'matches',
							type: 'string',
							default: '',
							placeholder: 'e.g. machine learning, LLM, neural network',
							description:
								'Words or phrases, comma-separated, at most 32 words each. A phrase matches its words in a row, as whole words, in any case: "type script" matches "Type-Script" but not "typescripts". Symbols count: "c++" does not match "Vitamin C".',
						},
					],
				},
			],
		},
		{
			displayName: 'Tags From Categories',
			name: 'tagsFromCategories',
			type: 'boolean',
			default: false,
			description:
				"Whether to add the input item's categories (an RSS entry's, as n8n's RSS nodes give them) to its tags, also when it has its own tags",
		},
	],
};
