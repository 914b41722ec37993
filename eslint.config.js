// Lint: TypeScript's recommended rules plus the boundaries between execution contexts
// (STYLE.md): pages and UI never import the background (that keeps the API key and the SDK out
// of them), and src/core stays plain TypeScript that runs in Node too.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const backgroundImports = {
  group: ['**/background', '**/background/**'],
  message: 'src/content and src/ui talk to the background only through src/messages.ts (STYLE.md).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/demo/**', '.earmark/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'Render text as text (DESIGN.md §6).',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'Render text as text (DESIGN.md §6).',
        },
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render text as text (DESIGN.md §6).',
        },
      ],
    },
  },
  {
    files: ['src/content/**', 'src/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [backgroundImports] }] },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'webextension-polyfill', message: 'src/core uses no extension API.' }],
          patterns: [
            {
              group: ['**/background', '**/background/**', '**/content/**', '**/ui/**', '**/messaging'],
              message: 'src/core imports no other context.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'chrome', message: 'src/core uses no extension API.' },
        { name: 'browser', message: 'src/core uses no extension API.' },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'public/**/*.js'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
  },
);
