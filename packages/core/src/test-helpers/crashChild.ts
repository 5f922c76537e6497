// A child process for the crash test: logs continuously to a local lake with small files, and after
// each flush() resolves prints the numbers it flushed ("flushed 7,8,9"). The parent SIGKILLs it.
import { ValidatedLog } from '../ValidatedLog.js';
import { ChildEvents as Events } from './childStream.js';

const [lakeDir] = process.argv.slice(2);
const logger = ValidatedLog.configure('local', { app: 'crash', email: 'crash@example.com', streams: [Events], lakeDir: lakeDir!, bufferBytes: 4096 });
let n = 0;
for (;;) {
  const flushed: number[] = [];
  const batch = 1 + Math.floor(Math.random() * 80);
  for (let i = 0; i < batch; i++) {
    logger.log(Events, { n, pad: 'x'.repeat(Math.floor(Math.random() * 200)) });
    flushed.push(n++);
  }
  await logger.flush();
  process.stdout.write(`flushed ${flushed.join(',')}\n`);
}
