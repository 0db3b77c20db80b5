import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Dropping a PostgreSQL run's scratch databases takes longer than the 10 s default.
    teardownTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['tests/globalSetup.ts'],
  },
});
