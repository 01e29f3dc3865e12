/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/** What users install: the packed tarball holds only what n8n needs, and nothing runs at install. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.join(__dirname, '..');

test('npm pack holds the built node, credential, icons, codex, README, LICENSE, package.json and index.js only', () => {
	const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{
		files: Array<{ path: string }>;
	}>;
	const files = pack.files.map((f) => f.path).sort();
	expect(files).toEqual(
		expect.arrayContaining([
			'LICENSE',
			'README.md',
			'index.js',
			'package.json',
			'dist/credentials/PocketApi.credentials.js',
			'dist/nodes/Pocket/Pocket.node.js',
			'dist/nodes/Pocket/Pocket.node.json',
			'dist/nodes/PocketTrigger/PocketTrigger.node.js',
			'dist/nodes/PocketTrigger/PocketTrigger.node.json',
			'dist/nodes/Pocket/pocket.svg',
			'dist/nodes/Pocket/pocket.dark.svg',
		]),
	);
	for (const file of files) expect(file).toMatch(/^(LICENSE|README\.md|index\.js|package\.json|dist\/(nodes|credentials)\/.*\.(js|json|svg))$/);
});

test('package.json: n8n block points at built files, no runtime dependencies, no install scripts', () => {
	const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
	expect(pkg.dependencies).toBeUndefined();
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) expect(pkg.scripts[hook]).toBeUndefined();
	// Its one hook never runs when a user installs the package: prepublishOnly guards `npm publish`.
	expect(Object.keys(pkg.scripts).filter((name) => /^pre|^post/.test(name))).toEqual(['prepublishOnly']);
	expect(pkg.scripts.prepublishOnly).toBe('node scripts/release-guard.js');
	// index.js is the CommonJS entry a plain require() reaches, so it is loaded that way.
	const entry = createRequire(__filename)(path.join(root, 'index.js')) as { nodes: Array<{ name: string }>; credentials: Array<{ name: string }> };
	expect(entry.nodes.map((n) => n.name)).toEqual(['Pocket', 'PocketTrigger']);
	expect(entry.credentials.map((c) => c.name)).toEqual(['PocketApi']);
	expect(pkg.n8n).toEqual({
		n8nNodesApiVersion: 1,
		strict: true,
		credentials: ['dist/credentials/PocketApi.credentials.js'],
		nodes: ['dist/nodes/Pocket/Pocket.node.js', 'dist/nodes/PocketTrigger/PocketTrigger.node.js'],
	});
});
