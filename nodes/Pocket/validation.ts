import type { ActionDefinition, PocketActionName } from './actions/definitions';
import type { FieldDefinition, FieldKey } from './actions/fields';
import { FIELDS, parseField } from './actions/fields';

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

/**
 * Validates one item's fields for one action, required fields first. Pure: the caller
 * decides whether an invalid item stops the run or becomes an error item.
 */
export function parseAction(definition: ActionDefinition, raw: RawFields): ParsedAction {
	const action: PocketAction = { action: definition.action };
	for (const [keys, required] of [
		[definition.required, true],
		[definition.optional, false],
	] as const) {
		for (const key of keys) {
			const value = parseField(FIELDS[key], raw[key], required);
			if (typeof value === 'object') return { ok: false, invalid: { field: FIELDS[key], problem: value.problem } };
			if (value !== undefined) action[key] = value;
		}
	}
	return { ok: true, action };
}

/** "Item 3: URL (url) must be …": names the item and both the UI label and the Pocket field. */
export function describeInvalid(itemIndex: number, invalid: InvalidField): string {
	return `Item ${itemIndex}: ${invalid.field.displayName} (${invalid.field.key}) ${invalid.problem}`;
}
