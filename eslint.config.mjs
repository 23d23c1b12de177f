// ESLint here checks one thing: that libraries depend downward only (STYLE.md 12), by the
// `scope:*` tags in each project's package.json. Style is prettier's; types are tsc's.
// `npm run lint:boundaries` computes Nx's project graph first: without a cached graph the Nx rule
// skips itself with only a warning (test/lint-boundaries.test.ts proves it catches a wrong import).
import nx from '@nx/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

/** Who may import whom, by tag (https://nx.dev/features/enforce-module-boundaries). */
const depConstraints = [
  // specs, profiles, rendering: nothing of ours below it
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:lock', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:engine', onlyDependOnLibsWithTags: ['scope:core'] },
  // the generation plan (what generate writes, lock status, the test contract): pure over core and lock
  { sourceTag: 'scope:plan', onlyDependOnLibsWithTags: ['scope:core', 'scope:lock'] },
  {
    sourceTag: 'scope:tools',
    onlyDependOnLibsWithTags: ['scope:core', 'scope:lock', 'scope:engine', 'scope:plan'],
  },
];

const boundaries = (allow) => ({
  '@nx/enforce-module-boundaries': ['error', { depConstraints, allow }],
  // A library's API is what its package.json `exports` (its src/index.ts) names: no reaching into
  // another library's files by package path. (A relative path into another project is the Nx
  // rule's "Projects cannot be imported by a relative or absolute path".)
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['@imagesmith/*/*', '!@imagesmith/core/lint'],
          message:
            "Import from the library's entry point (@imagesmith/<lib>); export the name from its src/index.ts if it is missing.",
        },
      ],
    },
  ],
});

const sources = ['libs/*/src/**/*.ts', 'tools/*/src/**/*.ts'];
const tests = ['**/*.test.ts', 'libs/*/test-support/**/*.ts', 'tools/*/test-support/**/*.ts'];

export default [
  { ignores: ['**/node_modules/**', 'dist/**', '.nx/**', '**/.imagesmith/**', 'images/**'] },
  {
    files: [...sources, ...tests],
    languageOptions: { parser: tsParser },
    plugins: { '@nx': nx },
    // No `eslint-disable` comment can switch a boundary off: an exception is made here, in review.
    linterOptions: { noInlineConfig: true },
  },
  { files: sources, rules: boundaries([]) },
  {
    // An entry point names what it exports, so an internal helper does not become API by accident.
    files: ['libs/*/src/index.ts', 'libs/*/src/*/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message:
            'Export by name (export { a, type B } from ...): only what another package uses.',
        },
      ],
    },
  },
  {
    // Tests may also use the shared test helpers (test/support, tools/testkit, a library's
    // test-support folder) by relative path; the tag constraints still hold for them.
    files: tests,
    // (`allow` entries without a trailing /* are regular expressions on the import path.)
    rules: boundaries([
      '^(\\.\\./)+test/support/',
      '^(\\.\\./)+(tools/)?testkit/',
      '^(\\.\\./)+libs/[a-z-]+/test-support/',
    ]),
  },
];
