import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@fiat/source'] },
  ssr: { resolve: { conditions: ['@fiat/source'], externalConditions: ['@fiat/source'] } },
  test: {
    name: '@fiat/provisioner',
    environment: 'node',
    // The AWS SDK's nine-line Node 20 NodeVersionSupportWarning is noise in test output (its documented switch).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
