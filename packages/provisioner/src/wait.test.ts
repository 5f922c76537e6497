import { describe, expect, it } from 'vitest';
import { virtualClock } from './test-helpers.js';
import { pollUntil } from './wait.js';

describe('pollUntil', () => {
  it('never sleeps past the deadline: the wait ends within one poll latency of it', async () => {
    // Prepare: each poll takes 3 s of (virtual) time and never finds anything
    const clock = virtualClock(0);
    let polls = 0;
    // Act
    const outcome = await pollUntil({
      poll: async () => {
        polls++;
        clock.advance(3000);
        return undefined;
      },
      deadline: 20_000,
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(outcome).toEqual({ done: false, elapsedMs: clock.now() });
    expect(clock.now()).toBeGreaterThanOrEqual(20_000);
    expect(clock.now()).toBeLessThanOrEqual(20_000 + 3000);
    expect(clock.sleeps).toEqual([500, 750, 1125, 1688, 937]); // the last sleep is cut to end at the deadline
    expect(polls).toBe(6);
  });

  it('returns the first value with the time it took', async () => {
    const clock = virtualClock(0);
    let polls = 0;
    const outcome = await pollUntil({ poll: async () => (++polls === 3 ? 'ACTIVE' : undefined), deadline: 60_000, initialDelayMs: 1000, maxDelayMs: 5000, now: clock.now, sleep: clock.sleep });
    expect(outcome).toEqual({ done: true, value: 'ACTIVE', elapsedMs: 2500 });
    expect(clock.sleeps).toEqual([1000, 1500]);
  });

  it('polls once even when the deadline has already passed', async () => {
    const clock = virtualClock(100);
    let polls = 0;
    const outcome = await pollUntil({ poll: async () => void polls++, deadline: 50, initialDelayMs: 10, maxDelayMs: 10, now: clock.now, sleep: clock.sleep });
    expect(outcome.done).toBe(false);
    expect(polls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});
