import { describe, expect, it } from 'vitest';
import { FiatCheckpoint } from './checkpointStream.js';

describe('FiatCheckpoint', () => {
  it('refuses a checkpoint with a malformed hash', () => {
    // Act
    const issues = FiatCheckpoint.validate({
      chain_id: '019abc12-3def-7000-8000-000000000001',
      stream: 'Audit',
      table: 'audit',
      last_seq: 3,
      last_hash: 'not-a-hash',
      record_count: 3,
      signature_alg: 'none',
      key_id: '',
      signature: '',
    });

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual(['last_hash']);
  });
});
