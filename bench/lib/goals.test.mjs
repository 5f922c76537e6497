import { describe, expect, it } from 'vitest';
import { judgeGoals } from './goals.mjs';

describe('judgeGoals', () => {
  it('judges each goal on its figure and leaves out goals without one', () => {
    // Prepare: a hot path at 1.02× pino, latency over its goal, nothing else measured.
    const results = { hot_path: { ratio: 1.02, log_p99_us: 16.5 } };
    // Act
    const judged = judgeGoals(results);
    // Assess
    expect(judged.map((g) => [g.path, g.met])).toEqual([
      ['hot_path.ratio', true],
      ['hot_path.log_p99_us', false],
    ]);
  });

  it('judges the outage goals against maxBufferBytes + 100 MB', () => {
    const outages = [16, 64, 256].map((mb) => ({ max_buffer_mb: mb, client: 'sdk', outage_peak_rss_mb: mb + 100, lost: 0 }));
    outages[2].outage_peak_rss_mb = 357;
    const judged = judgeGoals({ memory: { outages } }).map((g) => g.met);
    expect(judged).toEqual([true, true, false, true]);
  });
});
