import type { Transport, TransportRecord } from '@fiat/core';

/** How the memory transport's flush behaves: resolves, rejects with an error, or never settles. */
export type FlushBehaviour = 'ok' | 'reject' | 'hang';

/** A transport that keeps records in memory, counts flushes, and can be told to fail. */
export interface MemoryTransport extends Transport {
  readonly records: TransportRecord[];
  /** The parsed stored lines, in order, checkpoints (`_fiat_checkpoint`) left out. */
  lines(): Record<string, unknown>[];
  /** The parsed checkpoint records, in order. */
  checkpoints(): Record<string, unknown>[];
  flushes: number;
  flushBehaviour: FlushBehaviour;
  /** When set, write() throws it. */
  writeError: Error | undefined;
}

/** A memory transport for tests. */
export function memoryTransport(): MemoryTransport {
  const records: TransportRecord[] = [];
  const transport: MemoryTransport = {
    kind: 'memory',
    records,
    lines: () => records.filter((r) => r.names.table !== '_fiat_checkpoint').map((r) => JSON.parse(r.line) as Record<string, unknown>),
    checkpoints: () => records.filter((r) => r.names.table === '_fiat_checkpoint').map((r) => JSON.parse(r.line) as Record<string, unknown>),
    flushes: 0,
    flushBehaviour: 'ok',
    writeError: undefined,
    write(record) {
      if (transport.writeError !== undefined) throw transport.writeError;
      records.push(record);
    },
    flush() {
      transport.flushes += 1;
      if (transport.flushBehaviour === 'reject') return Promise.reject(new Error('flush failed: disk full'));
      if (transport.flushBehaviour === 'hang') return new Promise<void>(() => undefined);
      return Promise.resolve();
    },
    close: async () => ({ delivered: records.length, undelivered: 0 }),
    stats: () => ({ received: records.length, delivered: records.length, pending: 0, failed: 0, objects: 0, bytes: 0 }),
  };
  return transport;
}
