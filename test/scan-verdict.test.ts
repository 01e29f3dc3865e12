/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The release job's scanner step (scripts/scan-verdict.js): n8n's scanner CLI exits 0 whether
 * the package passed or not, so the step reads the verdict it prints.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { scanVerdict, PASSED, FAILED } = require('../scripts/scan-verdict') as typeof import('../scripts/scan-verdict');

const SCRIPT = path.join(__dirname, '..', 'scripts', 'scan-verdict.js');
const CLI = require.resolve('@n8n/scan-community-package/scanner/cli.mjs');

/** The installed scanner CLI's verdict lines, with the package spec filled in as it prints them. */
function cliLines() {
	const source = readFileSync(CLI, 'utf8');
	const line = (mark: string) => {
		const template = new RegExp('console\\.log\\(`(' + mark + ' Package [^`]*)`\\)').exec(source)?.[1];
		if (template === undefined) throw new Error(`the scanner CLI no longer prints a "${mark} Package" line`);
		return template.replace('${packageName}', 'n8n-nodes-pocket').replace('${result.version}', '1.2.3');
	};
	return { passed: line('✅'), failed: line('❌') };
}

/** Runs the step on a stand-in command that prints `output` and exits with `status`. */
const step = (output: string, status = 0) =>
	spawnSync(process.execPath, [SCRIPT, process.execPath, '-e', `process.stdout.write(${JSON.stringify(output)}); process.exit(${status})`], {
		encoding: 'utf8',
	});

test("its patterns match the lines the installed scanner CLI prints", () => {
	const { passed, failed } = cliLines();
	expect(passed).toMatch(PASSED);
	expect(failed).toMatch(FAILED);
	expect(passed).not.toMatch(FAILED);
	expect(failed).not.toMatch(PASSED);
});

test('reads a pass, a failure with its reason, and no verdict', () => {
	const { passed, failed } = cliLines();
	expect(scanVerdict(`${passed}\n`)).toEqual({ passed: true, reason: 'the scanner passed the package' });
	expect(scanVerdict(`${failed}\nReason: Lint errors\n\nDetails:\nnodes/x.ts: ...\n`)).toEqual({
		passed: false,
		reason: 'the scanner reported a failure: Lint errors',
	});
	expect(scanVerdict('Analysis finished\n')).toEqual({ passed: false, reason: 'the scanner printed no verdict' });
});

test('the step exits 0 on a pass and 1 on a failure, a silent run or a crashed scanner', () => {
	const { passed, failed } = cliLines();
	expect(step(`${passed}\n`).status).toBe(0);
	const failure = step(`${failed}\nReason: Package contains lint errors\n`);
	expect(failure.status).toBe(1);
	expect(failure.stdout).toContain('Reason: Package contains lint errors');
	expect(failure.stderr).toContain('the scanner reported a failure: Package contains lint errors');
	expect(step('').status).toBe(1);
	expect(step(`${passed}\n`, 3).status).toBe(1);
});

test('the release workflow runs the scanner through it', () => {
	const release = readFileSync(path.join(__dirname, '..', '.github', 'workflows', 'release.yml'), 'utf8');
	expect(release).toMatch(/^\s+run: node scripts\/scan-verdict\.js npx --yes @n8n\/scan-community-package "n8n-nodes-pocket@/m);
	expect(release).not.toMatch(/^\s+run: npx[^\n]*scan-community-package/m);
});
