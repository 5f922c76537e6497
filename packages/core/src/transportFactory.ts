// Owns how ValidatedLog.configure finds a transport by name without importing it: transports that
// live behind a subpath (the Firehose transport in '@fiat/core/firehose') register a factory there,
// and declare the option keys that are theirs.
import { FiatError } from './errors.js';
import type { Transport } from './transport.js';

/**
 * Builds a transport from the options meant for it. `optionKeys` declares which of a logger's options
 * are the transport's: `ValidatedLog.configure` routes those to it and refuses keys that belong to
 * neither the logger nor the transport.
 *
 * @example
 * ```ts
 * import { firehoseTransport } from '@fiat/core/firehose';
 * const logger = ValidatedLog.configure(firehoseTransport, { app: 'shop', email: 'a@b.c', client: fake });
 * ```
 */
export interface TransportFactory<TOptions extends object = any> {
  /** The name `ValidatedLog.configure(name, …)` accepts, e.g. `'firehose'`. */
  readonly kind: string;
  /** The option keys that are the transport's. */
  readonly optionKeys: readonly string[];
  create(options: TOptions): Transport;
}

const factories = new Map<string, TransportFactory>();

/**
 * Makes `ValidatedLog.configure(factory.kind, …)` work. Importing `@fiat/core/firehose` registers
 * `'firehose'`; a later registration of the same kind replaces the earlier one.
 *
 * @example
 * ```ts
 * registerTransportFactory({ kind: 'memory', optionKeys: [], create: () => memoryTransport() });
 * ```
 */
export function registerTransportFactory(factory: TransportFactory): void {
  factories.set(factory.kind, factory);
}

/**
 * The factory registered for `kind`, or `undefined`.
 *
 * @example
 * ```ts
 * registeredTransportFactory('firehose')?.create({ client }); // after import '@fiat/core/firehose'
 * ```
 */
export function registeredTransportFactory(kind: string): TransportFactory | undefined {
  return factories.get(kind);
}

/** True for an object that looks like a {@link TransportFactory}. */
export function isTransportFactory(value: unknown): value is TransportFactory {
  const v = value as Partial<TransportFactory> | null;
  return typeof v === 'object' && v !== null && typeof v.kind === 'string' && Array.isArray(v.optionKeys) && typeof v.create === 'function';
}

/**
 * Splits a logger's options into the logger's and the transport's, by declared key lists. A key in
 * both lists (`onError`) goes to both. A key in neither is refused with `CONFIG_INVALID` naming it,
 * so that an option never leaks silently into the wrong place.
 *
 * @example
 * ```ts
 * routeOptions({ app: 'a', email: 'e', client }, ['app', 'email'], ['client'], 'firehose'); // { client }
 * ```
 */
export function routeOptions(options: object, loggerKeys: readonly string[], transportKeys: readonly string[], kind: string): Record<string, unknown> {
  const routed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const forTransport = transportKeys.includes(key);
    if (!forTransport && !loggerKeys.includes(key)) {
      const known = [...new Set([...loggerKeys, ...transportKeys])].join(', ');
      throw new FiatError('CONFIG_INVALID', `option ${key} is not an option of the logger nor of the ${kind} transport (known: ${known})`);
    }
    if (forTransport && value !== undefined) routed[key] = value;
  }
  return routed;
}
