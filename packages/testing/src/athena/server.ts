import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DEFAULT_MAX_BODY_BYTES, FakeRequestError, isJsonRequest, readRequestBody, RequestErrorLog } from '../http.js';
import { FakeAthenaEngine, type FakeResult } from './engine.js';
import { FakeAthenaError, type FakeTable } from './statements.js';
import { listenLocal } from '../httpServer.js';

/** Options of {@link startFakeAthenaServer}. */
export interface FakeAthenaServerOptions {
  /** The folder `s3://<any bucket>/<prefix>` maps to (`<lakeDir>/<prefix>`). Required. */
  readonly lakeDir: string;
  /** Port to listen on. Default: `0` (a free port). */
  readonly port?: number;
  /** Address to listen on. Default: `127.0.0.1`. */
  readonly host?: string;
  /** How many `GetQueryExecution` calls report `QUEUED`/`RUNNING` before the final state, to exercise polling. Default: `1`. */
  readonly pollsBeforeDone?: number;
  /** Largest request body read; a larger one is answered 413 and its connection closed. Default: 16 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Called with each request the server could not serve (client abort or reset, malformed request,
   * body over `maxBodyBytes`); they are also kept in `requestErrors`. Nothing is printed. Default: none.
   */
  readonly onRequestError?: (error: FakeRequestError) => void;
}

/** One query the fake received, for assertions. */
export interface FakeQueryExecution {
  readonly queryExecutionId: string;
  readonly query: string;
  readonly database: string;
  readonly workGroup: string;
  readonly outputLocation?: string;
  readonly clientRequestToken?: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  stateChangeReason?: string;
  statementType: 'DDL' | 'DML' | 'UTILITY';
  result?: FakeResult;
  polls: number;
  readonly submitted: number;
  completed?: number;
}

