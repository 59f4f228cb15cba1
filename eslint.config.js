// One linter for the repository: ESLint's recommended rules plus typescript-eslint's,
// on every TypeScript, JavaScript and Astro file we write. Types are checked by tsc
// and astro check (npm run check:types), so the lint stays syntactic and fast.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import globals from 'globals';

/** The page's side of the import rule that dependency-cruiser checks for .ts files;
 *  dependency-cruiser cannot parse .astro files, ESLint can. */
const pageImportRule = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        // components/class/ (the participant's class box) is page code, named by its full path.
        { group: ['**/server/**', '**/class/**', '!**/components/class/**', '**/tools/**'], message: 'The page imports only contracts/ from the servers (docs/architecture.md).' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', '.astro/', 'node_modules/', '.ci/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_name` marks a parameter that a callback's signature demands but we don't use.
      // tsc and astro check know every global and type; ESLint's own guess does not (typescript-eslint's advice).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['components/**', 'pages/**', 'content/**'], rules: pageImportRule },
);
