import { describe, expect, it } from 'vitest';
import { progressLine } from './progress.js';

describe('progressLine', () => {
  it('stays silent for the first interval, then rewrites one line at most once per interval, and clears it', () => {
    // Prepare
    let now = 0;
    const written: string[] = [];
    const progress = progressLine((text) => written.push(text), () => now, 1000);
    // Act
    progress.update(1, 10);
    now = 1000;
    progress.update(2, 2500);
    now = 1500;
    progress.update(3, 3000);
    now = 2100;
    progress.update(4, 1_234_567);
    progress.done();
    // Assess
    expect(written).toEqual(['\rverifying: 2 files, 2,500 lines\u001b[K', '\rverifying: 4 files, 1,234,567 lines\u001b[K', '\r\u001b[K']);
  });

  it('prints nothing at all on a short run', () => {
    const written: string[] = [];
    const progress = progressLine((text) => written.push(text), () => 0);
    progress.update(1, 1);
    progress.done();
    expect(written).toEqual([]);
  });
});
