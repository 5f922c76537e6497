import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './CircuitBreaker.js';

describe('CircuitBreaker', () => {
  it('admits every batch while closed', () => {
    const breaker = new CircuitBreaker(5000);
    expect([breaker.admit(0), breaker.admit(1)]).toEqual(['send', 'send']);
    expect(breaker.isOpen).toBe(false);
  });

  it('spools batches unsent for the backoff after it opens, then admits one probe at a time', () => {
    // Prepare
    const breaker = new CircuitBreaker(5000);
    // Act
    breaker.open(1000);
    const during = [breaker.admit(1000), breaker.admit(5999)];
    const probe = breaker.admit(6000);
    const whileProbing = breaker.admit(6001);
    breaker.probeEnded();
    const nextProbe = breaker.admit(6002);
    // Assess
    expect(during).toEqual(['spool', 'spool']);
    expect(probe).toBe('probe');
    expect(whileProbing).toBe('spool');
    expect(nextProbe).toBe('probe');
  });

  it('is closed by an answered call, and reopened by a probe that spends its budget', () => {
    // Prepare
    const breaker = new CircuitBreaker(100);
    breaker.open(0);
    // Act: the probe fails again
    expect(breaker.admit(100)).toBe('probe');
    breaker.open(150);
    breaker.probeEnded();
    const afterFailedProbe = breaker.admit(200);
    // …then a later probe is answered
    expect(breaker.admit(250)).toBe('probe');
    breaker.close();
    breaker.probeEnded();
    // Assess
    expect(afterFailedProbe).toBe('spool');
    expect(breaker.isOpen).toBe(false);
    expect(breaker.admit(251)).toBe('send');
  });

  it('shares one pause among all batches after a whole call fails, keeping the latest end', () => {
    const breaker = new CircuitBreaker(5000);
    breaker.pauseUntil(1200);
    breaker.pauseUntil(1100);
    expect(breaker.pauseRemaining(1000)).toBe(200);
    expect(breaker.pauseRemaining(1300)).toBe(0);
  });
});
