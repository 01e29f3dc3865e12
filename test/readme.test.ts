/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The README's operation table is generated from the action definitions, like the UI and the
 * validation, so the docs cannot drift. Regenerate with: UPDATE_README=1 npx jest test/readme.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { FieldKey } from '../nodes/Pocket/actions/fields';
import { FIELDS } from '../nodes/Pocket/actions/fields';
import { OPERATIONS } from '../nodes/Pocket/actions/operations';

const README = path.join(__dirname, '..', 'README.md');
const START = '<!-- operations:start (generated from nodes/Pocket/actions) -->';
const END = '<!-- operations:end -->';

function fieldList(keys: readonly FieldKey[]): string {
	if (keys.length === 0) return '–';
	return keys.map((k) => `${FIELDS[k].displayName} (\`${k}\`)`).join(', ');
}

function operationsTable(): string {
	const rows = OPERATIONS.map(
		(a) =>
			`| ${a.resource === 'item' ? 'Item' : 'Tag'} | ${a.name} | \`${a.action}\` | ${a.description} | ${fieldList(a.required)} | ${fieldList(a.optional)} |`,
	);
	const fields = Object.values(FIELDS).map((f) => `| ${f.displayName} | \`${f.key}\` | ${f.description} |`);
	return [
		'| Resource | Operation | Pocket action | What it does | Required fields | Additional fields |',
		'|---|---|---|---|---|---|',
		...rows,
		'',
		'| Field | Pocket name (and auto-map key) | Accepts |',
		'|---|---|---|',
		...fields,
	].join('\n');
}

test('the README lists every operation and field as the node defines them', () => {
	const readme = readFileSync(README, 'utf8');
	const generated = `${START}\n${operationsTable()}\n${END}`;
	const current = readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length);
	if (process.env.UPDATE_README) {
		writeFileSync(README, readme.replace(current, generated));
		return;
	}
	expect(current).toBe(generated);
});
