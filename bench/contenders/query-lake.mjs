// Writes a query lake with Fiat's local transport at its defaults (1 MiB files): `records` audit records, every
// third one an output record.
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { finish, params } from '../lib/contender.mjs';
import { auditFields, LOGGER_OPTIONS } from '../lib/records.mjs';

const { lakeDir, records } = params();
const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir });
for (let i = 0; i < records; i++) {
  const fields = auditFields(i);
  logger.log(Audit, i % 3 === 0 ? { ...fields, phase: 'output', output: { ok: true } } : fields);
}
const report = await logger.close();
if (report.undelivered > 0) throw new Error(`${report.undelivered} records undelivered`);
finish({ records, files: logger.stats().transport.objects });
