// The lint n8n applies to community packages: the configuration bundled in @n8n/node-cli
// (community-nodes recommended plus eslint-plugin-n8n-nodes-base's community, credentials
// and nodes rulesets), without its import-order plugin.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const recommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, recommended],
		rules: { 'no-console': 'error' },
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		extends: [recommended],
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Switched off by n8n's own config too: the rule wants the documentation URL in
			// camelCase, which only fits n8n's docs site, not a URL of our own.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// Switched off by n8n's own config too: superseded by the stricter
			// @n8n/community-nodes/credential-password-field rule, which stays on.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Switched off by n8n's own config too: these two predate NodeConnectionTypes and
			// flag the current `[NodeConnectionTypes.Main]` form as wrong.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// Switched off by n8n's own config too: it asks for maxValue on every number, and
			// our limits (batch size, wait, timeout) have no meaningful upper bound.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
