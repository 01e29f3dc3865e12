/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The release path: scripts/release-guard.js (prepublishOnly) refuses a publish that n8n
 * could not verify, above all while package.json still names the placeholder repository; and
 * the README that npm shows has no link npm cannot resolve.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PLACEHOLDER, releaseProblems } from '../scripts/release-guard';
import { rawFilesUrl, repositoryWebUrl } from '../scripts/set-repository';

const ROOT = path.join(__dirname, '..');
const GUARD = path.join(ROOT, 'scripts', 'release-guard.js');
const REAL = 'https://github.com/pocket-tools/n8n-nodes-pocket';
/** What the release workflow's `npm publish --provenance` step sees. */
const CI_ENV = {
	npm_config_provenance: 'true',
	GITHUB_ACTIONS: 'true',
	ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.githubusercontent.example/',
};
const realPackage = { repository: { type: 'git', url: `git+${REAL}.git` }, bugs: { url: `${REAL}/issues` } };

/** Runs the guard as npm's prepublishOnly would, in a copy of the package with the given package.json. */
function runGuard(pkg: Record<string, unknown>, readme: string, env: Record<string, string>): { status: number; output: string } {
	const dir = mkdtempSync(path.join(tmpdir(), 'pocket-release-'));
	try {
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
		writeFileSync(path.join(dir, 'README.md'), readme);
		execFileSync(process.execPath, [GUARD], { cwd: dir, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', stdio: 'pipe' });
		return { status: 0, output: '' };
	} catch (error) {
		const e = error as { status: number; stderr: string };
		return { status: e.status, output: e.stderr };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const ownPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
const ownReadme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test('package.json makes npm refuse any publish without provenance, scripts or not', () => {
	expect(ownPackage.publishConfig).toEqual({ access: 'public', provenance: true });
});

test('this repository cannot be released while package.json names the placeholder repository', () => {
	const onPlaceholder = JSON.stringify(ownPackage.repository).includes(PLACEHOLDER);
	const result = runGuard(ownPackage, ownReadme, CI_ENV);
	// Today the repository is the placeholder, so even a correct CI publish is refused; once
	// `npm run set-repository` has run, this same publish passes.
	expect(result.status).toBe(onPlaceholder ? 1 : 0);
	if (onPlaceholder) expect(result.output).toMatch(/"repository" is still the placeholder .*npm run set-repository/);
});

test('the guard refuses the placeholder and accepts a real repository, with provenance from CI', () => {
	const placeholder = { repository: { url: `git+https://github.com/${PLACEHOLDER}/n8n-nodes-pocket.git` }, bugs: { url: `https://github.com/${PLACEHOLDER}/n8n-nodes-pocket/issues` } };
	expect(releaseProblems({ pkg: placeholder, readme: '', env: CI_ENV })).toEqual([
		expect.stringMatching(/"repository" is still the placeholder/),
		expect.stringMatching(/"bugs" is still the placeholder/),
	]);
	expect(releaseProblems({ pkg: realPackage, readme: `![x](${rawFilesUrl(REAL)}/main/docs/x.png)`, env: CI_ENV })).toEqual([]);
	// The same through the CLI, as npm runs it.
	expect(runGuard(placeholder, '', CI_ENV)).toEqual({ status: 1, output: expect.stringMatching(/Refusing to release/) });
	expect(runGuard(realPackage, '', CI_ENV)).toEqual({ status: 0, output: '' });
});

test('the guard refuses a publish without provenance, from a workstation, or with README links to the placeholder', () => {
	expect(releaseProblems({ pkg: realPackage, readme: '', env: { ...CI_ENV, npm_config_provenance: undefined } })).toEqual([
		expect.stringMatching(/npm publish --provenance/),
	]);
	// package.json's publishConfig.provenance counts as the flag (npm applies it to every publish).
	expect(releaseProblems({ pkg: { ...realPackage, publishConfig: { provenance: true } }, readme: '', env: { ...CI_ENV, npm_config_provenance: undefined } })).toEqual([]);
	expect(releaseProblems({ pkg: realPackage, readme: '', env: { npm_config_provenance: 'true' } })).toEqual([
		expect.stringMatching(/release workflow/),
	]);
	for (const link of [`[a](https://github.com/${PLACEHOLDER}/n8n-nodes-pocket/blob/main/LICENSE)`, `![a](https://raw.githubusercontent.com/${PLACEHOLDER}/n8n-nodes-pocket/main/docs/a.png)`]) {
		expect(releaseProblems({ pkg: realPackage, readme: link, env: CI_ENV })).toEqual([expect.stringMatching(/README\.md still links to the placeholder/)]);
	}
	expect(releaseProblems({ pkg: {}, readme: '', env: CI_ENV })).toEqual([
		expect.stringMatching(/no "repository"/),
		expect.stringMatching(/no "bugs"/),
	]);
	// The workflow's first step checks the repository only, before the long test run.
	expect(releaseProblems({ pkg: realPackage, readme: '', env: {}, repositoryOnly: true })).toEqual([]);
});

test('set-repository replaces the placeholder in package.json and every README link', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'pocket-set-repo-'));
	try {
		// A copy of the script in a scratch package, so the real files stay as they are.
		const scripts = path.join(dir, 'scripts');
		mkdirSync(scripts);
		copyFileSync(path.join(ROOT, 'scripts', 'set-repository.js'), path.join(scripts, 'set-repository.js'));
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', repository: ownPackage.repository, bugs: ownPackage.bugs }));
		writeFileSync(path.join(dir, 'README.md'), ownReadme);
		execFileSync(process.execPath, [path.join(scripts, 'set-repository.js'), REAL], { cwd: dir, stdio: 'pipe' });
		const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
		const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
		expect(releaseProblems({ pkg, readme, env: CI_ENV })).toEqual([]);
		expect(pkg.repository).toEqual({ type: 'git', url: `git+${REAL}.git` });
		expect(readme.split(`${REAL}/`).length).toBe(ownReadme.split(`https://github.com/${PLACEHOLDER}/n8n-nodes-pocket/`).length);
		expect(readme.split(`${rawFilesUrl(REAL)}/main/`).length).toBe(ownReadme.split(`https://raw.githubusercontent.com/${PLACEHOLDER}/n8n-nodes-pocket/main/`).length);
		expect(readme.split(`${rawFilesUrl(REAL)}/main/`).length).toBeGreaterThan(1);
		expect(readme).not.toMatch(new RegExp(`(github\\.com|githubusercontent\\.com)/${PLACEHOLDER}/`));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

/** GitHub's (and npm's) id of a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingId(heading: string): string {
	return heading
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/** The ids of a Markdown file's headings. */
function headingIds(markdown: string): Set<string> {
	return new Set([...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingId(m[1])));
}

/** Link targets in a Markdown file's prose (code blocks and code spans left out). */
function linkTargets(markdown: string): string[] {
	const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	return [
		...[...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]),
		...[...prose.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]),
	];
}

/** Why a link to a file of the repository (path from its root, optional #heading) does not resolve, or undefined. */
function fileLinkProblem(target: string, file: string): string | undefined {
	const [name, fragment] = decodeURIComponent(file).split('#');
	const full = path.join(ROOT, name);
	if (!existsSync(full)) return `${target}: not a file of this repository`;
	if (fragment !== undefined && !headingIds(readFileSync(full, 'utf8')).has(fragment)) return `${target}: no such heading in ${name}`;
	return undefined;
}

test("README links resolve on npm's page too: absolute URLs into the repository (package.json's), existing files and headings", () => {
	const base = repositoryWebUrl(ownPackage.repository as { url: string });
	const raw = `${rawFilesUrl(base)}/main/`;
	const headings = headingIds(ownReadme);
	const targets = linkTargets(ownReadme);
	expect(targets.length).toBeGreaterThan(5);
	const problems: string[] = [];
	for (const target of targets) {
		if (target.startsWith('#')) {
			if (!headings.has(target.slice(1))) problems.push(`${target}: no such heading`);
		} else if (target.startsWith(raw)) {
			const problem = fileLinkProblem(target, target.slice(raw.length));
			if (problem) problems.push(problem);
		} else if (/\.(png|svg|jpe?g|gif)$/.test(target) && target.startsWith(`${base}/`)) {
			problems.push(`${target}: a picture npm's page shows only from ${raw}`);
		} else if (target.startsWith(`${base}/`)) {
			const file = /^\/(?:blob|raw|tree)\/main\/(.+)$/.exec(target.slice(base.length));
			const problem = file ? fileLinkProblem(target, file[1]) : `${target}: not a file of this repository`;
			if (problem) problems.push(problem);
		} else if (/^https:\/\/github\.com\/[^/]+\/n8n-nodes-pocket\b/.test(target)) {
			problems.push(`${target}: not the repository in package.json (${base})`);
		} else if (!/^(https?:|mailto:)/.test(target)) {
			problems.push(`${target}: relative, which npm cannot resolve (use ${base}/blob/main/...)`);
		}
	}
	expect(problems).toEqual([]);
});

// docs/ is not in the npm package, only on GitHub, which resolves relative links: they must
// point at files and headings that exist, and never at the placeholder repository.
test('links in docs/*.md resolve: relative paths to existing files and headings', () => {
	const docs = readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
	expect(docs.length).toBeGreaterThanOrEqual(5);
	const problems: string[] = [];
	for (const doc of docs) {
		const markdown = readFileSync(path.join(ROOT, 'docs', doc), 'utf8');
		for (const target of linkTargets(markdown)) {
			if (/^(https?:|mailto:)/.test(target)) {
				if (target.includes(`github.com/${PLACEHOLDER}/`)) problems.push(`${doc}: ${target}: the placeholder repository (link relatively)`);
			} else if (target.startsWith('#')) {
				if (!headingIds(markdown).has(target.slice(1))) problems.push(`${doc}: ${target}: no such heading`);
			} else {
				const problem = fileLinkProblem(target, path.posix.join('docs', target));
				if (problem) problems.push(`${doc}: ${problem}`);
			}
		}
	}
	expect(problems).toEqual([]);
});
