// Owns "did you mean …?" for an unknown table in `fiat query`.

/**
 * The Levenshtein distance between two strings, with an adjacent swap counted as one edit
 * (optimal string alignment), case-insensitive.
 *
 * @example
 * ```ts
 * editDistance('adit', 'audit'); // 1
 * editDistance('aduit', 'audit'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The known table closest to `name`, when it is close enough to be a typo: at most
 * `max(1, ⌊length/3⌋)` edits (`adit`, `Audit`, `aduit` → `audit`; `orders` → none).
 *
 * @example
 * ```ts
 * nearestTable('adit', ['audit', '_fiat_deadletter']); // 'audit'
 * nearestTable('orders', ['audit']); // undefined
 * ```
 */
export function nearestTable(name: string, tables: readonly string[]): string | undefined {
  let best: { table: string; distance: number } | undefined;
  for (const table of tables) {
    const distance = editDistance(name, table);
    if (best === undefined || distance < best.distance) best = { table, distance };
  }
  return best !== undefined && best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.table : undefined;
}

/** DuckDB's and Athena's (Trino's) wording for a missing table, capturing its name. */
const MISSING_TABLE = [/Table with name "?([^"\s!]+)"? does not exist/i, /Table '?(?:[\w]+\.)*([^'.\s]+)'? does not exist/i, /Table ([\w.]+) does not exist/i];

/**
 * The hint for a query error about a missing table: `did you mean audit?` for a near name, else the
 * list of tables; `undefined` when the error is about something else.
 *
 * @example
 * ```ts
 * missingTableHint('Catalog Error: Table with name adit does not exist!', ['audit']); // 'did you mean audit?'
 * ```
 */
export function missingTableHint(message: string, tables: readonly string[]): string | undefined {
  for (const pattern of MISSING_TABLE) {
    const match = pattern.exec(message);
    if (match === null) continue;
    const name = (match[1] as string).split('.').pop() as string;
    const nearest = nearestTable(name, tables);
    if (nearest !== undefined && nearest !== name) return `did you mean ${nearest}?`;
    return tables.length > 0 ? `tables: ${tables.join(', ')}` : undefined;
  }
  return undefined;
}
