// ESLint (flat config) with typescript-eslint. Besides the recommended rules,
// it keeps wall-clock reads and timers inside src/kernel/clock.ts: everything
// else takes a Clock, so tests can drive time (STYLE.md, habit 4). Tests may
// not be focused with .only.
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const clockMessage = 'take a Clock (src/kernel/clock.ts) instead, so tests can use FakeClock';

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/federation/grpc/generated/**', 'strata-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: clockMessage },
        { object: 'process', property: 'hrtime', message: clockMessage },
        { object: 'performance', property: 'now', message: clockMessage },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: clockMessage },
        { name: 'setInterval', message: clockMessage },
        { name: 'clearTimeout', message: clockMessage },
        { name: 'clearInterval', message: clockMessage },
      ],
    },
  },
  {
    // The clock itself, and tests/benchmarks that measure real elapsed time or wait for real processes.
    files: ['src/kernel/clock.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-globals': 'off' },
  },
  {
    // A focused test left in (`.only`) silently skips the rest of its suite.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'context'].map((object) => ({ object, property: 'only', message: 'remove .only: it skips every other test in the run' })),
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
