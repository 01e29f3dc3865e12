// Lint for everything that is not shipped: the scripts, the benchmark and the tests. The
// package's own code (nodes/, credentials/, package.json) is linted by n8n's CLI with n8n's
// unmodified config (eslint.config.mjs). Run by `npm run lint:tooling`, part of `npm test`.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['**/*.{ts,js,mjs}'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: globals.node },
	},
	{
		// The scripts and the benchmark are CommonJS: require() is their import.
		files: ['**/*.js'],
		languageOptions: { sourceType: 'commonjs' },
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: ['test/**/*.{ts,js,mjs}'],
		languageOptions: { globals: globals.jest },
	},
	{
		// n8n-node lint applies n8n's rules for node code to every .ts file, tests included; a
		// test file's header turns off the ones a test must break. The plugin is known here only
		// so that those headers name real rules.
		files: ['test/**/*.ts'],
		plugins: { '@n8n/community-nodes': n8nCommunityNodesPlugin },
		linterOptions: { reportUnusedDisableDirectives: 'off' },
	},
);
