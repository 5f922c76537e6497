import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@fiat/source'] },
  ssr: { resolve: { conditions: ['@fiat/source'], externalConditions: ['@fiat/source'] } },
  test: {
    name: '@fiat/testing',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
