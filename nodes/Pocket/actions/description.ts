import type { INodeProperties } from 'n8n-workflow';

import { maxWaitOption, timeoutOptions } from './parameters';
import type { FieldDefinition, FieldKey } from './fields';
import { FIELDS } from './fields';
import type { Resource } from '../model/operation';
import type { OperationDefinition } from './operations';
import { OPERATIONS } from './operations';
import { NODE_OPERATIONS } from './router';
import { DATA_MODE } from './send/input';
import { itemLocatorProperty } from './itemLocator';
import { TAG_LANDING_MODES } from './send/tags';
import { taggingProperty } from './taggingDescription';
import { FIRST_VERSION_ONLY, SINCE_1_1 } from './versions';

/**
 * The node's parameters, derived from the operation and field tables so that the UI can never
 * drift from what validation accepts.
 */

/** The n8n parameter for a field, without display options. */
function fieldProperty(field: FieldDefinition, required: boolean): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.param,
		type: field.type,
		default: '',
		required: required || undefined,
		description: field.description,
		...(field.placeholder === undefined ? {} : { placeholder: field.placeholder }),
	};
}

const RESOURCES: Array<{ value: Resource; name: string; description: string }> = [
	{ value: 'item', name: 'Item', description: 'A saved page in the reading list' },
	{ value: 'tag', name: 'Tag', description: 'A tag across all items of the account' },
];

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

function operationProperty(resource: Resource): INodeProperties {
	const operations = NODE_OPERATIONS.filter((o) => o.resource === resource);
	const firstOperation = operations[0].operation;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: operations
			.map((o) => ({ name: o.name, value: o.operation, description: o.description, action: o.menuLabel }))
			.sort(byName),
		default: firstOperation,
	};
}

/** Groups operations of one resource that share something, so each parameter is declared once. */
function groupBy(operations: readonly OperationDefinition[], keyOf: (o: OperationDefinition) => string[]) {
	const groups = new Map<string, { resource: Resource; operations: string[] }>();
	for (const operation of operations) {
		for (const key of keyOf(operation)) {
			const id = `${operation.resource}/${key}`;
			const group = groups.get(id) ?? { resource: operation.resource, operations: [] };
			group.operations.push(operation.operation);
			groups.set(id, group);
		}
	}
	return [...groups.entries()].map(([id, group]) => ({ key: id.slice(id.indexOf('/') + 1), ...group }));
}

const defineBelow = [DATA_MODE.define];

const dataModeProperty: INodeProperties = {
	displayName: 'Input Mode',
	name: 'dataMode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Define Below',
			value: DATA_MODE.define,
			description: 'Set each field below, with expressions if needed',
		},
		{
			name: 'Map Input Fields Automatically',
			value: DATA_MODE.autoMap,
			description:
				'Use the fields of each input item as the action, by Pocket field name. Fastest for large inputs: no expression is evaluated.',
		},
	],
	default: 'defineBelow',
};

/** Short on purpose: the field names, the action field and the RSS mapping are in the README (Input mode). */
const autoMapNotice: INodeProperties = {
	displayName:
		"Each input item's own fields are the action, by Pocket name (url, tags, title, item_id, …). Items from the RSS nodes and rows of a Pocket export work as they come. Details: README, Input mode.",
	name: 'autoMapNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { dataMode: [DATA_MODE.autoMap] } },
};

function requiredFieldProperties(): INodeProperties[] {
	return groupBy(OPERATIONS, (o) => [...o.required]).flatMap(({ key, resource, operations }) => {
		const field = FIELDS[key as FieldKey];
		const show = { resource: [resource], operation: operations, dataMode: defineBelow };
		const property = { ...fieldProperty(field, true), displayOptions: { show } };
		if (!('locator' in field)) return [property];
		// Same name in both versions: a node saved as version 1 keeps its text input and value.
		return [
			{ ...property, displayOptions: { show: { ...show, ...FIRST_VERSION_ONLY.show } } },
			itemLocatorProperty({ ...property, displayOptions: { show: { ...show, ...SINCE_1_1.show } } }),
		];
	});
}

function additionalFieldsProperties(): INodeProperties[] {
	return groupBy(OPERATIONS, (o) => [o.optional.join(',')]).map(({ key, resource, operations }) => ({
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { resource: [resource], operation: operations, dataMode: defineBelow } },
		options: key
			.split(',')
			.map((field) => fieldProperty(FIELDS[field as FieldKey], false))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	}));
}

const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Max Actions Per Call',
			name: 'maxActionsPerCall',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Largest number of actions sent in one call, for servers that limit batch size. 0 sends all items in one call.',
		},
		maxWaitOption(
			'Longest time to wait, in total, when the server asks the node to slow down (rate limit, maintenance) or refuses the connection. The call is then retried; past this time the node fails and reports when the limit resets. 0 never waits.',
		),
		{
			displayName: 'Resend After Timeout (May Apply Twice)',
			name: 'resendAfterTimeout',
			type: 'boolean',
			default: false,
			description:
				'Whether to resend a call after a timeout or a dropped connection. The server may already have applied it, so actions can run twice: harmless for add, archive and tag changes, not for tag renames that chain.',
		},
		{
			displayName: 'Save Tags',
			name: 'tagLanding',
			type: 'options',
			options: TAG_LANDING_MODES.map(({ name, value, description }) => ({ name, value, description })),
			// Plain literal: n8n's lint reads a parameter's default only from a literal.
			default: 'check',
			description:
				'How Add makes sure the tags it sends are stored: some servers accept the tags of an add and store none. Each output item says in "tags" whether its tags are confirmed.',
			displayOptions: { show: { '/operation': ['add'] } },
		},
		{
			displayName: 'Skip URLs Already Saved',
			name: 'skipExisting',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/resource': ['item'], '/operation': ['add'] } },
			description:
				'Whether to read the URLs the account already holds, once, and skip items whose URL is among them or repeats an earlier item\'s. Running an import or a feed again then adds nothing twice, even on servers that store a second copy of a URL added again. The read costs one call per 30 saved items on servers that page.',
		},
		...timeoutOptions,
	],
};

/** The operations with parameters of their own, which hide the send actions' (Get Many). */
const withOwnProperties = NODE_OPERATIONS.filter((o) => o.properties !== undefined);

/** A send action's parameter, hidden for the operations that have their own. */
const sendOnly = (property: INodeProperties): INodeProperties => ({
	...property,
	displayOptions: {
		...property.displayOptions,
		hide: { ...property.displayOptions?.hide, operation: withOwnProperties.map((o) => o.operation) },
	},
});

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES.sort(byName),
		default: 'item',
	},
	...RESOURCES.map((r) => operationProperty(r.value)),
	...[dataModeProperty, autoMapNotice].map(sendOnly),
	...requiredFieldProperties(),
	...additionalFieldsProperties(),
	taggingProperty,
	...withOwnProperties.flatMap((o) => o.properties ?? []),
	sendOnly(optionsProperty),
];
