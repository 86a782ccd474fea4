// The tests mutation testing runs (stryker.config.mjs): the method's and the engine regularizer's,
// the ones that can notice a mutant in the files it mutates. Not part of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/morphnet/**/*.test.ts',
      'src/engine/regularizer.test.ts',
      'src/engine/latency-regularizer.test.ts',
    ],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
