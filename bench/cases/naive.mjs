// 2. Against the hand-written path: ajv + JSON.stringify + one PutRecordCommand per record (real SDK), versus
// Fiat's firehose transport (real SDK), both against the fake Firehose server running in another process.
import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import { Audit } from '@fiat/audit';
import Ajv from 'ajv';
import { auditFields, LOGGER_OPTIONS, report } from './common.mjs';
import { DUMMY_CREDENTIALS, startServerProcess } from './server-process.mjs';

const NAIVE_RECORDS = Number(process.env.BENCH_NAIVE_RECORDS ?? 3_000);
const FIAT_RECORDS = Number(process.env.BENCH_NAIVE_FIAT_RECORDS ?? 200_000);
const server = await startServerProcess();
const clientConfig = { endpoint: server.endpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };

async function naive() {
  // What a user would write by hand: validate, stringify, one PutRecord per event, awaited.
  const validate = new Ajv().compile({
    type: 'object',
    properties: {
      audit_id: { type: 'string' },
      phase: { enum: ['start', 'output', 'error'] },
      task: { type: 'string' },
      task_args: {},
      ticket_id: { type: 'string' },
    },
    required: ['audit_id', 'phase', 'task', 'task_args'],
  });
  const client = new FirehoseClient(clientConfig);
  const start = process.hrtime.bigint();
  for (let i = 0; i < NAIVE_RECORDS; i++) {
    const fields = auditFields(i);
    if (!validate(fields)) throw new Error('invalid');
    const record = { ...LOGGER_OPTIONS, event_id: crypto.randomUUID(), event_time: new Date().toISOString(), ...fields, task_args: JSON.stringify(fields.task_args) };
    await client.send(new PutRecordCommand({ DeliveryStreamName: 'naive-audit', Record: { Data: Buffer.from(`${JSON.stringify(record)}\n`) } }));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  client.destroy();
  return NAIVE_RECORDS / seconds;
}

async function fiat() {
  const logger = Audit.configure('firehose', { ...LOGGER_OPTIONS, clientConfig });
  const start = process.hrtime.bigint();
  for (let i = 0; i < FIAT_RECORDS; i++) logger.validatedLog.log(Audit.stream, auditFields(i));
  const closed = await logger.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (closed.undelivered > 0) throw new Error(`${closed.undelivered} records undelivered`);
  return FIAT_RECORDS / seconds;
}

await naive(); // warm the SDK and the server
const naiveRps = await naive();
await fiat();
const fiatRps = await fiat();
await server.stop();
report({
  naive: {
    naive_records: NAIVE_RECORDS,
    fiat_records: FIAT_RECORDS,
    fiat_rps: Math.round(fiatRps),
    naive_rps: Math.round(naiveRps),
    ratio: Number((fiatRps / naiveRps).toFixed(1)),
  },
});
