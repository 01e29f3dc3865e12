/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * Imports point one way: node → router → operation → shared operation code → transport → model.
 * Every import of every .ts file under nodes/ and credentials/ is read and checked against the
 * layer of the file it comes from; nothing below may import from above, and one operation's
 * folder never borrows from another's (shared things live in actions/*.ts or model/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');

const LAYERS = ['model', 'transport', 'shared operation code', 'operation', 'router', 'node'] as const;
type Layer = (typeof LAYERS)[number];

const ROUTER_FILES = new Set(['router.ts', 'description.ts']);

/** The layer of a file, by its path from the package root ("nodes/Pocket/transport/get.ts"). */
export function layerOf(file: string): Layer {
	const parts = file.split('/');
	if (parts[0] === 'credentials' || file.endsWith('.node.ts') || parts[1] === 'PocketTrigger') return 'node';
	if (parts[2] === 'model' || file === 'nodes/Pocket/result.ts') return 'model';
	if (parts[2] === 'transport') return 'transport';
	if (parts[2] === 'actions') {
		if (parts.length > 4) return 'operation';
		return ROUTER_FILES.has(parts[3]) ? 'router' : 'shared operation code';
	}
	throw new Error(`${file} has no layer: place it in one, or name its layer here`);
}

/** The operation folder a file belongs to ("getMany"), if any. */
const operationOf = (file: string) => (layerOf(file) === 'operation' ? file.split('/')[3] : undefined);

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The package files a source imports, by path from the root; packages (n8n-workflow, zod) are left out. */
export function importsOf(file: string, source: string): string[] {
	const targets: string[] = [];
	for (const match of source.matchAll(IMPORT)) {
		const specifier = match[1] ?? match[2] ?? match[3];
		if (!specifier.startsWith('.')) continue;
		targets.push(`${path.posix.join(path.posix.dirname(file), specifier)}.ts`);
	}
	return targets;
}

/** Every import that goes the wrong way, in words. */
export function wrongWayImports(sources: Record<string, string>): string[] {
	const problems: string[] = [];
	for (const [file, source] of Object.entries(sources)) {
		const from = layerOf(file);
		for (const target of importsOf(file, source)) {
			const to = layerOf(target);
			if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) problems.push(`${file} (${from}) imports ${target} (${to}), a layer above it`);
			const [mine, theirs] = [operationOf(file), operationOf(target)];
			if (mine !== undefined && theirs !== undefined && mine !== theirs) {
				problems.push(`${file} (operation ${mine}) imports ${target} of operation ${theirs}: share it through actions/*.ts or model/`);
			}
		}
	}
	return problems;
}

function sourcesUnder(dir: string, into: Record<string, string> = {}): Record<string, string> {
	for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
		const file = `${dir}/${entry.name}`;
		if (entry.isDirectory()) sourcesUnder(file, into);
		else if (entry.name.endsWith('.ts')) into[file] = readFileSync(path.join(root, file), 'utf8');
	}
	return into;
}

test('no file under nodes/ or credentials/ imports from a layer above its own', () => {
	const sources = { ...sourcesUnder('nodes'), ...sourcesUnder('credentials') };
	expect(Object.keys(sources).length).toBeGreaterThan(30);
	expect(wrongWayImports(sources)).toEqual([]);
});

test('the check finds an upward import, a borrowed operation helper and a file outside every layer', () => {
	expect(
		wrongWayImports({
			'nodes/Pocket/transport/get.ts': "import type { X } from '../actions/getMany/paging';\nimport { z } from 'zod';",
			'nodes/Pocket/actions/getMany/execute.ts': "import {\n\tholdsExpression,\n} from '../send/input';",
			'nodes/Pocket/model/item.ts': "export { describeValue } from '../actions/validation';",
		}),
	).toEqual([
		'nodes/Pocket/transport/get.ts (transport) imports nodes/Pocket/actions/getMany/paging.ts (operation), a layer above it',
		'nodes/Pocket/actions/getMany/execute.ts (operation getMany) imports nodes/Pocket/actions/send/input.ts of operation send: share it through actions/*.ts or model/',
		'nodes/Pocket/model/item.ts (model) imports nodes/Pocket/actions/validation.ts (shared operation code), a layer above it',
	]);
	expect(() => layerOf('nodes/Pocket/helpers.ts')).toThrow('has no layer');
});
