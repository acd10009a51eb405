// Mutation testing of the files that carry the gateway's guarantees: `npm run test:mutation`.
// Not part of `npm test`: a full run takes hours. test/MUTATION.md holds the latest results and
// why each surviving mutant survives. Run one group with `npm run test:mutation -- --mutate <glob>`.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts' },
  // Each mutant is type-checked first; one that does not compile is not run.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    // Credentials, principals, caches, rate limits, connection caps and the visibility rules
    // (auth/visibility.ts).
    'src/auth/**/*.ts',
    'src/schema/builder.ts',
    'src/schema/pagination.ts',
    'src/events/**/*.ts',
    // Body cap, repeated credentials, origins.
    'src/http/guards.ts',
    // The repeated-credential and preflight origin guards.
    'src/http/server.ts:86-102',
    // The CSRF header list.
    'src/graphql/yoga.ts:104-106',
    // The socket origin check.
    'src/ws/server.ts:47-48',
    // Paging through a Seam list.
    'src/upstream/client.ts:292-318',
  ],
  // Only the tests that reach a mutant run against it; what a file's hooks reach counts for every
  // test of that file (test/mutation/hook-coverage.ts).
  coverageAnalysis: 'perTest',
  // Code that only runs while modules load (constants, the builder's options) would need the whole
  // suite per mutant; `npm run test:mutation -- --ignoreStatic false` tests those too.
  ignoreStatic: true,
  // Tests start servers and share two cores with everything else.
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  // Results are kept between runs: an unchanged mutant with unchanged tests is not run again.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  ignorePatterns: ['dist', 'docs', 'coverage', 'test-results', 'reports'],
  reporters: ['progress', 'clear-text', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
