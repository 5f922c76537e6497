import { createHash, randomUUID } from 'node:crypto';
import { FiatError } from '@fiat/core';
import type { AthenaClient, QueryExecution } from '@aws-sdk/client-athena';
import { awsErrorMessage } from '../aws.js';
import type { QueryResult } from '../localLake.js';
import { pollUntil } from '../wait.js';

/** Options of {@link AthenaRunner}. */
export interface AthenaRunnerOptions {
  /** The Athena client. Required. */
  readonly client: AthenaClient;
  /** Database queries run in. Required. */
  readonly database: string;
  /** Workgroup. Default: `primary`. */
  readonly workgroup?: string;
  /** Query results location (`s3://…/`). Default: the workgroup's. */
  readonly outputLocation?: string;
  /** First polling delay in ms; each next one is 1.5× longer. Default: 250. */
  readonly initialDelayMs?: number;
  /** Longest polling delay in ms. Default: 5000. */
  readonly maxDelayMs?: number;
  /** Give up waiting after this many ms (the query is stopped). Default: 600000 (10 minutes). */
  readonly timeoutMs?: number;
  /** How to wait. Default: `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock polling deadlines are measured on, in ms. Default: `Date.now`. */
  readonly now?: () => number;
  /** Told about each state seen while polling. Default: none. */
  readonly onState?: (state: string, queryExecutionId: string) => void;
}

/** How a query ended. */
export interface QueryExecutionSummary {
  readonly queryExecutionId: string;
  readonly state: string;
  /** `DDL`, `DML` or `UTILITY`. */
  readonly statementType?: string;
  readonly dataScannedInBytes: number;
  readonly stateChangeReason?: string;
}

/** A query's rows with its execution. */
export interface AthenaQueryResult extends QueryResult, QueryExecutionSummary {
  /** Athena's column types (`varchar`, `bigint`, …), in column order. */
  readonly types: readonly string[];
}

/**
 * The `ClientRequestToken` of a statement: a hash of workgroup, database, output location and SQL,
 * so running the same DDL twice is one execution. With `fresh`, a random suffix makes a new execution
 * (reads must not get an earlier execution's cached rows).
 *
 * @example
 * ```ts
 * clientRequestToken('CREATE …', { database: 'fiat' }) === clientRequestToken('CREATE …', { database: 'fiat' }); // true
 * ```
 */
export function clientRequestToken(
  sql: string,
  scope: { readonly database: string; readonly workgroup?: string; readonly outputLocation?: string },
  fresh = false,
): string {
  const hash = createHash('sha256')
    .update([scope.workgroup ?? 'primary', scope.database, scope.outputLocation ?? '', sql].join('\0'))
    .digest('hex');
  return fresh ? `fiat-${hash.slice(0, 40)}-${randomUUID()}` : `fiat-${hash}`;
}

const INTEGER = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const FLOAT = new Set(['double', 'float', 'real']);

