// Hot path, Fiat with redaction (params.variant), otherwise exactly hot-fiat with the Audit hash chain off (the chain
// suite measures it):
// - 'audit_default': the Audit stream as shipped, whose secret keys (password, token, api_key, …) are masked at any
//   depth of task_args and output;
// - 'audit_off': the same with the logger option `redact: false` (the opt-out);
// - 'every_kind': a stream whose fields use every redaction kind (hash, mask, truncate, drop, a path inside a
//   free-form field, and the detectors on it), fed the audit records plus those fields;
// - 'every_kind_off': the same stream and records with no redaction declared.
import { defineStream, redact, ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { z } from 'zod';
import { params } from '../lib/contender.mjs';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';
import { REDACTION_KEY, redactedExtra } from '../lib/redact-records.mjs';

const { variant } = params();
const declared = variant === 'every_kind';

const RedactBench = defineStream({
  name: 'RedactBench',
  schema: z.object({
    audit_id: z.string(),
    phase: z.string(),
    task: z.string(),
    task_args: declared ? redact(z.unknown(), { paths: ['card.number'], detect: ['email', 'jwt'] }) : z.unknown(),
    ticket_id: z.string().optional(),
    contact: declared ? redact(z.string(), 'hash') : z.string(),
    card_last4: declared ? redact(z.string(), 'mask') : z.string(),
    name: declared ? redact(z.string(), { action: 'truncate', length: 1 }) : z.string(),
    password: declared ? redact(z.string(), 'drop').optional() : z.string().optional(),
  }),
});

const audit = variant === 'audit_default' || variant === 'audit_off';
await runHot(async (lakeDir) => {
  const logger = ValidatedLog.configure('local', {
    ...LOGGER_OPTIONS,
    streams: audit ? [Audit] : [RedactBench],
    lakeDir,
    integrity: { Audit: 'none' },
    ...(variant === 'audit_off' ? { redact: false } : {}),
    ...(declared ? { redactionKey: REDACTION_KEY } : {}),
  });
  const log = audit ? (fields) => logger.log(Audit, fields) : (fields) => logger.log(RedactBench, { ...fields, ...redactedExtra(fields) });
  return {
    log,
    close: async () => {
      const report = await logger.close();
      if (report.undelivered > 0) throw new Error(`${report.undelivered} records undelivered`);
    },
  };
});
