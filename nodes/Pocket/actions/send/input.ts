import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Result } from '../../result';
import { describeValue } from '../../model/describeValue';
import { failure, success } from '../../result';
import type { FieldKey } from '../fields';
import { FIELDS } from '../fields';
import { locatedItemId } from '../itemLocator';
import type { OperationDefinition } from '../operations';
import { holdsExpression } from '../parameters';
import { findOperationByAction, OPERATIONS } from '../operations';
import type { TaggingOptions, TagRuleInput } from '../tagging';
import { categoryNames, compileRules, deriveTags } from '../tagging';
import type { PocketAction, RawFields, ValidationContext } from '../validation';
import { describeInvalid, normaliseTags, parseAction } from '../validation';
import { exportArchive, exportTags, NOT_ARCHIVED } from './exportRow';
import type { InvalidOutcome } from './output';

/**
 * From input items to validated Pocket actions: each item's raw field values, read from the
 * node's parameters (Define Below) or from the item's own JSON (Map Automatically), then
 * checked against its operation.
 */

/** n8n's own names for the two ways of giving a node its values (as in its Postgres and Google Sheets nodes). */
export const DATA_MODE = { define: 'defineBelow', autoMap: 'autoMapInputData' } as const;

const KEY_OF_PARAM = new Map(Object.values(FIELDS).map((f) => [f.param, f.key]));

/** What one input item asks for, before validation. */
interface ItemInput {
	definition: OperationDefinition;
	raw: RawFields;
	/** Auto-mapped: the item has no "url" and no RSS "link", so the URL's problem says where it looked. */
	noLink?: boolean;
	/** Auto-mapped Add: the item's field a value was read from, where it is not the Pocket field of that name. */
	readFrom?: Partial<Record<FieldKey, string>>;
	/** Auto-mapped Add: the export row's status asks for the item to end archived, or why it cannot be read. */
	archive?: Result<boolean, string>;
}

type ItemReader = (itemIndex: number) => ItemInput;

/**
 * Reads a parameter per item only when it holds an expression: a fixed value is the same for
 * every item, and n8n's per-item read costs far more than the item's own work.
 */
function parameterReader(ctx: IExecuteFunctions) {
	const parameters = ctx.getNode().parameters;
	const fixed = new Map<string, unknown>();
	return (name: string, itemIndex: number, fallback: unknown): unknown => {
		if (holdsExpression(parameters[name])) return ctx.getNodeParameter(name, itemIndex, fallback);
		if (!fixed.has(name)) fixed.set(name, ctx.getNodeParameter(name, 0, fallback));
		return fixed.get(name);
	};
}

/** Define Below: the operation's fields from the node's parameters. */
function definedFieldsReader(ctx: IExecuteFunctions, definition: OperationDefinition): ItemReader {
	const read = parameterReader(ctx);
	return (itemIndex) => {
		const raw: RawFields = {};
		for (const key of definition.required) raw[key] = locatedItemId(read(FIELDS[key].param, itemIndex, ''));
		const additional = read('additionalFields', itemIndex, {}) as IDataObject;
		for (const [param, value] of Object.entries(additional)) {
			const key = KEY_OF_PARAM.get(param);
			if (key !== undefined && definition.optional.includes(key)) raw[key] = value;
		}
		return { definition, raw };
	};
}

const isAbsent = (value: unknown) => value === undefined || value === null || value === '';

/**
 * An auto-mapped Add item as n8n's RSS nodes and a Pocket export give it, Pocket's own names
 * first: "link" is the URL without a "url", "categories" are the tags without "tags", and an
 * export row's `|`-joined tags, `time_added` (the save time, without a "time") and `status`.
 * Built as one object per item: a closure, a record of sources and a spread per item cost as
 * much as validating it.
 */
function addInput(definition: OperationDefinition, json: IDataObject): ItemInput {
	const fromLink = isAbsent(json.url) && !isAbsent(json.link);
	const url = fromLink ? json.link : json.url;
	const categories = isAbsent(json.tags) && !isAbsent(json.categories) ? categoryNames(json.categories) : undefined;
	const fromCategories = isAbsent(json.tags) && !isAbsent(categories);
	const tags = isAbsent(json.tags) ? (fromCategories ? categories : json.tags) : exportTags(json.tags);
	const fromTimeAdded = isAbsent(json.time) && !isAbsent(json.time_added);
	const time = fromTimeAdded ? json.time_added : json.time;
	// An item with its own url, tags and time serves as is (parseAction reads only the operation's keys): no copy per item.
	const raw = url === json.url && tags === json.tags && time === json.time ? json : { ...json, url, tags, time };
	const input: ItemInput = { definition, raw, noLink: isAbsent(url), archive: exportArchive(json.status) };
	if (fromLink || fromCategories || fromTimeAdded) {
		const readFrom: ItemInput['readFrom'] = {};
		if (fromLink) readFrom.url = 'link';
		if (fromCategories) readFrom.tags = 'categories';
		if (fromTimeAdded) readFrom.time = 'time_added';
		input.readFrom = readFrom;
	}
	return input;
}

