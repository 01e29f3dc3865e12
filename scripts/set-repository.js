#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run set-repository -- https://github.com/OWNER/REPO`: points the package at its public
 * repository in one go, replacing the placeholder (or the previous repository) everywhere it
 * is used: package.json `repository` and `bugs`, and every README link into the repository
 * (npm shows the README without the repository's files, so its pictures, examples and
 * documents, docs/*.md among them, are linked by absolute URL; test/release.test.ts keeps them
 * consistent with package.json). docs/*.md themselves are read on GitHub only and link relatively,
 * so they need no rewriting. GitHub only: n8n's verification fetches the source from GitHub.
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
/** The branch README links point at. */
const BRANCH = 'main';

/**
 * The repository's web address (https://github.com/OWNER/REPO) from a package.json
 * `repository` value or a URL as users paste it.
 * @param {string | { url?: string } | undefined} repository
 */
function repositoryWebUrl(repository) {
	const url = typeof repository === 'string' ? repository : repository?.url;
	const match = /^(?:git\+)?https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url || '');
	if (!match) throw new Error(`not a GitHub repository URL: ${url} (expected https://github.com/OWNER/REPO)`);
	return `https://github.com/${match[1]}/${match[2]}`;
}

/**
 * Where the repository's raw files are served: https://raw.githubusercontent.com/OWNER/REPO.
 * npm's page shows a picture only from there (it does not follow github.com's /raw/ redirect).
 * @param {string} base repositoryWebUrl()
 */
function rawFilesUrl(base) {
	return base.replace(/^https:\/\/github\.com\//, 'https://raw.githubusercontent.com/');
}

/**
 * Where README links to a repository file point: pictures to the raw file (npm shows them
 * inline), everything else to GitHub's page for it.
 * @param {string} base repositoryWebUrl()
 * @param {string} file path in the repository
 */
function repositoryFileUrl(base, file) {
	return /\.(png|svg|jpe?g|gif)$/.test(file) ? `${rawFilesUrl(base)}/${BRANCH}/${file}` : `${base}/blob/${BRANCH}/${file}`;
}

/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @param {string} newUrl */
function setRepository(newUrl) {
	const base = repositoryWebUrl(newUrl);
	const pkgFile = path.join(ROOT, 'package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	const oldBase = repositoryWebUrl(pkg.repository);
	pkg.repository = { type: 'git', url: `git+${base}.git` };
	pkg.bugs = { url: `${base}/issues` };
	fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
	const readmeFile = path.join(ROOT, 'README.md');
	const readme = fs.readFileSync(readmeFile, 'utf8');
	// The old addresses as a whole: not where one merely starts a longer name (…/n8n-nodes-pocket-x).
	const old = (/** @type {string} */ url) => new RegExp(`${escapeRegExp(url)}(?![\\w.-])`, 'g');
	fs.writeFileSync(readmeFile, readme.replace(old(rawFilesUrl(oldBase)), rawFilesUrl(base)).replace(old(oldBase), base));
	console.log(`repository: ${oldBase} -> ${base} (package.json repository and bugs, README links)`);
}

module.exports = { BRANCH, rawFilesUrl, repositoryFileUrl, repositoryWebUrl };

if (require.main === module) {
	try {
		setRepository(process.argv[2] || '');
	} catch (err) {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	}
}
