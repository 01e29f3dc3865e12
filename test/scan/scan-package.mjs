// Runs n8n's verification scanner (@n8n/scan-community-package) on this package offline: its
// exported analyser and lint config, on both legs n8n's scan checks, the packed tarball's
// compiled JavaScript and package.json, and the source files it fetches through provenance.
// (Its CLI also needs the package on npm with provenance, hence this.) Prints JSON:
// { verdicts: [{ leg, passed, message, details }], findings: [{ leg, file, ruleId, severity, message, line }],
//   linted: { [leg]: number of files } }.
// Usage: node test/scan/scan-package.mjs <unpacked tarball dir> <source dir>
// A separate process because the scanner is an ES module, which jest's CommonJS runtime cannot
// load, and because eslint-plugin-n8n-nodes-base lints every file as "Test.node.ts" when
// NODE_ENV is "test" (as jest sets it): the caller clears it.
import path from 'node:path';

import { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';
import { ESLint } from 'eslint';
import glob from 'fast-glob';

const [tarballDir, sourceDir] = process.argv.slice(2);
// The tarball leg's patterns, as analyzePackageByName passes them.
const legs = [
	{ leg: 'tarball', dir: tarballDir, patterns: ['**/*.js', 'package.json'] },
	{ leg: 'source', dir: sourceDir, patterns: SOURCE_FILE_PATTERNS },
];

const verdicts = [];
const findings = [];
const linted = {};
for (const { leg, dir, patterns } of legs) {
	const verdict = await analyzePackage(dir, patterns);
	verdicts.push({ leg, passed: verdict.passed, message: verdict.message ?? null, details: verdict.details ?? null });
	// analyzePackage reports errors only; the same lint, the same way, also gives the warnings.
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	for (const result of await eslint.lintFiles(files)) {
		for (const { ruleId, severity, message, line } of result.messages) {
			findings.push({ leg, file: path.relative(dir, result.filePath), ruleId, severity, message, line });
		}
	}
	linted[leg] = files.length;
}
process.stdout.write(JSON.stringify({ verdicts, findings, linted }));
