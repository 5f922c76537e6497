import { describe, expect, it } from 'vitest';
import { backoffDelay, RetryPolicy } from './RetryPolicy.js';

const OPTIONS = { maxAttempts: 4, maxRetryTimeMs: 1000, baseDelayMs: 100, maxDelayMs: 5000, requestTimeoutMs: 15_000, outageBackoffMs: 5000 };

describe('backoffDelay', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, options, () => 0.999999))).toEqual([99, 199, 399, 799, 4999]);
    expect(backoffDelay(7, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(200);
  });
});

describe('RetryPolicy', () => {
  it('retries a throttled, unknown, unsent or partial failure after a jittered delay', () => {
    // Prepare
    const policy = new RetryPolicy(OPTIONS, () => 0.5);
    // Act + Assess
    expect(policy.next(1, 0, 'throttled')).toEqual({ retry: true, delayMs: 50 });
    expect(policy.next(2, 0, 'unknown')).toEqual({ retry: true, delayMs: 100 });
    expect(policy.next(2, 0, 'unsent')).toEqual({ retry: true, delayMs: 100 });
    expect(policy.next(3, 0, 'partial')).toEqual({ retry: true, delayMs: 200 });
  });

  it('never retries a fatal error', () => {
    expect(new RetryPolicy(OPTIONS).next(1, 0, 'fatal')).toEqual({ retry: false, reason: 'a non-retryable error' });
  });

  it('gives up after maxAttempts attempts', () => {
    const policy = new RetryPolicy(OPTIONS, () => 0);
    expect(policy.next(3, 0, 'throttled').retry).toBe(true);
    expect(policy.next(4, 10, 'throttled')).toEqual({ retry: false, reason: 'retry budget exhausted after 4 attempts in 10 ms' });
  });

  it('gives up when the next delay would pass maxRetryTimeMs', () => {
    // Prepare: the delay before attempt 2 is 99 ms
    const policy = new RetryPolicy(OPTIONS, () => 0.99);
    // Act + Assess
    expect(policy.next(1, 901, 'throttled')).toEqual({ retry: true, delayMs: 99 });
    expect(policy.next(1, 902, 'throttled')).toMatchObject({ retry: false });
  });
});
