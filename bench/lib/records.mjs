// The records every contender logs: the same input objects, made by the same deterministic functions, so that the
// parent process can regenerate any record to check a decoded output line against it.
export const TASKS = ['_add', 'charge_card', 'fetch_invoice', 'rename_user'];

/** Envelope values: Fiat's logger options, pino's `base`, the ceiling's and the hand-written producer's constants. */
export const LOGGER_OPTIONS = { app: 'bench', email: 'bench@example.com', tags: { environment: 'bench', team: 'NTA' } };

/** The i-th audit record's fields (~110 B as JSON; ~290 B once stored with Fiat's envelope). */
export function auditFields(i) {
  return {
    audit_id: `a-${i}`,
    phase: 'start',
    task: TASKS[i % TASKS.length],
    task_args: { x: i, y: i % 7 },
    ticket_id: `nta-${1000 + (i % 50)}`,
  };
}

const WORDS = ['invoice', 'customer', 'refund', 'shipping', 'express', 'warehouse', 'Zürich', 'discount', 'pending', 'approved', 'card', 'bank'];

function item(i, k) {
  return {
    sku: `SKU-${String((i * 31 + k * 7) % 100_000).padStart(6, '0')}`,
    qty: ((i + k) % 9) + 1,
    price: ((i * 7 + k * 13) % 10_000) / 100,
    label: `${WORDS[(i + k) % WORDS.length]} ${WORDS[(i * 3 + k) % WORDS.length]}`,
  };
}

/** The i-th record whose fields are at least `bytes` long as JSON (task_args holds a list of order items). */
export function sizedFields(i, bytes) {
  const items = [];
  const fields = { ...auditFields(i), task_args: { order: i, items } };
  let length = JSON.stringify(fields).length;
  for (let k = 0; length < bytes; k++) {
    const next = item(i, k);
    items.push(next);
    length += JSON.stringify(next).length + 1;
  }
  return fields;
}

/** Record sizes by name: 'audit' is the ~260-byte audit record; a number is the fields' JSON size in bytes. */
export function fieldsFor(size, i) {
  return size === 'audit' ? auditFields(i) : sizedFields(i, Number(size));
}

/** About how many bytes of JSON one record's fields are. */
export function recordBytes(size) {
  return size === 'audit' ? 110 : Number(size);
}

/** Distinct records kept in memory per run: at most 4,096 and at most 16 MiB of JSON. */
export function poolCount(size) {
  const bytes = recordBytes(size);
  return Math.max(16, Math.min(4096, Math.floor((16 * 1024 * 1024) / bytes)));
}

/** The records a run cycles through (record i of a run is `pool[i % pool.length]`), built before any clock starts. */
export function makePool(size) {
  return Array.from({ length: poolCount(size) }, (_, k) => fieldsFor(size, k));
}

/** The pool index a decoded line came from (its `audit_id` is `a-<index>`). */
export function poolIndexOf(auditId) {
  const match = /^a-(\d+)$/.exec(String(auditId));
  if (match === null) throw new Error(`unexpected audit_id ${JSON.stringify(auditId)}`);
  return Number(match[1]);
}
