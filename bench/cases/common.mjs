// Shared by the benchmark cases: the same audit-shaped records for every contender.
export const TASKS = ['_add', 'charge_card', 'fetch_invoice', 'rename_user'];

/** The i-th audit-shaped record's fields (about 260 bytes once stored with its envelope). */
export function auditFields(i) {
  return {
    audit_id: `a-${i}`,
    phase: 'start',
    task: TASKS[i % TASKS.length],
    task_args: { x: i, y: i % 7 },
    ticket_id: `nta-${1000 + (i % 50)}`,
  };
}

export const LOGGER_OPTIONS = { app: 'bench', email: 'bench@example.com', tags: { environment: 'bench', team: 'NTA' } };

/** Writes one result object as the last line of stdout, for run.mjs to collect. */
export function report(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