/** A running fake Athena. */
export interface FakeAthenaServer {
  /** `http://127.0.0.1:<port>`: pass it as the client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly lakeDir: string;
  /** Every query started, in order. */
  readonly executions: readonly FakeQueryExecution[];
  /** The tables created, keyed `database.table`. */
  readonly tables: ReadonlyMap<string, FakeTable>;
  /** The last 100 requests the server could not serve (aborted, reset, malformed, too large). */
  readonly requestErrors: readonly FakeRequestError[];
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Starts a fake Amazon Athena: an HTTP server speaking Athena's JSON 1.1 protocol
 * (`StartQueryExecution`, `GetQueryExecution`, `GetQueryResults` with `NextToken`/`MaxResults`,
 * `StopQueryExecution`) for the real `@aws-sdk/client-athena`. It understands the DDL Fiat
 * generates (a table becomes a DuckDB view over `<lakeDir>/<prefix>`, honouring partition projection
 * on `dt`), `ALTER TABLE … ADD COLUMNS`, `DESCRIBE`, `SHOW TABLES`, and runs SELECTs on DuckDB with
 * Athena/Trino function macros. The same `ClientRequestToken` returns the same `QueryExecutionId`.
 * Needs the optional peer `@duckdb/node-api`.
 *
 * @example
 * ```ts
 * const athena = await startFakeAthenaServer({ port: 0, lakeDir });
 * const client = new AthenaClient({ region: 'eu-west-1', endpoint: athena.url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * // … StartQueryExecution / GetQueryExecution / GetQueryResults …
 * await athena.close();
 * ```
 */
export async function startFakeAthenaServer(options: FakeAthenaServerOptions): Promise<FakeAthenaServer> {
  const engine = new FakeAthenaEngine(options.lakeDir);
  const executions: FakeQueryExecution[] = [];
  const byId = new Map<string, FakeQueryExecution>();
  const byToken = new Map<string, FakeQueryExecution>();
  const pollsBeforeDone = options.pollsBeforeDone ?? 1;
  const pending = new Set<Promise<void>>();

  const find = (id: unknown): FakeQueryExecution => {
    const execution = typeof id === 'string' ? byId.get(id) : undefined;
    if (execution === undefined) throw new ApiError('InvalidRequestException', `QueryExecution ${String(id)} was not found`);
    return execution;
  };

  const start = (input: Record<string, any>): { QueryExecutionId: string } => {
    const query = input.QueryString;
    if (typeof query !== 'string' || query.length === 0 || query.length > 262_144) {
      throw new ApiError('InvalidRequestException', 'QueryString must be 1 to 262144 characters');
    }
    const token = input.ClientRequestToken as string | undefined;
    if (token !== undefined && (token.length < 32 || token.length > 128)) {
      throw new ApiError('InvalidRequestException', 'ClientRequestToken must be 32 to 128 characters');
    }
    const database = (input.QueryExecutionContext?.Database as string | undefined) ?? 'default';
    if (token !== undefined) {
      const earlier = byToken.get(token);
      if (earlier !== undefined) {
        if (earlier.query !== query || earlier.database !== database) {
          throw new ApiError('InvalidRequestException', 'Idempotent parameters do not match');
        }
        return { QueryExecutionId: earlier.queryExecutionId };
      }
    }
    const execution: FakeQueryExecution = {
      queryExecutionId: randomUUID(),
      query,
      database,
      workGroup: (input.WorkGroup as string | undefined) ?? 'primary',
      ...(input.ResultConfiguration?.OutputLocation !== undefined ? { outputLocation: input.ResultConfiguration.OutputLocation as string } : {}),
      ...(token !== undefined ? { clientRequestToken: token } : {}),
      state: 'QUEUED',
      statementType: /^\s*(\(|select|with|values)/i.test(query) ? 'DML' : /^\s*(describe|desc|show)/i.test(query) ? 'UTILITY' : 'DDL',
      polls: 0,
      submitted: Date.now(),
    };
    executions.push(execution);
    byId.set(execution.queryExecutionId, execution);
    if (token !== undefined) byToken.set(token, execution);
    const job = engine
      .run(query, database)
      .then(
        (result) => {
          if (execution.state === 'CANCELLED') return;
          execution.result = result;
          execution.statementType = result.statementType;
          execution.state = 'SUCCEEDED';
        },
        (error: unknown) => {
          if (execution.state === 'CANCELLED') return;
          execution.state = 'FAILED';
          execution.stateChangeReason = error instanceof FakeAthenaError ? error.message : `INTERNAL_ERROR: ${(error as Error).message}`;
        },
      )
      .finally(() => {
        execution.completed = Date.now();
        pending.delete(job);
      });
    pending.add(job);
    return { QueryExecutionId: execution.queryExecutionId };
  };

  const describe = async (execution: FakeQueryExecution): Promise<Record<string, unknown>> => {
    execution.polls += 1;
    if (!TERMINAL.has(execution.state) && execution.polls > pollsBeforeDone) {
      // Past the polls the caller must make: report the final state once the engine is done.
      while (!TERMINAL.has(execution.state)) await Promise.all([...pending]);
    }
    let state: string = execution.state;
    if (execution.polls <= pollsBeforeDone && state !== 'CANCELLED') state = execution.polls === 1 ? 'QUEUED' : 'RUNNING';
    const done = TERMINAL.has(state);
    return {
      QueryExecution: {
        QueryExecutionId: execution.queryExecutionId,
        Query: execution.query,
        StatementType: execution.statementType,
        QueryExecutionContext: { Database: execution.database, Catalog: 'AwsDataCatalog' },
        ResultConfiguration: execution.outputLocation !== undefined ? { OutputLocation: `${execution.outputLocation}${execution.queryExecutionId}.csv` } : {},
        WorkGroup: execution.workGroup,
        Status: {
          State: state,
          SubmissionDateTime: execution.submitted / 1000,
          ...(done && execution.completed !== undefined ? { CompletionDateTime: execution.completed / 1000 } : {}),
          ...(done && execution.stateChangeReason !== undefined ? { StateChangeReason: execution.stateChangeReason } : {}),
          ...(state === 'FAILED' ? { AthenaError: { ErrorCategory: 2, ErrorType: 1000, Retryable: false, ErrorMessage: execution.stateChangeReason } } : {}),
        },
        Statistics: {
          EngineExecutionTimeInMillis: done ? (execution.completed ?? execution.submitted) - execution.submitted : 0,
          DataScannedInBytes: done ? (execution.result?.dataScannedInBytes ?? 0) : 0,
          TotalExecutionTimeInMillis: done ? (execution.completed ?? execution.submitted) - execution.submitted : 0,
        },
      },
    };
  };

  const results = (input: Record<string, any>): Record<string, unknown> => {
    const execution = find(input.QueryExecutionId);
    if (execution.state === 'FAILED') throw new ApiError('InvalidRequestException', execution.stateChangeReason ?? 'Query failed');
    if (execution.state !== 'SUCCEEDED' || execution.result === undefined) {
      throw new ApiError('InvalidRequestException', `Query has not yet finished. Current state: ${execution.state}`);
    }
    const maxResults = (input.MaxResults as number | undefined) ?? 1000;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
      throw new ApiError('InvalidRequestException', 'MaxResults must be between 1 and 1000');
    }
    const result = execution.result;
    const all: (string | undefined)[][] = result.header ? [result.columns.map((c) => c.name), ...result.rows] : [...result.rows];
    let offset = 0;
    if (input.NextToken !== undefined) {
      const decoded = Buffer.from(String(input.NextToken), 'base64url').toString('utf8').split(':');
      if (decoded[0] !== execution.queryExecutionId || !/^\d+$/.test(decoded[1] ?? '')) throw new ApiError('InvalidRequestException', 'NextToken is invalid');
      offset = Number(decoded[1]);
    }
    const page = all.slice(offset, offset + maxResults);
    const next = offset + maxResults < all.length ? Buffer.from(`${execution.queryExecutionId}:${offset + maxResults}`).toString('base64url') : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((value) => (value === undefined ? {} : { VarCharValue: value })) })),
        ResultSetMetadata: {
          ColumnInfo: result.columns.map((c) => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: c.name,
            Label: c.name,
            Type: c.type,
            Precision: c.precision,
            Scale: c.scale,
            Nullable: 'UNKNOWN',
            CaseSensitive: c.type === 'varchar',
          })),
        },
      },
      ...(next !== undefined ? { NextToken: next } : {}),
    };
  };

  const handlers: Record<string, (input: Record<string, any>) => unknown> = {
    StartQueryExecution: start,
    GetQueryExecution: (input) => describe(find(input.QueryExecutionId)),
    GetQueryResults: results,
    StopQueryExecution: (input) => {
      const execution = find(input.QueryExecutionId);
      if (!TERMINAL.has(execution.state)) {
        execution.state = 'CANCELLED';
        execution.stateChangeReason = 'Query cancelled by user';
        execution.completed = Date.now();
      }
      return {};
    },
  };

  const send = (response: ServerResponse, status: number, body: unknown, errorType?: string): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...(errorType !== undefined ? { 'x-amzn-errortype': errorType } : {}),
    });
    response.end(text);
  };

  const requestErrors = new RequestErrorLog(options.onRequestError);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  /** Serves one request. API errors are answered here; broken requests are thrown as FakeRequestError. */
  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const [service, operation = ''] = target.split('.');
    const body = await readRequestBody(request, maxBodyBytes);
    if (request.method !== 'POST' || service !== 'AmazonAthena') {
      throw new FakeRequestError('malformed', `unknown target '${target}'`, { awsType: 'UnknownOperationException' });
    }
    if (!isJsonRequest(request)) throw new FakeRequestError('malformed', `unsupported content-type '${String(request.headers['content-type'] ?? '')}'`);
    let input: Record<string, any>;
    try {
      input = (body === '' ? {} : JSON.parse(body)) as Record<string, any>;
    } catch (cause) {
      throw new FakeRequestError('malformed', 'request body is not JSON', { cause });
    }
    try {
      const handler = handlers[operation];
      if (handler === undefined) throw new ApiError('UnknownOperationException', `the fake Athena does not implement ${operation}`);
      send(response, 200, await handler(input));
    } catch (error) {
      const type = error instanceof ApiError ? error.type : 'InternalServerException';
      send(response, error instanceof ApiError ? 400 : 500, { __type: type, Message: (error as Error).message }, type);
    }
  };

  const server = createServer((request, response) => {
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    serve(request, response).catch((cause: unknown) =>
      requestErrors.fail(request, response, cause, 'fake Athena', (error) =>
        send(response, error.kind === 'internal' ? 500 : 400, { __type: error.awsType, Message: error.message }, error.awsType),
      ),
    );
  });
  requestErrors.guard(server);
  const listening = await listenLocal(server, options);
  return {
    url: listening.endpoint,
    port: listening.port,
    lakeDir: options.lakeDir,
    executions,
    get tables() {
      return engine.tables;
    },
    requestErrors: requestErrors.errors,
    async close() {
      await Promise.allSettled([...pending]);
      await listening.close();
      engine.close();
    },
  };
}
