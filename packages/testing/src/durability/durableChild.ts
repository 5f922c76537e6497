// A child process for the durable-mode SIGKILL test through Firehose: logs continuously with durability 'disk' to
// the Firehose transport, whose real FirehoseClient talks to the fake Firehose server of the parent process. Prints
// "L <n>" as soon as each log() returned and "F <n>" once a flush() covering records up to n resolved; flushes run
// concurrently with logging. The parent SIGKILLs it at a random moment. Arguments: endpoint walDir spoolDir walSyncMs.
import { createStreamDefinition, ValidatedLog } from '@fiat/core';
import '@fiat/core/durable';
import { firehoseTransport } from '@fiat/core/firehose';

/** `{ n: integer, pad?: string }`, built without Zod or an ajv compile so that the child starts fast. */
const DurableEvents = createStreamDefinition<{ n: number; pad?: string }>({
  name: 'Events',
  fields: [
    { name: 'n', plan: { kind: 'bigint' }, required: true, nullable: false },
    { name: 'pad', plan: { kind: 'string' }, required: false, nullable: false },
  ],
  sources: { n: { type: 'integer' }, pad: { type: 'string' } },
  validator: {
    check: (value) => typeof value === 'object' && value !== null && Number.isSafeInteger((value as { n?: unknown }).n),
    issues: () => [{ path: 'n', message: 'must be integer' }],
  },
});

const [endpoint, walDir, spoolDir, walSyncMs] = process.argv.slice(2);
const logger = ValidatedLog.configure(firehoseTransport, {
  app: 'durable',
  email: 'durable@example.com',
  streams: [DurableEvents],
  clientConfig: { endpoint: endpoint!, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  spoolDir: spoolDir!,
  flushIntervalMs: 20,
  retry: { baseDelayMs: 5, maxDelayMs: 50 },
  durability: 'disk',
  walDir: walDir!,
  walSyncMs: Number(walSyncMs),
  walSegmentBytes: 16 * 1024,
});
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
let n = 0;

async function produce(): Promise<never> {
  for (;;) {
    const batch = 1 + Math.floor(Math.random() * 40);
    for (let i = 0; i < batch; i++) {
      logger.log(DurableEvents, { n, pad: 'x'.repeat(Math.floor(Math.random() * 200)) });
      process.stdout.write(`L ${n++}\n`);
    }
    await tick();
  }
}

async function flushAll(): Promise<never> {
  for (;;) {
    const upTo = n - 1;
    await logger.flush();
    process.stdout.write(`F ${upTo}\n`);
    for (let i = Math.floor(Math.random() * 20); i > 0; i--) await tick();
  }
}

await Promise.all([produce(), flushAll()]);
