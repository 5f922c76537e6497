import { defineConfig } from 'vitest/config';

// Two projects: the suite, then the fuzz suite once the suite is done (sequence.groupOrder), so its
// minute of CPU never competes with tests that wait on real timers.
export default defineConfig({
  resolve: { conditions: ['@fiat/source'] },
  ssr: { resolve: { conditions: ['@fiat/source'], externalConditions: ['@fiat/source'] } },
  test: {
    environment: 'node',
    // The AWS SDK's nine-line Node 20 NodeVersionSupportWarning is noise in test output (its documented switch).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
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
