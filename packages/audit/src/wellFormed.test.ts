import { describe, expect, it } from 'vitest';
import type { Transport, TransportRecord } from '@fiat/core';
import { Audit } from './Audit.js';

function memory(): Transport & { rows: () => Record<string, unknown>[] } {
  const records: TransportRecord[] = [];
  return {
    kind: 'memory',
    rows: () => records.map((r) => JSON.parse(r.line) as Record<string, unknown>),
    write: (record) => void records.push(record),
    flush: async () => undefined,
    close: async () => ({ delivered: records.length, undelivered: 0 }),
    stats: () => ({ received: records.length, delivered: records.length, pending: 0, failed: 0, objects: 0, bytes: 0 }),
  };
}

describe('logError with text that is not well-formed Unicode', () => {
  it('stores an error whose name and message hold lone surrogates, with U+FFFD in their place', () => {
    // Prepare: a message cut in the middle of an emoji, as .slice() does.
    const transport = memory();
    const logger = Audit.configure(transport, { app: 'audit', email: 'a@b.c' });
    const error = new Error('card 👋 declined'.slice(0, 6));
    error.name = 'Bad\ud800Error';
    // Act
    logger.log({ task: 'charge', task_args: [1] }).logError(error);
    // Assess
    expect(transport.rows()[1]).toMatchObject({ phase: 'error', error_name: 'Bad\ufffdError', error_message: 'card \ufffd' });
  });
});
