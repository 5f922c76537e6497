import type {} from 'vitest';
import { resolveStreamNames } from '@fiat/core';

/** Something holding delivered records: the in-memory fake or the fake server. */
export interface RecordSource {
  records(deliveryStreamName?: string): Record<string, unknown>[];
}

interface MatcherContext {
  readonly isNot: boolean;
  equals(a: unknown, b: unknown): boolean;
  utils: { printExpected(value: unknown): string; printReceived(value: unknown): string };
}

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** What `expect.extend` accepts (vitest's or jest's). */
export interface ExpectLike {
  extend(matchers: Record<string, (this: any, received: any, ...args: any[]) => MatcherResult>): void;
}

declare module 'vitest' {
  interface Matchers<T = any> {
    /**
     * Passes when the fake received a record of `stream` (a stream name such as `'Audit'`, or a
     * delivery stream such as `'fiat-audit'`) whose fields include `fields`. A stored JSON-text
     * field (e.g. `task_args`, `output`) also matches a non-string value equal to its parsed value.
     */
    toHaveLogged(stream: string, fields?: Record<string, unknown>): T;
    /** Passes when the fake received exactly `count` records of `stream` (duplicates included). */
    toHaveLoggedTimes(stream: string, count: number): T;
  }
}

function deliveryStreamOf(source: RecordSource, stream: string): string {
  const direct = source.records(stream);
  if (direct.length > 0) return stream;
  try {
    return resolveStreamNames(stream).deliveryStream;
  } catch {
    return stream;
  }
}

function matches(context: MatcherContext, record: Record<string, unknown>, fields: Record<string, unknown>): boolean {
  for (const [key, expected] of Object.entries(fields)) {
    const actual = record[key];
    if (context.equals(actual, expected)) continue;
    if (typeof actual === 'string' && typeof expected !== 'string') {
      try {
        if (context.equals(JSON.parse(actual), expected)) continue;
      } catch {
        // not JSON text
      }
    }
    return false;
  }
  return true;
}

function checkSource(received: unknown): RecordSource {
  if (typeof received !== 'object' || received === null || typeof (received as RecordSource).records !== 'function') {
    throw new TypeError('expected a fake Firehose (createFakeFirehose() or startFakeFirehoseServer()) as the received value');
  }
  return received as RecordSource;
}

/**
 * Registers Fiat's matchers (`toHaveLogged`, `toHaveLoggedTimes`) on vitest's (or jest's)
 * `expect`. Call it once in a setup file.
 *
 * @example
 * ```ts
 * // vitest.setup.ts (listed in test.setupFiles)
 * import { expect } from 'vitest';
 * import { registerFiatMatchers } from '@fiat/testing';
 * registerFiatMatchers(expect);
 *
 * // a test
 * expect(fake).toHaveLogged('Audit', { task: '_add', phase: 'output' });
 * ```
 */
export function registerFiatMatchers(expect: ExpectLike): void {
  expect.extend({
    toHaveLogged(this: MatcherContext, received: unknown, stream: string, fields: Record<string, unknown> = {}): MatcherResult {
      const source = checkSource(received);
      const name = deliveryStreamOf(source, stream);
      const records = source.records(name);
      const pass = records.some((record) => matches(this, record, fields));
      return {
        pass,
        message: () =>
          pass
            ? `expected no ${stream} record (delivery stream ${name}) matching ${this.utils.printExpected(fields)}, but one was logged`
            : `expected a ${stream} record (delivery stream ${name}) matching ${this.utils.printExpected(fields)}; ${records.length} records were logged${
                records.length > 0 ? `, the last: ${this.utils.printReceived(records[records.length - 1])}` : ''
              }`,
      };
    },
    toHaveLoggedTimes(this: MatcherContext, received: unknown, stream: string, count: number): MatcherResult {
      const source = checkSource(received);
      const name = deliveryStreamOf(source, stream);
      const actual = source.records(name).length;
      return {
        pass: actual === count,
        message: () => `expected ${count} ${stream} records (delivery stream ${name}), got ${actual}`,
      };
    },
  });
}
