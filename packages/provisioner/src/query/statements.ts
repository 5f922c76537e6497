// Owns splitting SQL into statements the way Athena counts them: semicolons inside string
// literals, quoted identifiers and comments do not end a statement.

/** What {@link splitStatements} found. */
export interface SqlStatements {
  /** The statements, trimmed, without their terminating semicolon (empty ones dropped). */
  readonly statements: readonly string[];
  /** Top-level semicolons (outside strings, quoted identifiers and comments). */
  readonly semicolons: number;
}

/** Where a quoted or commented stretch ends, given where it starts; -1 when it is not one. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"' || c === '`') {
    // A doubled quote inside is an escaped quote. An unterminated literal runs to the end.
    for (let j = i + 1; j < sql.length; j++) {
      if (sql[j] !== c) continue;
      if (sql[j + 1] === c) j++;
      else return j + 1;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i + 2);
    return end === -1 ? sql.length : end + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return -1;
}

/** True when the text holds nothing but whitespace and comments. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; ) {
    if (/\s/.test(text[i] as string)) {
      i++;
      continue;
    }
    const c = text[i];
    const end = (c === '-' && text[i + 1] === '-') || (c === '/' && text[i + 1] === '*') ? skipQuoted(text, i) : -1;
    if (end === -1) return false;
    i = end;
  }
  return true;
}

/**
 * Splits SQL at its top-level semicolons. Single-quoted strings (`''` escapes a quote), double-quoted
 * and backtick-quoted identifiers, `--` line comments and `/* … *\/` block comments are skipped, so a
 * semicolon inside them does not count. Segments holding only whitespace or comments are dropped.
 *
 * @example
 * ```ts
 * splitStatements("SELECT ';' AS x; -- done").statements; // ["SELECT ';' AS x"]
 * splitStatements('SELECT 1; SELECT 2').statements.length; // 2
 * ```
 */
export function splitStatements(sql: string): SqlStatements {
  const statements: string[] = [];
  let semicolons = 0;
  let start = 0;
  for (let i = 0; i < sql.length; ) {
    const skipped = skipQuoted(sql, i);
    if (skipped !== -1) {
      i = skipped;
      continue;
    }
    if (sql[i] === ';') {
      semicolons++;
      statements.push(sql.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  statements.push(sql.slice(start));
  return { statements: statements.filter((s) => !isBlank(s)).map((s) => s.trim()), semicolons };
}
