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
 * Findings that are deliberate, each with the reason. Anything else fails the test. `error`
 * marks the one finding the scanner counts as an error: it makes the scanner's own verdict fail,
 * and it is an open question for n8n's verification (see docs/releasing.md).
 */
const EXPLAINED: Array<{ ruleId: string; file: RegExp; message: RegExp; why: string; error?: true }> = [
	{
		ruleId: '@n8n/community-nodes/credential-unnecessary-password',
		file: /credentials\/PocketApi\.credentials\.ts$/,
		message: /'consumerKey'/,
		why:
			"A Pocket consumer key is a secret: together with an access token it acts for the user, and servers issue it per application like an API key. Masking it keeps it out of screenshots and screen shares of the credential dialog; the rule's name heuristic only knows 'key' fields as secrets when they say 'api', 'secret' or 'token'.",
	},
	{
		ruleId: '@n8n/community-nodes/no-deprecated-workflow-functions',
		file: /(nodes\/Pocket\/transport\/credentialTest\.ts|dist\/nodes\/Pocket\/transport\/credentialTest\.js)$/,
		message: /'request' is deprecated/,
		why: "The credential Test is the node's own function (testedBy) so that it applies the node's Base URL rules before any request and speaks the node's words on every n8n version (issue 10); n8n hands a credential test function only the legacy `request` helper (CredentialTestContext, up to n8n 2.41), so there is no httpRequest to use instead. A declarative test would lose both.",
		error: true,
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

test("the scanner's analyser passes both the packed tarball and the source, but for the one explained error", () => {
	expect(scan.verdicts.map(({ leg }) => leg)).toEqual(['tarball', 'source']);
	for (const verdict of scan.verdicts) {
		if (verdict.passed) continue;
		const errors = scan.findings.filter((f) => f.leg === verdict.leg && f.severity === 2);
		expect(errors.length).toBeGreaterThan(0);
		expect(errors.filter((f) => explained(f)?.error !== true)).toEqual([]);
	}
});

test('its rules find nothing in either leg but the explained findings, and each explained one still applies', () => {
	// Both legs really linted the package: the built node and credential, and their sources (a
	// pattern matching nothing would pass silently).
	expect(scan.linted.tarball).toBeGreaterThan(10);
	expect(scan.linted.source).toBeGreaterThan(10);

	const { findings } = scan;
	expect(findings.filter((f) => !explained(f) || (f.severity !== 1 && explained(f)?.error !== true))).toEqual([]);
	// An explanation whose warning is gone is stale: remove it.
	for (const e of EXPLAINED) expect(findings.some((f) => explained(f) === e)).toBe(true);
});
