// The fake Firehose server in its own process, so that its work is not counted in the process measured.
// argv[2]: { latencyMs, down }. Prints { endpoint } as one JSON line. Then, for every line 'report' on stdin, prints
// one JSON line: what it received (calls, billed and raw bytes, logical lines, distinct audit_ids, sample records).
// Exits when stdin closes.
import { createInterface } from 'node:readline';
import { startFakeFirehoseServer } from '@fiat/testing';

const { latencyMs = 0, down = false } = process.argv[2] ? JSON.parse(process.argv[2]) : {};
const server = await startFakeFirehoseServer({ port: 0, latencyMs, faults: { down } });
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);

function report() {
  const { fake } = server;
  // The contenders' records; Fiat's Audit hash chain also sends its checkpoints to fiat-checkpoint, counted apart
  // (their bytes and calls stay in the totals: work Fiat does that the peers do not).
  const checkpoints = new Set(fake.records('fiat-checkpoint').map((r) => r.event_id));
  const records = fake.records().filter((r) => !checkpoints.has(r.event_id));
  const puts = fake.calls.filter((c) => c.operation === 'PutRecordBatch' || c.operation === 'PutRecord');
  const step = Math.max(1, Math.floor(records.length / 32));
  return {
    calls: puts.length,
    calls_by_outcome: puts.reduce((counts, c) => ({ ...counts, [c.outcome]: (counts[c.outcome] ?? 0) + 1 }), {}),
    firehose_records: fake.stored.length,
    billed_bytes: fake.billedBytes,
    raw_bytes: fake.rawBytes,
    lines: records.length,
    checkpoint_lines: checkpoints.size,
    distinct_audit_ids: new Set(records.map((r) => r.audit_id)).size,
    samples: records.filter((_, i) => i % step === 0),
  };
}

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() === 'report') process.stdout.write(`${JSON.stringify(report())}\n`);
});
input.on('close', async () => {
  await server.close();
  process.exit(0);
});
