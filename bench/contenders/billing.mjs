// Firehose cost: billed bytes ÷ raw bytes with packing on and off, and PutRecordBatch calls per 100,000 records —
// counted by the in-memory fake Firehose (each Firehose record rounded up to 5,120 B, as AWS bills), not by Fiat.
import { Audit } from '@fiat/audit';
import { createFakeFirehose } from '@fiat/testing';
import { finish, params } from '../lib/contender.mjs';
import { auditFields, LOGGER_OPTIONS } from '../lib/records.mjs';
import { checkLine } from '../lib/verify.mjs';

const { records } = params();

async function run(packing) {
  const fake = createFakeFirehose();
  const logger = Audit.configure('firehose', { ...LOGGER_OPTIONS, client: fake, packing });
  for (let i = 0; i < records; i++) logger.validatedLog.log(Audit.stream, auditFields(i));
  await logger.close();
  const stored = fake.records('fiat-audit');
  if (new Set(stored.map((r) => r.event_id)).size !== records) throw new Error(`packing ${packing}: records missing`);
  for (let i = 0; i < stored.length; i += Math.ceil(stored.length / 32)) checkLine('stored', 'audit', stored[i]);
  const calls = fake.calls.filter((c) => c.operation === 'PutRecordBatch').length;
  return { ratio: fake.billedBytes / fake.rawBytes, calls, firehoseRecords: fake.stored.length, rawBytes: fake.rawBytes };
}

const packed = await run(true);
const unpacked = await run(false);
finish({
  records,
  packed_ratio: Number(packed.ratio.toFixed(4)),
  unpacked_ratio: Number(unpacked.ratio.toFixed(2)),
  calls_per_100k: Math.round((packed.calls * 100_000) / records),
  unpacked_calls_per_100k: Math.round((unpacked.calls * 100_000) / records),
  packed_firehose_records: packed.firehoseRecords,
  raw_bytes_per_record: Math.round(packed.rawBytes / records),
});
