import { defineConfig } from 'vitest/config'

export default defineConfig({
  // One graphql instance: some dependencies load graphql's CommonJS build, so the tests load it too
  // (otherwise graphql's instanceof checks fail across the two copies).
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts', 'sandbox/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests start real servers on port 0; files run in parallel workers, tests inside a file in order.
    pool: 'forks',
  },
})
