import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'libs/**/*.test.ts',
      'tools/**/*.test.ts',
      'profiles/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
