import { describe, expect, it } from 'vitest';
import { isFiatError, type FiatError } from './errors.js';
import type { Transport } from './transport.js';
import { ValidatedLog } from './ValidatedLog.js';

const transport: Transport = {
  kind: 'memory',
  write: () => undefined,
  flush: async () => undefined,
  close: async () => ({ delivered: 0, undelivered: 0 }),
  stats: () => ({ received: 0, delivered: 0, pending: 0, failed: 0, objects: 0, bytes: 0 }),
};

function configureError(options: Record<string, unknown>): FiatError {
  try {
    ValidatedLog.configure(transport, { app: 'shop', email: 'a@b.c', ...options } as never);
  } catch (error) {
    if (isFiatError(error)) return error;
    throw error;
  }
  throw new Error('expected a FiatError');
}

describe('logger options that every record stores', () => {
  const lone = 'x\ud800';
  it.each([
    ['app', { app: lone }, 'option app is not well-formed Unicode'],
    ['email', { email: lone }, 'option email is not well-formed Unicode'],
    ['a tag value', { tags: { env: lone } }, 'option tags.env is not well-formed Unicode'],
    ['a tag key', { tags: { [lone]: 'dev' } }, 'option tags.x\ufffd (the key) is not well-formed Unicode'],
  ])('refuses a lone surrogate in %s with CONFIG_INVALID', (_label, options, message) => {
    const error = configureError(options);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
    expect(error.message.isWellFormed()).toBe(true);
  });

  it('checks the tags it keeps, not a first read of a getter', () => {
    let reads = 0;
    const tags = {
      get env(): unknown {
        reads += 1;
        return reads === 1 ? 'dev' : 42;
      },
    };
    expect(configureError({ tags }).message).toContain('option tags.env must be a string');
  });
});
