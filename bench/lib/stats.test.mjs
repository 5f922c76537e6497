import { describe, expect, it } from 'vitest';
import { median, ratioSpread, round, spread } from './stats.mjs';

describe('stats', () => {
  it('takes the median of odd and even counts, without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('rounds to significant figures', () => {
    expect(round(123_456, 3)).toBe(123_000);
    expect(round(0.012345, 3)).toBe(0.0123);
  });

  it('pairs rounds for ratios: the ratio of each round, not the ratio of medians', () => {
    // Prepare: round 2 is slow for both sides (a loaded machine), which must not skew the ratio.
    const fiat = [100, 50, 110];
    const peer = [100, 50, 100];
    // Act
    const ratios = ratioSpread(fiat, peer);
    // Assess
    expect(ratios).toEqual({ min: 1, median: 1, max: 1.1, n: 3 });
    expect(() => ratioSpread([1, 2], [1])).toThrow(/unpaired/);
  });

  it('refuses an empty spread', () => {
    expect(() => spread([])).toThrow(/no values/);
  });
});
