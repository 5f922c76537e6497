// The walSyncMs sweep: Fiat's durability 'disk' logging audit records at a steady offered rate (`rate` records/s,
// in small bursts between event-loop turns, as a server handling requests does) for `seconds`, with one walSyncMs.
// Reports what the window costs and buys: fdatasync rounds per second, records per round, the achieved rate, CPU
// time per record (main thread and thread pool together), and log() p50/p99. Output verified by the parent.
import '@fiat/core/durable';
import { ValidatedLog } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { finish, nanosecondHistogram, params, percentilesUs } from '../lib/contender.mjs';
import { LOGGER_OPTIONS, makePool } from '../lib/records.mjs';

const { out, rate, seconds, walSyncMs } = params();
const pool = makePool('audit');
const logger = ValidatedLog.configure('local', { ...LOGGER_OPTIONS, streams: [Audit], lakeDir: out, durability: 'disk', walDir: `${out}-wal`, walSyncMs });
const histogram = nanosecondHistogram();
const cpu0 = process.cpuUsage();
const start = performance.now();
let logged = 0;
while (performance.now() - start < seconds * 1000) {
  const due = Math.floor(((performance.now() - start) / 1000) * rate);
  for (; logged < due; logged++) {
    const t0 = process.hrtime.bigint();
    logger.log(Audit, pool[logged % pool.length]);
    histogram.record(process.hrtime.bigint() - t0);
  }
  await new Promise((resolve) => setImmediate(resolve));
}
const elapsed = (performance.now() - start) / 1000;
const wal = logger.stats().wal;
const cpu = process.cpuUsage(cpu0);
const report = await logger.close();
if (report.undelivered > 0) throw new Error(`${report.undelivered} records undelivered`);
finish({
  records: logged,
  achieved_rps: logged / elapsed,
  fsyncs_per_s: wal.syncs / elapsed,
  records_per_fsync: logged / Math.max(1, wal.syncs),
  cpu_us_per_record: (cpu.user + cpu.system) / logged,
  ...percentilesUs(histogram),
});
