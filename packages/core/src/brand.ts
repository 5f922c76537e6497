/**
 * The registry of stream definitions made by Fiat, shared by every copy of `@fiat/core` loaded in
 * the process (an application may end up with two, e.g. schemas built against another copy). It
 * lives on `globalThis` under a `Symbol.for` key, so each copy finds the same `WeakSet`; a
 * definition is recognised by identity, so a spread copy or a look-alike object with an `encode`
 * function is not.
 */
const REGISTRY_KEY = Symbol.for('@fiat/core/stream-definitions@1');

function sharedRegistry(): WeakSet<object> {
  const holder = globalThis as { [REGISTRY_KEY]?: WeakSet<object> };
  const existing = holder[REGISTRY_KEY];
  if (existing instanceof WeakSet) return existing;
  const registry = new WeakSet<object>();
  Object.defineProperty(globalThis, REGISTRY_KEY, { value: registry, enumerable: false, writable: false, configurable: false });
  return registry;
}

const registry = sharedRegistry();

/**
 * Records `definition` as made by Fiat (after it is frozen). Internal: `createStreamDefinition`
 * calls it.
 */
export function brandDefinition<T extends object>(definition: T): T {
  registry.add(definition);
  return definition;
}

/**
 * True when `value` is a stream definition made by `defineStream`, `createStreamDefinition` or
 * `loadStreamFolder` (by any copy of `@fiat/core` in the process). `ValidatedLog` accepts only
 * those, so a transport receives only lines Fiat's own encoder wrote.
 *
 * @example
 * ```ts
 * isStreamDefinition(Audit);                 // true
 * isStreamDefinition({ ...Audit });          // false: a copy is not a definition
 * isStreamDefinition({ encode: () => 'x' }); // false
 * ```
 */
export function isStreamDefinition(value: unknown): boolean {
  return typeof value === 'object' && value !== null && registry.has(value);
}

/**
 * Freezes `value` and every object and array inside it, so a definition's names, fields, columns and
 * schemas cannot change after it is made. Functions are left as they are.
 *
 * @example
 * ```ts
 * const names = deepFreeze({ table: 'orders' });
 * Object.isFrozen(names); // true
 * ```
 */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return value;
}
