import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  athenaType,
  CHAIN_FIELDS,
  compileValidator,
  createStreamDefinition,
  ENVELOPE_FIELDS,
  envelopeFields,
  FiatError,
  isFiatError,
  parseAthenaType,
  PARTITION_COLUMN,
  planFields,
  assertStreamName,
  type Column,
  type FieldPlan,
  type Integrity,
  type JsonSchema,
  type StreamDefinition,
} from '@fiat/core';
import { checkAthenaShape, checkJsonDepth, checkJsonSchemaShape } from './folderShape.js';

/** The contents of `schemas/<Stream>/athena.json`: the ordered columns and the partition. */
export interface AthenaFile {
  readonly stream: string;
  readonly table: string;
  readonly columns: readonly Column[];
  readonly partition_keys: readonly Column[];
}

/** The two files of a stream folder, as text ready to write (2-space JSON, ending with a newline). */
export interface StreamFolderFiles {
  readonly 'json_schema.json': string;
  readonly 'athena.json': string;
}

/**
 * The seed-format files of a stream: `json_schema.json` (the stored record, envelope included)
 * and `athena.json` (the ordered columns and the `dt` partition).
 *
 * @example
 * ```ts
 * const files = streamFolderFiles(Audit);
 * JSON.parse(files['athena.json']).columns[0]; // { name: 'event_id', type: 'string' }
 * ```
 */
export function streamFolderFiles(stream: StreamDefinition<any>): StreamFolderFiles {
  const athena: AthenaFile = {
    stream: stream.name,
    table: stream.names.table,
    columns: stream.columns,
    partition_keys: [{ name: PARTITION_COLUMN, type: 'string' }],
  };
  return {
    'json_schema.json': `${JSON.stringify(stream.jsonSchema, null, 2)}\n`,
    'athena.json': `${JSON.stringify(athena, null, 2)}\n`,
  };
}

/**
 * Writes `<schemasDir>/<Stream>/json_schema.json` and `athena.json`, each written to a temporary
 * file and renamed, so a reader never sees half a file.
 *
 * @example
 * ```ts
 * await writeStreamFolder('schemas', Audit); // schemas/Audit/json_schema.json, schemas/Audit/athena.json
 * ```
 */
