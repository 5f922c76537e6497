// The one driver both Firehose-path contenders run: the same records, logged the way a server would (yielding to the
// event loop every 1,000 records), the clock from the first log() to the end of close().
import { finish, params, secondsSince, yieldToLoop } from './contender.mjs';
import { auditFields } from './records.mjs';

/** Runs `open(params)` → { log(fields), close() → counts } over `params.records` audit records. */
export async function runProducer(open) {
  const p = params();
  const { records } = p;
  const producer = await open(p);
  const start = process.hrtime.bigint();
  for (let i = 0; i < records; i++) {
    producer.log(auditFields(i));
    if (i % 1000 === 999) await yieldToLoop();
  }
  const counts = await producer.close();
  finish({ records, seconds: secondsSince(start), ...counts });
}
