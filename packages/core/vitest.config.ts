import { defineConfig } from 'vitest/config';

// Two projects: the suite, then the fuzz suite once the suite is done (sequence.groupOrder), so its
// minute of CPU never competes with tests that wait on real timers.
export default defineConfig({
  resolve: { conditions: ['@fiat/source'] },
  ssr: { resolve: { conditions: ['@fiat/source'], externalConditions: ['@fiat/source'] } },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: '@fiat/core', include: ['src/**/*.test.ts'], exclude: ['src/**/*.fuzz.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: '@fiat/core-fuzz', include: ['src/**/*.fuzz.test.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
