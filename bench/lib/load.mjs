// The machine's 1-minute load average, sampled while a suite runs (it counts the benchmark's own processes too).
import { loadavg } from 'node:os';
import { spread } from './stats.mjs';

/** Starts sampling os.loadavg()[0] every `everyMs`; stop() returns `{ min, median, max, n }`. */
export function sampleLoad(everyMs = 2000) {
  const samples = [loadavg()[0]];
  const timer = setInterval(() => samples.push(loadavg()[0]), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadavg()[0]);
      return spread(samples, 3);
    },
  };
}
