import { describe, expect, it } from 'vitest';
import { count, createProgress, seconds } from './progress.js';
import { captureContext } from './test-helpers.js';

function terminal(now: () => number = () => 0) {
  // Assigned, not spread: captureContext's stderr writes into the object it returned.
  return Object.assign(captureContext('/'), { stderrIsTTY: true, now });
}

describe('createProgress', () => {
  it('rewrites one line on a terminal, prints notes above it, and clears it', () => {
    // Prepare
    const context = terminal();
    const progress = createProgress(context);
    // Act
    progress.update('one');
    progress.update('two');
    progress.note('a line of its own');
    progress.update('three');
    progress.done();
    // Assess
    expect(context.err).toBe('\r\x1b[2Kone\r\x1b[2Ktwo\r\x1b[2Ka line of its own\n\r\x1b[2Kthree\r\x1b[2K');
  });

  it('prints nothing when stderr is not a terminal', () => {
    const context = captureContext('/');
    const progress = createProgress(context, { intervalMs: 1 });
    progress.update('one');
    progress.note('note');
    progress.done();
    expect(context.err).toBe('');
  });

  it('with an interval, stays silent for the first interval, then draws at most once per interval', () => {
    // Prepare
    let now = 0;
    const context = terminal(() => now);
    const progress = createProgress(context, { intervalMs: 1000 });
    // Act
    progress.update('1');
    now = 1000;
    progress.update('2');
    now = 1500;
    progress.update('3');
    now = 2100;
    progress.update('4');
    progress.done();
    // Assess
    expect(context.err).toBe('\r\x1b[2K2\r\x1b[2K4\r\x1b[2K');
  });

  it('with an interval, prints nothing at all on a short run', () => {
    const context = terminal();
    const progress = createProgress(context, { intervalMs: 1000 });
    progress.update('1');
    progress.done();
    expect(context.err).toBe('');
  });
});

describe('formats', () => {
  it('prints seconds with one decimal and counts with separators', () => {
    expect([seconds(1234), count(1_234_567)]).toEqual(['1.2 s', '1,234,567']);
  });
});
