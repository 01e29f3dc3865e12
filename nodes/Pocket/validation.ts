import { z } from 'zod';

import type { ActionDefinition, PocketActionName } from './actions/definitions';
import { ACTIONS } from './actions/definitions';
import type { FieldDefinition, FieldKey } from './actions/fields';
import { FIELDS, fieldSchema } from './actions/fields';

/** A validated action, exactly as it goes on the wire. */
export type PocketAction = { action: PocketActionName } & Partial<Record<FieldKey, string>>;

/** The raw values of one item, keyed by Pocket field name, before validation. */
export type RawFields = Partial<Record<FieldKey, unknown>>;

export interface InvalidField {
	field: FieldDefinition;
	/** The problem, phrased to follow the field's name. */
	problem: string;
}

export type ParsedAction = { ok: true; action: PocketAction } | { ok: false; invalid: InvalidField };

function actionSchema(definition: ActionDefinition) {
	const shape: Partial<Record<FieldKey, z.ZodType<string | undefined, z.ZodTypeDef, unknown>>> = {};
	for (const key of definition.required) shape[key] = fieldSchema(FIELDS[key], true);
	for (const key of definition.optional) shape[key] = fieldSchema(FIELDS[key], false);
	return z.object(shape as Record<FieldKey, z.ZodType<string | undefined, z.ZodTypeDef, unknown>>);
}

/** Built once per action at load time, not per item. */
const SCHEMAS = new Map(ACTIONS.map((definition) => [definition, actionSchema(definition)]));

/**
 * Validates one item's fields for one action. Pure: the caller decides whether an invalid
 * item stops the run or becomes an error item.
 */
export function parseAction(definition: ActionDefinition, raw: RawFields): ParsedAction {
	const schema = SCHEMAS.get(definition) ?? actionSchema(definition);
	const result = schema.safeParse(raw);
	if (!result.success) {
		const issue = result.error.issues[0];
		const key = issue.path[0] as FieldKey;
		return { ok: false, invalid: { field: FIELDS[key], problem: issue.message } };
	}
	const action: PocketAction = { action: definition.action };
	for (const [key, value] of Object.entries(result.data) as Array<[FieldKey, string | undefined]>) {
		if (value !== undefined) action[key] = value;
	}
	return { ok: true, action };
}

/** "Item 3: URL (url) must be …": names the item and both the UI label and the Pocket field. */
export function describeInvalid(itemIndex: number, invalid: InvalidField): string {
	return `Item ${itemIndex}: ${invalid.field.displayName} (${invalid.field.key}) ${invalid.problem}`;
}
