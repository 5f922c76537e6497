// A child process for the durable-mode SIGKILL test: logs continuously to a local lake with durability 'disk'
// (small lake files and small write-ahead segments, so that files are written and segments released all the time),
// prints "L <n>" as soon as each log() has returned and "F <n>" once a flush() covering records up to n resolved;
// flushes run concurrently with logging.
// The parent SIGKILLs it at a random moment. Arguments: lakeDir walDir walSyncMs.
import '../durable/index.js';
import { ValidatedLog } from '../ValidatedLog.js';
import { ChildEvents as Events } from './childStream.js';

const [lakeDir, walDir, walSyncMs] = process.argv.slice(2);
const logger = ValidatedLog.configure('local', {
  app: 'crash',
  email: 'crash@example.com',
  streams: [Events],
  lakeDir: lakeDir!,
  bufferBytes: 4096,
  durability: 'disk',
  walDir: walDir!,
  walSyncMs: Number(walSyncMs),
  walSegmentBytes: 16 * 1024,
});
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
let n = 0;

/** Logs batches, yielding to the event loop between them (so flushes and releases run while records arrive). */
async function produce(): Promise<never> {
  for (;;) {
    const batch = 1 + Math.floor(Math.random() * 40);
    for (let i = 0; i < batch; i++) {
      logger.log(Events, { n, pad: 'x'.repeat(Math.floor(Math.random() * 200)) });
      process.stdout.write(`L ${n++}\n`);
    }
    await tick();
  }
}

/** Flushes again and again, concurrently with the producer; reports the highest number each flush covers. */
async function flushAll(): Promise<never> {
  for (;;) {
    const upTo = n - 1;
    await logger.flush();
    process.stdout.write(`F ${upTo}\n`);
    for (let i = Math.floor(Math.random() * 20); i > 0; i--) await tick();
  }
}

await Promise.all([produce(), flushAll()]);
