import { createStreamDefinition, type StreamDefinition } from '../stream.js';

/**
 * The `Events` stream of the child-process tests (`{ n: integer, pad?: string }`), built without
 * Zod or an ajv compile so that each child starts fast.
 */
export const ChildEvents: StreamDefinition<{ n: number; pad?: string }> = createStreamDefinition({
  name: 'Events',
  fields: [
    { name: 'n', plan: { kind: 'bigint' }, required: true, nullable: false },
    { name: 'pad', plan: { kind: 'string' }, required: false, nullable: false },
  ],
  sources: { n: { type: 'integer' }, pad: { type: 'string' } },
  validator: {
    check: (value) => typeof value === 'object' && value !== null && Number.isSafeInteger((value as { n?: unknown }).n),
    issues: () => [{ path: 'n', message: 'must be integer' }],
  },
});

/** The chained `Ledger` stream of the exit tests (`{ n: integer }`): its checkpoints show which exit paths write them. */
export const ChildLedger: StreamDefinition<{ n: number }> = createStreamDefinition({
  name: 'Ledger',
  fields: [{ name: 'n', plan: { kind: 'bigint' }, required: true, nullable: false }],
  sources: { n: { type: 'integer' } },
  integrity: 'chain',
  validator: {
    check: (value) => typeof value === 'object' && value !== null && Number.isSafeInteger((value as { n?: unknown }).n),
    issues: () => [{ path: 'n', message: 'must be integer' }],
  },
});
