// Helpers for a contender: a script that runs in a fresh process, reads its parameters (JSON) from argv[2] and
// writes its result as the last line of stdout. The parent (lib/spawn.mjs) verifies its output.
import { readFileSync } from 'node:fs';
import { createHistogram } from 'node:perf_hooks';

/** The contender's parameters: the JSON object in argv[2]. */
export function params() {
  return process.argv[2] ? JSON.parse(process.argv[2]) : {};
}

/** Seconds since `start` (a `process.hrtime.bigint()` value). */
export function secondsSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMb() {
  return Number((process.resourceUsage().maxRSS / 1024).toFixed(1));
}

/**
 * Writes the result as one JSON line, for the parent to collect, with this process's peak RSS and its minor page
 * faults (each first touch of fresh memory; expensive in virtual machines such as Firecracker, Lambda's VM).
 */
export function finish(result) {
  const usage = process.resourceUsage();
  process.stdout.write(`\n${JSON.stringify({ peak_rss_mb: peakRssMb(), minor_faults: usage.minorPageFault, ...result })}\n`);
}

/**
 * Minor page faults of the calling thread so far (Linux: /proc/thread-self/stat), or null elsewhere. On the main
 * thread this leaves out worker and thread-pool threads, whose faults do not hold up log().
 */
export function threadFaults() {
  return threadStat()?.faults ?? null;
}

/**
 * The calling thread's minor page faults and CPU milliseconds (user + system) so far, from /proc/thread-self/stat
 * (Linux; CPU in clock ticks, 10 ms), or null elsewhere.
 */
export function threadStat() {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { faults: Number(fields[7]), cpu_ms: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return null;
  }
}

/** An HDR histogram of nanoseconds (perf_hooks.createHistogram, 3 significant figures). */
export function nanosecondHistogram() {
  return createHistogram({ lowest: 1, highest: 60e9, figures: 3 });
}

/** p50 / p99 / p99.9 / max of a nanosecond histogram, in microseconds. */
export function percentilesUs(histogram) {
  const us = (ns) => Number((Number(ns) / 1000).toFixed(2));
  return {
    count: histogram.count,
    p50_us: us(histogram.percentile(50)),
    p99_us: us(histogram.percentile(99)),
    p999_us: us(histogram.percentile(99.9)),
    max_us: us(histogram.max),
  };
}

/** Lets the event loop run once (what a server does between requests). */
export function yieldToLoop() {
  return new Promise((resolve) => setImmediate(resolve));
}
