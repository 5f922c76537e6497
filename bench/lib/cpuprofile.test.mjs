import { describe, expect, it } from 'vitest';
import { summariseProfile } from './cpuprofile.mjs';

const frame = (functionName, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });

describe('summariseProfile', () => {
  it('counts self samples by function and kind, inside the window only', () => {
    // Prepare: 1 ms apart from t=1000 µs; encode (Fiat), GC, idle, and a harness function outside the window.
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)') },
        { id: 2, callFrame: frame('encode', new URL('../../packages/core/dist/stream.js', import.meta.url).href, 126) },
        { id: 3, callFrame: frame('(garbage collector)') },
        { id: 4, callFrame: frame('(idle)') },
        { id: 5, callFrame: frame('makePool', new URL('./records.mjs', import.meta.url).href, 9) },
      ],
      startTime: 0,
      samples: [5, 2, 2, 3, 4, 2],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
    };
    // Act
    const summary = summariseProfile(profile, { window: [2000, 6000] });
    // Assess
    expect(summary.samples).toBe(5);
    expect(summary.kinds).toEqual({ fiat: 60, gc: 20, idle: 20 });
    expect(summary.top[0]).toMatchObject({ fn: 'encode', at: 'packages/core/dist/stream.js:127', kind: 'fiat', busy_pct: 75 });
    expect(summary.top.some((f) => f.fn === 'makePool')).toBe(false);
  });
});