function typedValue(value: string | undefined, type: string): unknown {
  if (value === undefined) return null;
  const t = type.toLowerCase();
  if (INTEGER.has(t)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (FLOAT.has(t) || t.startsWith('decimal')) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (t === 'boolean') return value === 'true';
  return value;
}

/**
 * Runs statements through the Athena API: `StartQueryExecution` (workgroup, output location,
 * `ClientRequestToken`), `GetQueryExecution` polled with backoff (250 ms growing to 5 s) until the
 * query ends, then `GetQueryResults` page by page (the header row of a SELECT dropped).
 * A failed query throws `QUERY_FAILED` with Athena's `StateChangeReason`.
 *
 * @example
 * ```ts
 * const runner = new AthenaRunner({ client: new AthenaClient({ region: 'eu-west-1' }), database: 'fiat' });
 * const { rows, dataScannedInBytes } = await runner.query('SELECT count(*) AS n FROM audit');
 * ```
 */
export class AthenaRunner {
  readonly #options: AthenaRunnerOptions;

  constructor(options: AthenaRunnerOptions) {
    this.#options = options;
  }

  /**
   * Starts one statement and waits until it ends. `idempotent` statements (DDL) get a token derived
   * from the statement; others a fresh one. `deadline` (on the runner's clock) ends the wait earlier
   * than `timeoutMs`. Throws `QUERY_FAILED` unless it SUCCEEDED.
   */
  async execute(sql: string, options: { readonly idempotent?: boolean; readonly deadline?: number } = {}): Promise<QueryExecutionSummary> {
    const { StartQueryExecutionCommand } = await import('@aws-sdk/client-athena');
    const { client, database, workgroup, outputLocation } = this.#options;
    const token = clientRequestToken(sql, { database, ...(workgroup ? { workgroup } : {}), ...(outputLocation ? { outputLocation } : {}) }, !options.idempotent);
    let id: string | undefined;
    try {
      const started = await client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          QueryExecutionContext: { Database: database },
          WorkGroup: workgroup ?? 'primary',
          ...(outputLocation !== undefined ? { ResultConfiguration: { OutputLocation: outputLocation } } : {}),
          ClientRequestToken: token,
        }),
      );
      id = started.QueryExecutionId;
    } catch (cause) {
      throw new FiatError('QUERY_FAILED', `Athena StartQueryExecution failed: ${awsErrorMessage(cause)}`, { cause });
    }
    if (id === undefined) throw new FiatError('QUERY_FAILED', 'Athena StartQueryExecution returned no QueryExecutionId');
    const execution = await this.wait(id, options.deadline);
    const summary: QueryExecutionSummary = {
      queryExecutionId: id,
      state: execution.Status?.State ?? 'UNKNOWN',
      ...(execution.StatementType !== undefined ? { statementType: execution.StatementType } : {}),
      dataScannedInBytes: execution.Statistics?.DataScannedInBytes ?? 0,
      ...(execution.Status?.StateChangeReason !== undefined ? { stateChangeReason: execution.Status.StateChangeReason } : {}),
    };
    if (summary.state !== 'SUCCEEDED') {
      const reason = summary.stateChangeReason ?? execution.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
      throw new FiatError('QUERY_FAILED', `Athena query ${id} ${summary.state}: ${reason.split('\n')[0]}`);
    }
    return summary;
  }

  /**
   * Polls `GetQueryExecution` with backoff until the query is SUCCEEDED, FAILED or CANCELLED. At
   * `timeoutMs` (or the earlier `deadline`, on the runner's clock) the query is stopped and
   * `QUERY_FAILED` thrown; no sleep goes past that point.
   */
  async wait(queryExecutionId: string, deadline?: number): Promise<QueryExecution> {
    const { GetQueryExecutionCommand, StopQueryExecutionCommand } = await import('@aws-sdk/client-athena');
    const now = this.#options.now ?? Date.now;
    const timeoutMs = this.#options.timeoutMs ?? 600_000;
    let last = '';
    const outcome = await pollUntil<QueryExecution>({
      poll: async () => {
        let execution: QueryExecution | undefined;
        try {
          execution = (await this.#options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }))).QueryExecution;
        } catch (cause) {
          throw new FiatError('QUERY_FAILED', `Athena GetQueryExecution ${queryExecutionId} failed: ${awsErrorMessage(cause)}`, { cause });
        }
        const state = execution?.Status?.State ?? 'UNKNOWN';
        if (state !== last) this.#options.onState?.(state, queryExecutionId);
        last = state;
        return execution !== undefined && (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') ? execution : undefined;
      },
      deadline: Math.min(now() + timeoutMs, deadline ?? Number.POSITIVE_INFINITY),
      initialDelayMs: this.#options.initialDelayMs ?? 250,
      maxDelayMs: this.#options.maxDelayMs ?? 5000,
      now,
      ...(this.#options.sleep !== undefined ? { sleep: this.#options.sleep } : {}),
    });
    if (outcome.done) return outcome.value;
    // Stopping is cleanup: not awaited, so the caller's deadline holds; its failure is ignored.
    this.#options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId })).catch(() => undefined);
    throw new FiatError('QUERY_FAILED', `Athena query ${queryExecutionId} still ${last} after ${outcome.elapsedMs} ms; stopped it`);
  }

  /**
   * Reads every page of a finished query's results. The first row of the first page of a SELECT
   * (`DML`) is Athena's header row and is dropped; DDL and utility results have none.
   */
  async results(summary: QueryExecutionSummary, pageSize = 1000): Promise<AthenaQueryResult> {
    const { GetQueryResultsCommand } = await import('@aws-sdk/client-athena');
    let columns: string[] = [];
    let types: string[] = [];
    const rows: Record<string, unknown>[] = [];
    let nextToken: string | undefined;
    let first = true;
    do {
      let page;
      try {
        page = await this.#options.client.send(
          new GetQueryResultsCommand({
            QueryExecutionId: summary.queryExecutionId,
            MaxResults: pageSize,
            ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
          }),
        );
      } catch (cause) {
        throw new FiatError('QUERY_FAILED', `Athena GetQueryResults ${summary.queryExecutionId} failed: ${awsErrorMessage(cause)}`, { cause });
      }
      if (first) {
        const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
        columns = info.map((c, i) => c.Label ?? c.Name ?? `_col${i}`);
        types = info.map((c) => c.Type ?? 'varchar');
      }
      let pageRows = page.ResultSet?.Rows ?? [];
      if (first && summary.statementType === 'DML' && pageRows.length > 0) {
        const header = (pageRows[0]?.Data ?? []).map((d) => d.VarCharValue);
        if (header.length === columns.length && header.every((h, i) => h === columns[i])) pageRows = pageRows.slice(1);
      }
      for (const row of pageRows) {
        const data = row.Data ?? [];
        const out: Record<string, unknown> = {};
        columns.forEach((name, i) => {
          out[name] = typedValue(data[i]?.VarCharValue, types[i] ?? 'varchar');
        });
        rows.push(out);
      }
      first = false;
      nextToken = page.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return { ...summary, columns, types, rows };
  }

  /** Runs a statement with a fresh token and returns all its rows and the bytes scanned; `deadline` as in {@link execute}. */
  async query(sql: string, options: { readonly deadline?: number } = {}): Promise<AthenaQueryResult> {
    return this.results(await this.execute(sql, options));
  }

  /** Rows of a statement as raw first-column strings (for DESCRIBE and SHOW, which have one column). */
  async lines(sql: string): Promise<string[]> {
    const result = await this.query(sql);
    const first = result.columns[0];
    return first === undefined ? [] : result.rows.map((row) => (row[first] === null ? '' : String(row[first])));
  }
}
