// The competent hand-written Firehose producer, as a careful user would write it without Fiat: the stored record
// (same envelope and encoding as Fiat's) validated by ajv against the published JSON Schema
// (schemas/Audit/json_schema.json), one JSON line per Firehose record, PutRecordBatch of up to 500 records / 4 MiB,
// 4 calls in flight, failed records (ErrorCode) and failed calls resent with capped exponential backoff, real SDK.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const PUBLISHED = JSON.parse(readFileSync(new URL('../../schemas/Audit/json_schema.json', import.meta.url), 'utf8'));
// A hand-written producer keeps no hash chain: the published schema without the chain columns.
const properties = Object.fromEntries(Object.entries(PUBLISHED.properties).filter(([name]) => !name.startsWith('chain_')));
const SCHEMA = { ...PUBLISHED, properties, required: PUBLISHED.required.filter((name) => !name.startsWith('chain_')) };

function compileValidator() {
  const ajv = new Ajv2020();
  addFormats.default(ajv);
  ajv.addKeyword('x-fiat-redact'); // Fiat's annotation: how the producer stores the field (docs/redaction.md)
  const validate = ajv.compile(SCHEMA);
  return (record) => {
    if (!validate(record)) throw new Error(`invalid audit record: ${ajv.errorsText(validate.errors)}`);
  };
}

/** A clock that formats 'yyyy-MM-dd HH:mm:ss.SSS' once per millisecond. */
function storedTime() {
  let lastMs = 0;
  let last = '';
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      last = new Date(now).toISOString().slice(0, 23).replace('T', ' ');
    }
    return last;
  };
}

/** The sender: a queue of batches, at most `maxInFlight` PutRecordBatch calls at once, failed records resent. */
function createSender({ client, deliveryStreamName, maxInFlight, maxAttempts }) {
  const queue = [];
  const idle = [];
  let inFlight = 0;
  const counts = { delivered: 0, failed: 0, resent: 0, calls: 0 };

  async function send({ records, attempt }) {
    let failed = records;
    try {
      counts.calls += 1;
      const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: deliveryStreamName, Records: records }));
      failed = out.FailedPutCount > 0 ? records.filter((_, i) => out.RequestResponses[i]?.ErrorCode !== undefined) : [];
    } catch {
      // The whole call failed: resend every record.
    }
    counts.delivered += records.length - failed.length;
    if (failed.length === 0) return;
    if (attempt + 1 >= maxAttempts) {
      counts.failed += failed.length;
      return;
    }
    counts.resent += failed.length;
    await sleep(Math.random() * Math.min(5000, 100 * 2 ** attempt));
    queue.push({ records: failed, attempt: attempt + 1 });
  }

  function pump() {
    while (inFlight < maxInFlight && queue.length > 0) {
      inFlight += 1;
      void send(queue.shift()).finally(() => {
        inFlight -= 1;
        pump();
        if (inFlight === 0 && queue.length === 0) for (const resolve of idle.splice(0)) resolve();
      });
    }
  }

  return {
    counts,
    push(records) {
      queue.push({ records, attempt: 0 });
      pump();
    },
    drained: () => (inFlight === 0 && queue.length === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve))),
  };
}

/** Creates the hand-written producer: log(fields) synchronously, close() resolves when every batch is answered. */
export function createHandProducer({ clientConfig, deliveryStreamName, envelope, maxInFlight = 4, maxRecords = 500, maxBytes = 4 * 1024 * 1024, maxAttempts = 8 }) {
  const validate = compileValidator();
  const now = storedTime();
  const client = new FirehoseClient(clientConfig);
  const sender = createSender({ client, deliveryStreamName, maxInFlight, maxAttempts });
  let batch = [];
  let batchBytes = 0;
  const seal = () => {
    if (batch.length > 0) sender.push(batch);
    batch = [];
    batchBytes = 0;
  };
  return {
    log(fields) {
      const record = { event_id: randomUUID(), event_time: now(), ...envelope, ...fields, task_args: JSON.stringify(fields.task_args) };
      validate(record);
      const data = Buffer.from(`${JSON.stringify(record)}\n`);
      if (batch.length === maxRecords || batchBytes + data.length > maxBytes) seal();
      batch.push({ Data: data });
      batchBytes += data.length;
    },
    async close() {
      seal();
      await sender.drained();
      client.destroy();
      return { ...sender.counts };
    },
  };
}