const ACTION_NAMES = OPERATIONS.map((o) => o.action).join(', ');

/** Map Input Fields Automatically: the item's own JSON, by Pocket field name; no expressions. */
function autoMappedReader(ctx: IExecuteFunctions, items: INodeExecutionData[], selected: OperationDefinition): ItemReader {
	return (itemIndex) => {
		const json = items[itemIndex].json;
		let definition = selected;
		if (json.action !== undefined && json.action !== null && json.action !== '') {
			const named = typeof json.action === 'string' ? findOperationByAction(json.action.trim()) : undefined;
			if (!named) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Item ${itemIndex}: action (action) must be one of ${ACTION_NAMES} (got ${describeValue(json.action)})`,
					{ itemIndex, description: 'Remove the "action" field to use the operation selected in the node.' },
				);
			}
			definition = named;
		}
		if (definition.action === 'add') return addInput(definition, json);
		// parseAction reads only the definition's own keys, so the item's JSON serves as is.
		return { definition, raw: json };
	};
}

/** Reads each item as the node's Input Mode says; fixed parameters are read once per execution. */
export function itemReader(ctx: IExecuteFunctions, items: INodeExecutionData[], definition: OperationDefinition): ItemReader {
	const mode = ctx.getNodeParameter('dataMode', 0, DATA_MODE.define) as string;
	return mode === DATA_MODE.autoMap ? autoMappedReader(ctx, items, definition) : definedFieldsReader(ctx, definition);
}

/**
 * Item → Add's tagging options, read once per execution (not per item): undefined when none is
 * set, or why they cannot be used, before anything is sent.
 */
export function readTagging(ctx: IExecuteFunctions): Result<TaggingOptions | undefined, string> {
	const tagging = ctx.getNodeParameter('tagging', 0, {}) as IDataObject;
	const rules = ((tagging.tagRules as IDataObject | undefined)?.rule ?? []) as TagRuleInput[];
	const fixedTags = normaliseTags(tagging.fixedTags ?? '');
	if (fixedTags === undefined) return failure(`Fixed Tags must be comma-separated text (got ${describeValue(tagging.fixedTags)})`);
	const tagsFromCategories = tagging.tagsFromCategories === true;
	if (!tagsFromCategories && fixedTags.length === 0 && rules.length === 0) return success(undefined);
	const compiled = compileRules(rules);
	return compiled.ok ? success({ tagsFromCategories, fixedTags, rules: compiled.value }) : compiled;
}

/** What preparing an item needs besides the item, read once per execution. */
export interface Preparation {
	read: ItemReader;
	items: INodeExecutionData[];
	validation: ValidationContext;
	/** Item → Add's derived tags, when the node has tagging options. */
	tagging: TaggingOptions | undefined;
}

/** A valid item: its action, and whether an archive action is to follow its add. */
export interface PreparedItem {
	action: PocketAction;
	archive: boolean;
}

function invalidItem(ctx: IExecuteFunctions, itemIndex: number, field: FieldKey | undefined, message: string, description: string): InvalidOutcome {
	return { kind: 'invalid', field, error: new NodeOperationError(ctx.getNode(), message, { itemIndex, description }) };
}

/** Reads and validates one item; problems become an `invalid` outcome that names item and field. */
export function prepareItem(ctx: IExecuteFunctions, itemIndex: number, preparation: Preparation): Result<PreparedItem, InvalidOutcome> {
	const { read, items, validation, tagging } = preparation;
	try {
		const { definition, raw, noLink, readFrom, archive = NOT_ARCHIVED } = read(itemIndex);
		const fields =
			tagging && definition.action === 'add'
				? { ...raw, tags: deriveTags(raw.tags, items[itemIndex].json, raw.title ?? items[itemIndex].json.title, tagging) }
				: raw;
		const parsed = parseAction(definition, fields, validation);
		if (!parsed.ok) {
			const { field, problem } = parsed.failure;
			const from = readFrom?.[field.key];
			const invalid =
				noLink && field.key === 'url'
					? { field, problem: 'is required, but the item has neither a "url" nor an RSS "link" field' }
					: { field, problem: from === undefined ? problem : `${problem}, read from the item's "${from}" field` };
			return failure(
				invalidItem(ctx, itemIndex, field.key, describeInvalid(itemIndex, invalid), `${field.displayName}: ${field.description}. Nothing was sent for this item.`),
			);
		}
		if (!archive.ok) {
			return failure(
				invalidItem(ctx, itemIndex, undefined, `Item ${itemIndex}: status (status) ${archive.failure}`, 'An export row\'s status says whether the item ends in the list or the archive. Nothing was sent for this item.'),
			);
		}
		return success({ action: parsed.value, archive: archive.value });
	} catch (error) {
		// Expression errors and the like: keep n8n's message, but pin it to the item.
		const wrapped =
			error instanceof NodeOperationError
				? error
				: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex, message: `Item ${itemIndex}: ${(error as Error).message}` });
		return failure({ kind: 'invalid', error: wrapped });
	}
}
