import { describe, expect, it } from 'vitest';
import { withFlush } from './withFlush.js';

describe('withFlush', () => {
  it('checkpoints and flushes after each invocation, and returns what the handler returned', async () => {
    const calls: string[] = [];
    const target = { checkpoint: () => void calls.push('checkpoint'), flush: async () => void calls.push('flush') };
    const handler = withFlush(target, async (event: number) => (calls.push('handler'), event * 2));
    await expect(handler(21, {})).resolves.toBe(42);
    expect(calls).toEqual(['handler', 'checkpoint', 'flush']);
  });

  it('never lets a failing flush replace the handler\'s result or its error', async () => {
    const target = { flush: async () => Promise.reject(new Error('spool disk is read-only')) };
    await expect(withFlush(target, async () => 'ok')({}, {})).resolves.toBe('ok');
    const failure = new TypeError('the handler failed');
    await expect(
      withFlush(target, async () => {
        throw failure;
      })({}, {}),
    ).rejects.toBe(failure);
  });
});
