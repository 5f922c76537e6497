// 3. Firehose cost: billed bytes ÷ raw bytes with packing on and off, and PutRecordBatch calls per 100,000
// records — counted by the fake Firehose (each record rounded up to 5 KB, as AWS bills), not by Fiat.
import { Audit } from '@fiat/audit';
import { createFakeFirehose } from '@fiat/testing';
import { auditFields, LOGGER_OPTIONS, report } from './common.mjs';

const N = 100_000;

async function run(packing) {
  const fake = createFakeFirehose();
  const logger = Audit.configure('firehose', { ...LOGGER_OPTIONS, client: fake, packing });
  for (let i = 0; i < N; i++) logger.validatedLog.log(Audit.stream, auditFields(i));
  await logger.close();
  const records = fake.records('fiat-audit');
  if (new Set(records.map((r) => r.event_id)).size !== N) throw new Error('records missing');
  const calls = fake.calls.filter((c) => c.operation === 'PutRecordBatch').length;
  return { ratio: fake.billedBytes / fake.rawBytes, calls, firehoseRecords: fake.stored.length, rawBytes: fake.rawBytes };
}

const packed = await run(true);
const unpacked = await run(false);
report({
  billing: {
    records: N,
    packed_ratio: Number(packed.ratio.toFixed(4)),
    unpacked_ratio: Number(unpacked.ratio.toFixed(2)),
    calls_per_100k: packed.calls,
    unpacked_calls_per_100k: unpacked.calls,
    packed_firehose_records: packed.firehoseRecords,
    raw_bytes_per_record: Math.round(packed.rawBytes / N),
  },
});
