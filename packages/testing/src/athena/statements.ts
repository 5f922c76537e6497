/** One column of a fake Athena table, its type as Athena prints it (lowercase, no spaces). */
export interface FakeColumn {
  readonly name: string;
  readonly type: string;
  /** The column's `COMMENT '…'`, when it has one (DESCRIBE prints it). */
  readonly comment?: string;
}

/** A table the fake Athena knows, as parsed from `CREATE EXTERNAL TABLE`. */
export interface FakeTable {
  readonly database: string;
  readonly name: string;
  columns: FakeColumn[];
  readonly partitions: readonly FakeColumn[];
  readonly serde: string;
  readonly serdeProperties: Readonly<Record<string, string>>;
  readonly location: string;
  readonly properties: Readonly<Record<string, string>>;
}

/** A statement the fake understands. */
export type FakeStatement =
  | { readonly kind: 'createDatabase'; readonly database: string; readonly ifNotExists: boolean }
  | { readonly kind: 'createTable'; readonly table: Omit<FakeTable, 'database'> & { readonly database?: string }; readonly ifNotExists: boolean }
  | { readonly kind: 'addColumns'; readonly database?: string; readonly table: string; readonly columns: FakeColumn[] }
  | { readonly kind: 'describe'; readonly database?: string; readonly table: string }
  | { readonly kind: 'showTables'; readonly database?: string; readonly pattern?: string }
  | { readonly kind: 'dropTable'; readonly database?: string; readonly table: string; readonly ifExists: boolean }
  | { readonly kind: 'select'; readonly sql: string };

/** A statement the fake cannot run; `message` is what Athena's StateChangeReason would say. */
export class FakeAthenaError extends Error {}

type Token = { readonly kind: 'word' | 'quoted' | 'string' | 'punct'; readonly text: string };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i += 1;
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      if (end < 0) throw new FakeAthenaError(`line 1:${i + 1}: unterminated quoted identifier`);
      tokens.push({ kind: 'quoted', text: sql.slice(i + 1, end) });
      i = end + 1;
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new FakeAthenaError(`line 1:${i + 1}: unterminated string literal`);
        if (sql[j] === "'" && sql[j + 1] === "'") {
          text += "'";
          j += 2;
        } else if (sql[j] === "'") {
          break;
        } else {
          text += sql[j];
          j += 1;
        }
      }
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j] as string)) j += 1;
      tokens.push({ kind: 'word', text: sql.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: 'punct', text: c });
      i += 1;
    }
  }
  return tokens;
}

class Parser {
  #position = 0;
  constructor(readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.#position + offset];
  }
  next(): Token {
    const token = this.tokens[this.#position];
    if (token === undefined) throw new FakeAthenaError('line 1:1: mismatched input \'<EOF>\'');
    this.#position += 1;
    return token;
  }
  isWord(...words: string[]): boolean {
    const token = this.peek();
    return token?.kind === 'word' && words.includes(token.text.toUpperCase());
  }
  word(...words: string[]): void {
    const token = this.next();
    if (token.kind !== 'word' || !words.includes(token.text.toUpperCase())) {
      throw new FakeAthenaError(`line 1:1: mismatched input '${token.text}'. Expecting: ${words.join(', ')}`);
    }
  }
  optionalWords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      const token = this.peek(k);
      if (token?.kind !== 'word' || token.text.toUpperCase() !== words[k]) return false;
    }
    this.#position += words.length;
    return true;
  }
  punct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw new FakeAthenaError(`line 1:1: mismatched input '${token.text}'. Expecting: '${text}'`);
  }
  isPunct(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.text === text;
  }
  identifier(): string {
    const token = this.next();
    if (token.kind === 'quoted') {
      if (!/^[A-Za-z0-9_]+$/.test(token.text)) throw new FakeAthenaError(`line 1:1: invalid identifier \`${token.text}\``);
      return token.text.toLowerCase();
    }
    if (token.kind === 'word' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(token.text)) return token.text.toLowerCase();
    throw new FakeAthenaError(`line 1:1: mismatched input '${token.text}'. Expecting: an identifier`);
  }
  qualified(): { database?: string; name: string } {
    const first = this.identifier();
    if (this.isPunct('.')) {
      this.next();
      return { database: first, name: this.identifier() };
    }
    return { name: first };
  }
  string(): string {
    const token = this.next();
    if (token.kind !== 'string') throw new FakeAthenaError(`line 1:1: mismatched input '${token.text}'. Expecting: a string literal`);
    return token.text;
  }
  type(): string {
    const head = this.identifier();
    let out = head;
    if (head === 'array' || head === 'map' || head === 'struct') {
      this.punct('<');
      out += '<';
      if (head === 'struct') {
        for (;;) {
          out += `${this.identifier()}:`;
          this.punct(':');
          out += this.type();
          if (this.isPunct(',')) {
            this.next();
            out += ',';
          } else break;
        }
      } else {
        out += this.type();
        if (head === 'map') {
          this.punct(',');
          out += `,${this.type()}`;
        }
      }
      this.punct('>');
      out += '>';
    } else if ((head === 'decimal' || head === 'varchar' || head === 'char') && this.isPunct('(')) {
      this.next();
      const args: string[] = [this.next().text];
      if (this.isPunct(',')) {
        this.next();
        args.push(this.next().text);
      }
      this.punct(')');
      out += `(${args.join(',')})`;
    } else if (!SCALARS.has(head)) {
      throw new FakeAthenaError(`line 1:1: Unknown type: ${head}`);
    }
    return out;
  }
  columns(): FakeColumn[] {
    this.punct('(');
    const columns: FakeColumn[] = [];
    for (;;) {
      const name = this.identifier();
      const type = this.type();
      const comment = this.optionalWords('COMMENT') ? this.string() : undefined;
      columns.push(comment === undefined ? { name, type } : { name, type, comment });
      if (this.isPunct(',')) this.next();
      else break;
    }
    this.punct(')');
    return columns;
  }
  properties(): Record<string, string> {
    this.punct('(');
    const out: Record<string, string> = {};
    for (;;) {
      const key = this.string();
      this.punct('=');
      out[key] = this.string();
      if (this.isPunct(',')) this.next();
      else break;
    }
    this.punct(')');
    return out;
  }
  done(): boolean {
    return this.#position >= this.tokens.length;
  }
}

