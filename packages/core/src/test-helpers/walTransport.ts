// A controllable in-memory Transport for the write-ahead log's tests: it records what it receives, "delivers" on
// flush, and can refuse records (BUFFER_FULL), fail or hold its flushes, and drop records (its `lost` counter).
import { FiatError } from '../errors.js';
import { resolveStreamNames, type StreamNames } from '../names.js';
import type { Transport, TransportRecord, TransportStats } from '../transport.js';

/** The test transport (see the file comment). */
export interface WalTestTransport extends Transport {
  /** Every record received, in order. */
  readonly received: TransportRecord[];
  /** Records delivered by a flush (or close). */
  readonly delivered: TransportRecord[];
  /** How flush() answers: deliver, reject, or wait for `releaseFlushes()`. Default: 'deliver'. */
  flushMode: 'deliver' | 'fail' | 'hold';
  /** When true, write() throws BUFFER_FULL. */
  full: boolean;
  /** Records counted as dropped (as a transport's `lost`). */
  lost: number;
  flushes: number;
  releaseFlushes(): void;
  stats(): TransportStats & { readonly lost: number };
}

/**
 * Makes a test transport.
 *
 * @example
 * ```ts
 * const transport = walTestTransport();
 * transport.flushMode = 'fail';
 * ```
 */
export function walTestTransport(options: { readonly flushSync?: boolean } = {}): WalTestTransport {
  const received: TransportRecord[] = [];
  const delivered: TransportRecord[] = [];
  let held: (() => void)[] = [];
  const deliver = (): void => void delivered.push(...received.slice(delivered.length));
  const transport: WalTestTransport = {
    kind: 'walTest',
    received,
    delivered,
    flushMode: 'deliver',
    full: false,
    lost: 0,
    flushes: 0,
    write(record) {
      if (transport.full) throw new FiatError('BUFFER_FULL', 'test transport is full');
      received.push(record);
    },
    async flush() {
      transport.flushes += 1;
      const upTo = received.length;
      if (transport.flushMode === 'hold') await new Promise<void>((resolve) => held.push(resolve));
      if (transport.flushMode === 'fail') throw new FiatError('IO_FAILED', 'test transport flush failed');
      delivered.push(...received.slice(delivered.length, upTo));
    },
    releaseFlushes() {
      const waiting = held;
      held = [];
      for (const done of waiting) done();
    },
    async close() {
      if (transport.flushMode === 'deliver') deliver();
      return { delivered: delivered.length, undelivered: received.length - delivered.length };
    },
    stats() {
      return { received: received.length, delivered: delivered.length, pending: received.length - delivered.length, failed: 0, objects: 0, bytes: 0, lost: transport.lost };
    },
  };
  if (options.flushSync === true) {
    (transport as { flushSync?: () => void }).flushSync = () => {
      transport.full = false;
      deliver();
    };
  }
  return transport;
}

/** The names of the test stream. */
export const WAL_TEST_NAMES: StreamNames = resolveStreamNames('Events');

/**
 * A stored-looking line with a given event id (36 characters).
 *
 * @example
 * ```ts
 * walTestRecord(1); // { names, line: '{"event_id":"00000000-0000-7000-8000-000000000001",…}\n', … }
 * ```
 */
export function walTestRecord(n: number, text = 'x'): TransportRecord {
  const eventId = `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  return { names: WAL_TEST_NAMES, eventId, time: 1_700_000_000_000 + n, line: `{"event_id":"${eventId}","n":${n},"text":${JSON.stringify(text)}}\n` };
}
