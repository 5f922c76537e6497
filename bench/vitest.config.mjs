import { defineConfig } from 'vitest/config';

// Tests of the benchmark harness itself (its checks, its peers, its statistics). They time nothing.
export default defineConfig({
  resolve: { conditions: ['@fiat/source'] },
  ssr: { resolve: { conditions: ['@fiat/source'], externalConditions: ['@fiat/source'] } },
  test: {
    name: '@fiat/bench',
    environment: 'node',
    include: ['lib/**/*.test.mjs', 'contenders/**/*.test.mjs'],
    testTimeout: 60_000,
  },
});
