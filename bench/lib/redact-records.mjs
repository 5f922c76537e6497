// The extra fields the redaction comparison's 'every_kind' stream logs with each audit record, and how its stored
// lines are checked: every redacted value stored as its kind says, none of the originals anywhere in the line.
import { createHmac } from 'node:crypto';
import { poolIndexOf } from './records.mjs';

/** The HMAC key of the 'hash' fields (a bench constant, 32+ bytes). */
export const REDACTION_KEY = 'bench-redaction-key-0123456789abcdef';

/** The i-th record's extra fields, derived from its audit_id (so the parent can regenerate them). */
export function extraFields(i) {
  return {
    contact: `user${i}@example.com`,
    card_last4: String(1000 + (i % 9000)),
    name: `Customer ${i}`,
    password: `pw-${i}-secret`,
  };
}

/** The extra fields of a record, from its `audit_id`. */
export function redactedExtra(fields) {
  return extraFields(poolIndexOf(fields.audit_id));
}

/**
 * Checks one stored line of the 'every_kind' stream (`declared`: redaction on) or its plain twin: the stored values
 * of the extra fields, and that no original secret appears anywhere in the line.
 */
export function checkRedactedLine(line, declared) {
  const i = poolIndexOf(line.audit_id);
  const extra = extraFields(i);
  const text = JSON.stringify(line);
  if (!declared) {
    for (const [key, value] of Object.entries(extra)) if (line[key] !== value) throw new Error(`${key}: ${JSON.stringify(line[key])}, expected ${value}`);
    return;
  }
  const expectHash = createHmac('sha256', REDACTION_KEY).update(extra.contact).digest('hex');
  if (typeof line.contact !== 'string' || !line.contact.endsWith(expectHash)) throw new Error(`contact ${JSON.stringify(line.contact)} is not the HMAC of the address`);
  if (line.card_last4 !== '[redacted]') throw new Error(`card_last4 ${JSON.stringify(line.card_last4)} is not masked`);
  if (line.name !== 'C') throw new Error(`name ${JSON.stringify(line.name)} is not truncated to 1`);
  if (line.password !== null && line.password !== undefined) throw new Error(`password ${JSON.stringify(line.password)} was stored`);
  for (const secret of [extra.contact, extra.name, extra.password]) {
    if (text.includes(secret)) throw new Error(`the line holds ${secret}`);
  }
}
