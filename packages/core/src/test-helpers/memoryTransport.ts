import type { Transport, TransportRecord } from '../transport.js';

/**
 * A transport that keeps every record it is given, in order, for tests that look at the stored lines.
 *
 * @example
 * ```ts
 * const transport = memoryTransport();
 * const log = ValidatedLog.configure(transport, { app: 'shop', email: 'a@b.c' });
 * log.log(Orders, { order_id: 'o-1' });
 * JSON.parse(transport.records[0]!.line).order_id; // 'o-1'
 * ```
 */
export function memoryTransport(): Transport & { readonly records: TransportRecord[]; lines(table?: string): Record<string, unknown>[] } {
  const records: TransportRecord[] = [];
  return {
    kind: 'memory',
    records,
    lines: (table) => records.filter((r) => table === undefined || r.names.table === table).map((r) => JSON.parse(r.line) as Record<string, unknown>),
    write: (record) => void records.push(record),
    flush: async () => undefined,
    close: async () => ({ delivered: records.length, undelivered: 0 }),
    stats: () => ({ received: records.length, delivered: records.length, pending: 0, failed: 0, objects: 0, bytes: 0 }),
  };
}
