// n8n-node lint lints every **/*.ts with n8n's rules for node code (no fs, no process, no
// console...), which tests must break. `npm run lint` runs it with ESLint's
// unstable_config_lookup_from_file flag, so files below test/ take this config instead of the
// root eslint.config.mjs (which strict mode keeps identical to n8n's template). The tests are
// linted by `npm run lint:tooling` (eslint.tooling.config.mjs).
export default [{ ignores: ['**'] }];
