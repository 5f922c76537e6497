import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkRedactedLine, extraFields, REDACTION_KEY } from './redact-records.mjs';

const stored = (i) => ({
  audit_id: `a-${i}`,
  contact: `hmac:k1:${createHmac('sha256', REDACTION_KEY).update(extraFields(i).contact).digest('hex')}`,
  card_last4: '[redacted]',
  name: 'C',
  password: null,
});

describe('the redaction comparison\'s line check', () => {
  it('accepts a line holding the stored forms, and the plain twin holding the originals', () => {
    expect(() => checkRedactedLine(stored(7), true)).not.toThrow();
    expect(() => checkRedactedLine({ audit_id: 'a-7', ...extraFields(7) }, false)).not.toThrow();
  });

  it('refuses a line that stored a secret or the wrong form', () => {
    expect(() => checkRedactedLine({ ...stored(7), password: 'pw-7-secret' }, true)).toThrow(/password/);
    expect(() => checkRedactedLine({ ...stored(7), card_last4: '1007' }, true)).toThrow(/not masked/);
    expect(() => checkRedactedLine({ ...stored(7), contact: 'hmac:k1:00' }, true)).toThrow(/HMAC/);
    expect(() => checkRedactedLine({ ...stored(7), task_args: '{"note":"user7@example.com"}' }, true)).toThrow(/holds user7@example.com/);
    expect(() => checkRedactedLine({ audit_id: 'a-7', ...extraFields(7), name: 'C' }, false)).toThrow(/name/);
  });
});
