// Mutation testing of the method's numbers (issue 14): `npm run mutation`, not part of `npm test`.
// Needs @stryker-mutator/core and @stryker-mutator/vitest-runner (devDependencies). The report
// lands in reports/mutation/ (ignored by git); docs/MUTATION.md keeps the score and the survivors.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/morphnet/cost.ts',
    'src/morphnet/regularizer.ts',
    'src/morphnet/plan.ts',
    'src/morphnet/expand.ts',
    'src/morphnet/alive.ts',
    'src/morphnet/structure.ts',
    'src/engine/regularizer.ts',
  ],
  coverageAnalysis: 'perTest',
  // Mutants in module-level code run for every test and are slow to judge; they are few here.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 95, low: 90, break: null },
  // Two cores are shared on the build machine; more runners only thrash.
  concurrency: 2,
  timeoutMS: 60_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