export async function writeStreamFolder(schemasDir: string, stream: StreamDefinition<any>): Promise<string> {
  assertStreamName(stream.name);
  const dir = join(schemasDir, stream.name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(streamFolderFiles(stream))) {
    const tmp = join(dir, `.${file}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, join(dir, file));
  }
  return dir;
}

/**
 * Compares the committed folder of a stream with what its definition generates. Returns the
 * names of the files that differ or are missing (empty when in sync).
 *
 * @example
 * ```ts
 * await checkStreamFolder('schemas', Audit); // [] when schemas/Audit matches the Zod source
 * ```
 */
export async function checkStreamFolder(schemasDir: string, stream: StreamDefinition<any>): Promise<string[]> {
  const dir = join(schemasDir, stream.name);
  const drift: string[] = [];
  for (const [file, text] of Object.entries(streamFolderFiles(stream))) {
    const current = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (current !== text) drift.push(join(dir, file));
  }
  return drift;
}

async function readJson(path: string): Promise<JsonSchema> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FiatError('INVALID_DEFINITION', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text) as JsonSchema;
  } catch (cause) {
    throw new FiatError('INVALID_DEFINITION', `${path} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Turns a stream folder written by hand (`json_schema.json` + `athena.json`, no TypeScript) into a
 * stream definition, after checking that the two files agree: the same columns in the same order,
 * the same types, the envelope present. The folder's name is the stream's name. A folder declares a
 * chained stream (`integrity: 'chain'`) by listing the chain columns `chain_id string`,
 * `chain_seq bigint`, `chain_hash string` right after the envelope, as `fiat schemas build` writes them.
 *
 * @example
 * ```ts
 * const Orders = await loadStreamFolder('schemas/Orders');
 * logger.log(Orders, { order_id: 'o-1', total: 12.5 });
 * ```
 */
export async function loadStreamFolder(dir: string): Promise<StreamDefinition> {
  const name = basename(dir);
  assertStreamName(name);
  const schemaPath = join(dir, 'json_schema.json');
  const athenaPath = join(dir, 'athena.json');
  const schema = await readJson(schemaPath);
  checkJsonDepth(schemaPath, schema);
  checkJsonSchemaShape(schemaPath, schema);
  const athena = await readJson(athenaPath);
  checkJsonDepth(athenaPath, athena);
  checkAthenaShape(athenaPath, athena);
  const { columns, partition_keys: partition = [], stream, table } = athena as unknown as AthenaFile;
  const fail = (file: string, why: string): never => {
    throw new FiatError('INVALID_DEFINITION', `${file}: ${why}`);
  };
  if (stream !== undefined && stream !== name) fail(athenaPath, `names stream '${stream}', but the folder is '${name}'`);
  if (partition.length !== 1 || partition[0]?.name !== PARTITION_COLUMN || partition[0]?.type !== 'string') {
    fail(athenaPath, `partition_keys must be [{ "name": "${PARTITION_COLUMN}", "type": "string" }]`);
  }
  const planned = within(schemaPath, () => planFields(schema));
  const schemaNames = planned.map((f) => f.name);
  const columnNames = columns.map((c) => c.name);
  if (schemaNames.join() !== columnNames.join()) {
    const missing = columnNames.filter((n) => !schemaNames.includes(n));
    const extra = schemaNames.filter((n) => !columnNames.includes(n));
    const detail =
      missing.length + extra.length > 0
        ? `${missing.map((n) => `'${n}' is in athena.json only`).concat(extra.map((n) => `'${n}' is in json_schema.json only`)).join(', ')}`
        : 'the columns are in a different order';
    fail(dir, `json_schema.json and athena.json disagree: ${detail}`);
  }
  for (const [i, field] of planned.entries()) {
    const column = columns[i] as Column;
    const fromSchema = athenaType(field.plan);
    const fromAthena = athenaType(within(`${athenaPath} at columns.${i}.type`, () => parseAthenaType(column.type)));
    if (fromSchema !== fromAthena) {
      fail(dir, `column '${column.name}': athena.json says ${column.type} but json_schema.json describes ${fromSchema}`);
    }
  }
  const integrity = folderIntegrity(schemaPath, planned);
  const envelope = envelopeFields(integrity);
  for (const [i, column] of envelope.entries()) {
    if (planned[i]?.name !== column.name || athenaType(planned[i].plan) !== athenaType(column.plan)) {
      fail(schemaPath, `the envelope columns must come first: expected '${column.name} ${athenaType(column.plan)}' at position ${i + 1}`);
    }
  }
  const properties = schema.properties as Record<string, JsonSchema>;
  const fields = planned.slice(envelope.length);
  return within(`stream folder ${dir}`, () =>
    createStreamDefinition({
      name,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      fields,
      sources: Object.fromEntries(fields.map((f) => [f.name, properties[f.name] as JsonSchema])),
      validator: compileValidator,
      ...(table !== undefined ? { names: { table } } : {}),
      integrity,
    }),
  );
}

/**
 * A folder's stream is chained when its columns hold all three chain columns; they must then follow the envelope
 * (`chain_id string`, `chain_seq bigint`, `chain_hash string`, right after `tags`), else `INVALID_DEFINITION`.
 */
function folderIntegrity(schemaPath: string, planned: readonly FieldPlan[]): Integrity {
  const names = new Set(planned.map((f) => f.name));
  if (!CHAIN_FIELDS.every((f) => names.has(f.name))) return 'none';
  CHAIN_FIELDS.forEach((column, k) => {
    const at = ENVELOPE_FIELDS.length + k;
    const found = planned[at];
    if (found?.name !== column.name || athenaType(found.plan) !== athenaType(column.plan)) {
      throw new FiatError(
        'INVALID_DEFINITION',
        `${schemaPath}: a chained stream's chain columns must follow the envelope: expected '${column.name} ${athenaType(column.plan)}' at position ${at + 1}`,
      );
    }
  });
  return 'chain';
}

/** Runs `build`, putting `where` (a file, or a file and JSON path) in front of the message of a definition error. */
function within<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (isFiatError(error, 'INVALID_DEFINITION')) throw new FiatError('INVALID_DEFINITION', `${where}: ${error.message}`, { cause: error });
    throw error;
  }
}
