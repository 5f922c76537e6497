import { describe, expect, it } from 'vitest';
import { compileValidator } from '../compileValidator.js';
import { FiatCheckpoint } from './checkpointStream.js';
import { checkpointValidator } from './checkpointValidator.js';

const valid = {
  chain_id: '019abc12-3def-7000-8000-000000000001',
  stream: 'Audit',
  table: 'audit',
  last_seq: 3,
  last_hash: 'ab'.repeat(32),
  record_count: 3,
  signature_alg: 'hmac-sha256',
  key_id: '0123456789abcdef',
  signature: 'ff'.repeat(32),
};

/** Values every field is tried with: each type JSON has, edges of each check. */
const VALUES: unknown[] = [
  undefined, null, true, 0, 1, -1, 0.5, 1.5, 2 ** 53 - 1, 2 ** 53, 1e300, '', 'x', 'none', 'ed25519', 'RSA',
  '019ABC12-3DEF-7000-8000-000000000001', 'urn:uuid:019abc12-3def-7000-8000-000000000001', '019abc12-3def-7000-8000-00000000000',
  'ab'.repeat(32), 'AB'.repeat(32), 'ab'.repeat(33), '0123456789abcdef', '0123456789abcdeg', [], {}, ['x'], { a: 1 },
];

function corpus(): unknown[] {
  const out: unknown[] = [valid, {}, [], 'x', 1, null];
  const names = Object.keys(valid);
  for (const name of names) for (const value of VALUES) out.push({ ...valid, [name]: value });
  for (const [i, a] of names.entries()) for (const b of names.slice(i + 1)) out.push({ ...valid, [a]: VALUES[(i * 7) % VALUES.length], [b]: VALUES[(i * 11 + 3) % VALUES.length] });
  out.push({ ...valid, extra: 1 }, { ...valid, 'bad-name': 'x', other: null }, { extra: 1 }, { ...valid, ['\ud800']: 1 });
  return out;
}

const sorted = (issues: readonly { path: string; message: string }[]): string[] => issues.map((i) => `${i.path}: ${i.message}`).sort();

describe('the hand-written checkpoint validator', () => {
  it("gives ajv's verdict and issues for FiatCheckpoint's input schema on every input of the corpus", () => {
    // Prepare
    const ajv = compileValidator(FiatCheckpoint.inputSchema, 'FiatCheckpoint');
    const inputs = corpus();
    // Act + Assess
    expect(inputs.length).toBeGreaterThan(250);
    for (const input of inputs) {
      expect([checkpointValidator.check(input), input]).toEqual([ajv.check(input), input]);
      expect([sorted(checkpointValidator.issues(input)), input]).toEqual([sorted(ajv.issues(input)), input]);
    }
  });

  it('checks what FiatCheckpoint.encode is given', () => {
    expect(FiatCheckpoint.validate({ ...valid, last_hash: 'not-a-hash' })).toEqual([{ path: 'last_hash', message: 'must match pattern "^[0-9a-f]{64}$"' }]);
    expect(FiatCheckpoint.validate(valid)).toEqual([]);
  });
});
