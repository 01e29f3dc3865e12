// Lints files with exactly the config `n8n-node lint` uses (the one @n8n/node-cli exports and
// its eslint.config.mjs template re-exports), and prints the findings as JSON.
// Usage: node test/ui/lint-n8n.mjs <package dir> <file relative to it>...
// A separate process because n8n's ESLint plugin is an ES module, which jest's CommonJS
// runtime cannot load, and because eslint-plugin-n8n-nodes-base treats every file as
// "Test.node.ts" when NODE_ENV is "test" (as jest sets it): the caller must clear it.
import { config } from '@n8n/node-cli/eslint';
import { ESLint } from 'eslint';

const [cwd, ...files] = process.argv.slice(2);
const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config });
const results = await eslint.lintFiles(files);
const findings = results.flatMap((result) =>
	result.messages.map(({ ruleId, severity, message, line, column }) => ({
		file: result.filePath,
		ruleId,
		severity,
		message,
		line,
		column,
	})),
);
process.stdout.write(JSON.stringify(findings));
