// The one driver every hot-path contender runs, so that Fiat, pino and the ceiling get the same records, the same
// warm-up and the same clock. A contender only says how to open its sink: open(dir) → { log(fields), close() }.
import { rm } from 'node:fs/promises';
import { finish, nanosecondHistogram, params, percentilesUs, secondsSince, threadStat, yieldToLoop } from './contender.mjs';
import { makePool, recordBytes } from './records.mjs';

/**
 * Records between two yields to the event loop: about 256 KiB of fields, as a server handles requests between
 * its I/O callbacks. (A synchronous burst with no yield at all is measured by the memory comparison.)
 */
function yieldEvery(size) {
  return Math.max(1, Math.round((256 * 1024) / recordBytes(size)));
}

async function logMany(sink, pool, from, count, every) {
  for (let i = from; i < from + count; i++) {
    sink.log(pool[i % pool.length]);
    if (i % every === every - 1) await yieldToLoop();
  }
}

async function throughput(open, { records, warmup, out, size }, pool) {
  const every = yieldEvery(size);
  // Warm-up: the same configuration into a throw-away folder, closed before the clock starts.
  const warmDir = `${out}-warmup`;
  const warm = await open(warmDir);
  await logMany(warm, pool, 0, warmup, every);
  await warm.close();
  await rm(warmDir, { recursive: true, force: true });

  const sink = await open(out); // set-up (worker start, file open) is outside the clock
  const before = threadStat();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await logMany(sink, pool, 0, records, every);
  await sink.close(); // the clock stops when the last byte is written, fsync'd and closed
  const seconds = secondsSince(start);
  // The clock's window in µs of the monotonic clock (CPU profiles are cut to it), and the main thread's page faults in it.
  const window_us = [Number(start / 1000n), Number(process.hrtime.bigint() / 1000n)];
  // CPU inside the window: the whole process (every thread: gzip, workers) and the main thread alone.
  const used = process.cpuUsage(cpu);
  const after = threadStat();
  return {
    records,
    seconds,
    window_us,
    cpu_ms: (used.user + used.system) / 1000,
    main_thread_cpu_ms: before === null ? null : after.cpu_ms - before.cpu_ms,
    main_thread_faults: before === null ? null : after.faults - before.faults,
  };
}

async function latency(open, { records, warmup, out, size }, pool) {
  const every = yieldEvery(size);
  const sink = await open(out);
  await logMany(sink, pool, 0, warmup, every);
  const histogram = nanosecondHistogram();
  for (let i = 0; i < records; i++) {
    const fields = pool[(warmup + i) % pool.length];
    const t0 = process.hrtime.bigint();
    sink.log(fields);
    histogram.record(process.hrtime.bigint() - t0);
    if (i % every === every - 1) await yieldToLoop(); // outside the timed call
  }
  await sink.close();
  return { records: warmup + records, ...percentilesUs(histogram) };
}

/**
 * Runs a hot-path contender with the parameters in argv[2]: `{ size, records, warmup, out, mode }` where mode is
 * 'throughput' (default: records/s from the first log() to the end of close()) or 'latency' (one log() call timed
 * at a time into an HDR histogram after `warmup` untimed calls into the same sink). Both yield to the event loop
 * every ~256 KiB of records.
 */
export async function runHot(open) {
  const p = params();
  const pool = makePool(p.size);
  const result = p.mode === 'latency' ? await latency(open, p, pool) : await throughput(open, p, pool);
  finish(result);
}
