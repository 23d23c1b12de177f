import { defineConfig } from 'vitest/config';

// Two projects, one run: `npm test` runs both; `npm run test:unit` / `npm run test:e2e` run one.
// e2e: a file named *.e2e.test.ts drives a container engine, the registry, Poetry or Nx (and takes
// minutes); unit: everything else (fakes, temp folders, pure functions; seconds).
const files = [
  'libs/**/*.test.ts',
  'tools/**/*.test.ts',
  'profiles/**/*.test.ts',
  'test/**/*.test.ts',
];
const e2e = '**/*.e2e.test.ts';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Fails the run when a test changed the machine's registry logins (test/support/login-guard.ts).
    globalSetup: ['test/support/login-guard.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: files, exclude: [e2e, '**/node_modules/**'] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: files.map((f) => f.replace('*.test.ts', '*.e2e.test.ts')) },
      },
    ],
  },
});
