/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * n8n's verification scanner, offline: the lint rules of @n8n/scan-community-package (its
 * exported analyser and config, see test/scan/scan-package.mjs) over what `npm pack` ships and
 * over the source files the scanner lints through the package's provenance. The scanner's CLI
 * additionally checks that the published version has npm provenance; the release workflow
 * (.github/workflows/release.yml) and its guard (scripts/release-guard.js) see to that.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

interface Finding {
	leg: 'tarball' | 'source';
	file: string;
	ruleId: string | null;
	severity: number;
	message: string;
	line: number;
}

interface Scan {
	verdicts: Array<{ leg: string; passed: boolean; message: string | null; details: string | null }>;
	findings: Finding[];
	linted: Record<Finding['leg'], number>;
}

/**
 * Warnings that are deliberate, each with the reason (n8n's verification tolerates warnings;
 * an error fails it). Anything else fails the test.
 */
const EXPLAINED: Array<{ ruleId: string; file: RegExp; message: RegExp; why: string }> = [
	{
		ruleId: '@n8n/community-nodes/credential-unnecessary-password',
		file: /credentials\/PocketApi\.credentials\.ts$/,
		message: /'consumerKey'/,
		why:
			"A Pocket consumer key is a secret: together with an access token it acts for the user, and servers issue it per application like an API key. Masking it keeps it out of screenshots and screen shares of the credential dialog; the rule's name heuristic only knows 'key' fields as secrets when they say 'api', 'secret' or 'token'.",
	},
];

let scan: Scan;
let workDir: string;

beforeAll(() => {
	workDir = mkdtempSync(path.join(tmpdir(), 'pocket-scan-'));
	// What users install: the tarball of the built package (npm test builds before jest).
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], { cwd: ROOT, encoding: 'utf8' }),
	) as Array<{ filename: string }>;
	const unpacked = path.join(workDir, 'unpacked');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(workDir, packed[0].filename), '-C', unpacked, '--strip-components=1']);
	// n8n's base lint plugin treats every file as a test file when NODE_ENV is "test".
	const env = { ...process.env };
	delete env.NODE_ENV;
	const out = execFileSync(process.execPath, [path.join(__dirname, 'scan', 'scan-package.mjs'), unpacked, ROOT], {
		cwd: ROOT,
		env,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	scan = JSON.parse(out) as Scan;
}, 120000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const explained = (f: Finding) => EXPLAINED.find((e) => e.ruleId === f.ruleId && e.file.test(f.file) && e.message.test(f.message));

test("the scanner's analyser passes both the packed tarball and the source", () => {
	expect(scan.verdicts).toEqual([
		{ leg: 'tarball', passed: true, message: null, details: null },
		{ leg: 'source', passed: true, message: null, details: null },
	]);
});

test('its rules find nothing in either leg but the explained warnings, and each explained one still applies', () => {
	// Both legs really linted the package: the built node and credential, and their sources (a
	// pattern matching nothing would pass silently).
	expect(scan.linted.tarball).toBeGreaterThan(10);
	expect(scan.linted.source).toBeGreaterThan(10);

	const { findings } = scan;
	expect(findings.filter((f) => f.severity !== 1 || !explained(f))).toEqual([]);
	// An explanation whose warning is gone is stale: remove it.
	for (const e of EXPLAINED) expect(findings.some((f) => explained(f) === e)).toBe(true);
});
