/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * scripts/prepare.js decides on every `npm test` and `npm start` whether the dev dependencies
 * need `npm ci`: on a fresh clone and after a lockfile change yes, right after .ci/run's own
 * `npm ci` no.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { staleDependencies } from '../scripts/prepare';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'pocket-prepare-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** package-lock.json, and what npm recorded in node_modules/.package-lock.json when it installed. */
function setUp(wanted: Record<string, object>, installed?: Record<string, object>) {
	writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ packages: { '': {}, ...wanted } }));
	if (!installed) return;
	mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
	writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: installed }));
}

test('a fresh clone (no node_modules) needs npm ci', () => {
	setUp({ 'node_modules/jest': { version: '29.7.0' } });
	expect(staleDependencies(dir)).toBe('node_modules is missing');
});

test('installed as locked: nothing to do, platform-specific optional packages may be absent', () => {
	const wanted = {
		'node_modules/jest': { version: '29.7.0' },
		'node_modules/a/node_modules/b': { version: '1.0.0' },
		'node_modules/@esbuild/darwin-arm64': { version: '0.25.0', optional: true },
		'node_modules/fsevents': { version: '2.3.3', devOptional: true },
	};
	setUp(wanted, { 'node_modules/jest': { version: '29.7.0' }, 'node_modules/a/node_modules/b': { version: '1.0.0' } });
	expect(staleDependencies(dir)).toBeUndefined();
});

test('a lockfile that changed since the install (a pull) needs npm ci', () => {
	setUp({ 'node_modules/jest': { version: '29.7.0' }, 'node_modules/a/node_modules/b': { version: '1.1.0' } }, {
		'node_modules/jest': { version: '29.7.0' },
		'node_modules/a/node_modules/b': { version: '1.0.0' },
	});
	expect(staleDependencies(dir)).toBe('b 1.1.0 is not installed');
	setUp({ 'node_modules/new-dep': { version: '2.0.0' } }, {});
	expect(staleDependencies(dir)).toBe('new-dep 2.0.0 is not installed');
});
