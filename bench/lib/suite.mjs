// What every suite shares: scaled record counts, a scratch folder per run, and a log line per step.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** BENCH_SCALE (default 1) multiplies every record count, for quick trial runs (BENCH_SCALE=0.05). */
export const SCALE = Number(process.env.BENCH_SCALE ?? 1);
/** BENCH_ROUNDS (default 3, at least 3 for published figures): rounds per comparison. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** `count` scaled by BENCH_SCALE, at least `min`. */
export function scaled(count, min = 1) {
  return Math.max(min, Math.round(count * SCALE));
}

/** A fresh scratch folder; removed by the returned cleanup (always, even when the run fails). */
export async function withScratch(prefix, fn) {
  const dir = await mkdtemp(join(tmpdir(), `fiat-bench-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes one progress line to stderr. */
export function progress(suite, message, result) {
  const brief = result === undefined ? '' : ` ${JSON.stringify(result).slice(0, 160)}`;
  process.stderr.write(`bench ${suite}: ${message}${brief}\n`);
}

/** `object` without the process-level fields of a contender's result (wall time, peak RSS, page faults). */
export function resultFields(object) {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !['wall_ms', 'peak_rss_mb', 'minor_faults'].includes(key)));
}
