#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `prepublishOnly`: refuses `npm publish` unless the result can become a verified community
 * node. n8n's verification (its scanner, @n8n/scan-community-package) accepts only versions
 * published with npm provenance, which npm can only sign in CI (GitHub Actions with an OIDC
 * token, see .github/workflows/release.yml); and it lints the source that the provenance
 * points at, so `repository` must be the real public repository, not the placeholder this
 * project carries until its host is chosen (change it with `npm run set-repository -- URL`).
 *
 * Two guards, because .npmrc's `ignore-scripts=true` (which keeps the dev dependencies' install
 * scripts from running) also skips prepublishOnly: package.json's `publishConfig.provenance`
 * makes npm itself refuse any publish it cannot sign (a workstation: "Automatic provenance
 * generation not supported"), whatever the scripts setting; and the release workflow publishes
 * with `--ignore-scripts=false`, so this guard runs there and also stops the placeholder.
 *
 * Usage:
 *   node scripts/release-guard.js                all checks (what prepublishOnly runs)
 *   node scripts/release-guard.js --repository   only the repository checks, for the first step
 *                                                of the release workflow (fails in seconds, not
 *                                                after the full test run)
 */

const fs = require('node:fs');
const path = require('node:path');

/** The marker of the placeholder repository; scripts/set-repository.js replaces it. */
const PLACEHOLDER = 'REPLACE-ME';

/**
 * @typedef {{ repository?: string | { url?: string }, bugs?: string | { url?: string }, publishConfig?: { provenance?: boolean } }} PackageJson
 * @typedef {{ pkg: PackageJson, readme: string, env: NodeJS.ProcessEnv, repositoryOnly?: boolean }} ReleaseContext
 */

/** @param {string | { url?: string } | undefined} field */
function urlOf(field) {
	return typeof field === 'string' ? field : field?.url;
}

/**
 * Why this publish must not happen; empty when it may.
 * @param {ReleaseContext} context
 * @returns {string[]}
 */
function releaseProblems({ pkg, readme, env, repositoryOnly = false }) {
	/** @type {string[]} */
	const problems = [];
	const repository = urlOf(pkg.repository);
	const bugs = urlOf(pkg.bugs);
	if (!repository) problems.push('package.json has no "repository": provenance and n8n\'s scanner need the source repository.');
	else if (repository.includes(PLACEHOLDER)) {
		problems.push(`package.json "repository" is still the placeholder (${repository}): run \`npm run set-repository -- https://github.com/OWNER/REPO\`.`);
	}
	if (!bugs) problems.push('package.json has no "bugs" URL.');
	else if (bugs.includes(PLACEHOLDER)) problems.push(`package.json "bugs" is still the placeholder (${bugs}).`);
	if (readme.includes(`github.com/${PLACEHOLDER}/`) || readme.includes(`githubusercontent.com/${PLACEHOLDER}/`)) problems.push('README.md still links to the placeholder repository: run `npm run set-repository -- URL`.');
	if (repositoryOnly) return problems;

	// npm exports `--provenance` to lifecycle scripts as npm_config_provenance; publishConfig
	// is not exported, so it is read from package.json.
	if (env.npm_config_provenance !== 'true' && pkg.publishConfig?.provenance !== true) {
		problems.push('publish with provenance: `npm publish --provenance` (n8n verifies only packages published with it).');
	}
	// npm signs provenance with the CI provider's OIDC token; GitHub offers one only to jobs with
	// `permissions: id-token: write`.
	if (env.GITHUB_ACTIONS !== 'true' || !env.ACTIONS_ID_TOKEN_REQUEST_URL) {
		problems.push('publish from the release workflow (.github/workflows/release.yml), not from a workstation: provenance needs GitHub Actions with `id-token: write`.');
	}
	return problems;
}

/** @param {string} dir the package's folder */
function readContext(dir) {
	return {
		pkg: /** @type {PackageJson} */ (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))),
		readme: fs.readFileSync(path.join(dir, 'README.md'), 'utf8'),
	};
}

module.exports = { PLACEHOLDER, releaseProblems };

if (require.main === module) {
	// npm runs prepublishOnly in the package's folder.
	const dir = process.env.npm_package_json ? path.dirname(process.env.npm_package_json) : process.cwd();
	const problems = releaseProblems({ ...readContext(dir), env: process.env, repositoryOnly: process.argv.includes('--repository') });
	if (problems.length > 0) {
		console.error(`Refusing to release n8n-nodes-pocket:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		process.exit(1);
	}
	console.log('release guard: repository set, publishing with provenance from CI');
}