const SCALARS = new Set(['string', 'varchar', 'char', 'int', 'integer', 'bigint', 'smallint', 'tinyint', 'double', 'float', 'decimal', 'boolean', 'date', 'timestamp', 'binary']);

/** Strips one trailing `;` and refuses more than one statement, as Athena does. */
function singleStatement(sql: string): string {
  const trimmed = sql.trim().replace(/;\s*$/, '');
  const tokens = tokenize(trimmed);
  if (tokens.some((t) => t.kind === 'punct' && t.text === ';')) {
    throw new FakeAthenaError(`Only one sql statement is allowed. Got: ${sql.trim()}`);
  }
  return trimmed;
}

/**
 * Parses one statement as Athena would accept it: the DDL Fiat generates (CREATE DATABASE,
 * CREATE EXTERNAL TABLE with SerDe, location and partition projection, ALTER TABLE ADD COLUMNS),
 * DESCRIBE, SHOW TABLES, DROP TABLE, and SELECT/WITH (run on DuckDB). Throws {@link FakeAthenaError}.
 *
 * @example
 * ```ts
 * parseStatement('DESCRIBE `fiat`.`audit`'); // { kind: 'describe', database: 'fiat', table: 'audit' }
 * ```
 */
export function parseStatement(sql: string): FakeStatement {
  const text = singleStatement(sql);
  const p = new Parser(tokenize(text));
  const end = <T>(statement: T): T => {
    if (!p.done()) throw new FakeAthenaError(`line 1:1: extraneous input '${p.peek()?.text}'`);
    return statement;
  };
  if (p.isWord('SELECT', 'WITH', 'VALUES') || p.isPunct('(')) return { kind: 'select', sql: text };
  if (p.optionalWords('CREATE', 'DATABASE') || p.optionalWords('CREATE', 'SCHEMA')) {
    const ifNotExists = p.optionalWords('IF', 'NOT', 'EXISTS');
    return end({ kind: 'createDatabase', database: p.identifier(), ifNotExists });
  }
  if (p.optionalWords('CREATE', 'EXTERNAL', 'TABLE')) {
    const ifNotExists = p.optionalWords('IF', 'NOT', 'EXISTS');
    const name = p.qualified();
    const columns = p.columns();
    let partitions: FakeColumn[] = [];
    let serde = 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';
    let serdeProperties: Record<string, string> = {};
    let location: string | undefined;
    let properties: Record<string, string> = {};
    while (!p.done()) {
      if (p.optionalWords('PARTITIONED', 'BY')) partitions = p.columns();
      else if (p.optionalWords('ROW', 'FORMAT', 'SERDE')) serde = p.string();
      else if (p.optionalWords('WITH', 'SERDEPROPERTIES')) serdeProperties = p.properties();
      else if (p.optionalWords('STORED', 'AS')) p.next();
      else if (p.optionalWords('LOCATION')) location = p.string();
      else if (p.optionalWords('TBLPROPERTIES')) properties = p.properties();
      else throw new FakeAthenaError(`line 1:1: mismatched input '${p.peek()?.text}'`);
    }
    if (location === undefined) throw new FakeAthenaError('line 1:1: LOCATION is required for an external table');
    return {
      kind: 'createTable',
      ifNotExists,
      table: { ...(name.database !== undefined ? { database: name.database } : {}), name: name.name, columns, partitions, serde, serdeProperties, location, properties },
    };
  }
  if (p.optionalWords('ALTER', 'TABLE')) {
    const name = p.qualified();
    p.word('ADD');
    p.word('COLUMNS');
    const columns = p.columns();
    return end({ kind: 'addColumns', ...(name.database !== undefined ? { database: name.database } : {}), table: name.name, columns });
  }
  if (p.optionalWords('DESCRIBE') || p.optionalWords('DESC')) {
    const name = p.qualified();
    return end({ kind: 'describe', ...(name.database !== undefined ? { database: name.database } : {}), table: name.name });
  }
  if (p.optionalWords('SHOW', 'TABLES')) {
    let database: string | undefined;
    if (p.optionalWords('IN') || p.optionalWords('FROM')) database = p.identifier();
    const pattern = p.done() ? undefined : p.string();
    return end({ kind: 'showTables', ...(database !== undefined ? { database } : {}), ...(pattern !== undefined ? { pattern } : {}) });
  }
  if (p.optionalWords('DROP', 'TABLE')) {
    const ifExists = p.optionalWords('IF', 'EXISTS');
    const name = p.qualified();
    return end({ kind: 'dropTable', ...(name.database !== undefined ? { database: name.database } : {}), table: name.name, ifExists });
  }
  throw new FakeAthenaError(`line 1:1: the fake Athena does not support this statement: ${text.slice(0, 60)}`);
}
