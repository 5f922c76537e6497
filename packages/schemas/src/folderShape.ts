import { FiatError } from '@fiat/core';

/**
 * How deeply a schema folder's JSON may nest. A stored record nests at most 64 levels (core's
 * `MAX_JSON_DEPTH`); each level takes about two levels of JSON Schema (`properties`, then the field),
 * so 256 leaves room for unions and wrappers while refusing a runaway file before anything recurses.
 */
export const MAX_SCHEMA_FILE_DEPTH = 256;

/** One problem in a schema folder's file: where (a dotted JSON path) and what. */
interface ShapeProblem {
  readonly path: string;
  readonly message: string;
}

const STRING_KEYWORDS = ['$schema', '$id', 'title', 'description', 'format', 'pattern', 'contentMediaType'];
const COUNT_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const TYPES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** The first problem of a value that must be a JSON Schema object, or `undefined`. */
function schemaProblem(schema: unknown, path: string, depth: number): ShapeProblem | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return { path, message: `must be a JSON Schema object, got ${kindOf(schema)}` };
  }
  if (depth > MAX_SCHEMA_FILE_DEPTH) return { path, message: `nests deeper than ${MAX_SCHEMA_FILE_DEPTH} levels` };
  const s = schema as Record<string, unknown>;
  const fail = (key: string, message: string): ShapeProblem => ({ path: join(path, key), message: `${message}, got ${kindOf(s[key])}` });
  for (const key of STRING_KEYWORDS) if (s[key] !== undefined && typeof s[key] !== 'string') return fail(key, 'must be a string');
  for (const key of COUNT_KEYWORDS) if (s[key] !== undefined && !(Number.isSafeInteger(s[key]) && (s[key] as number) >= 0)) return fail(key, 'must be a non-negative integer');
  for (const key of NUMBER_KEYWORDS) if (s[key] !== undefined && !Number.isFinite(s[key])) return fail(key, 'must be a number');
  const type = s.type;
  if (type !== undefined && !(typeof type === 'string' && TYPES.has(type)) && !(Array.isArray(type) && type.length > 0 && type.every((t) => TYPES.has(t as string)))) {
    return fail('type', `must be one of ${[...TYPES].join(', ')} or an array of them`);
  }
  if (typeof s.pattern === 'string') {
    try {
      new RegExp(s.pattern, 'u');
    } catch (error) {
      return { path: join(path, 'pattern'), message: `is not a valid regular expression (${(error as Error).message})` };
    }
  }
  if (s.enum !== undefined && !Array.isArray(s.enum)) return fail('enum', 'must be an array');
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string'))) {
    return fail('required', 'must be an array of field names');
  }
  return childProblem(s, path, depth);
}

/** The first problem among the schemas a schema holds (properties, items, unions…), or `undefined`. */
function childProblem(s: Record<string, unknown>, path: string, depth: number): ShapeProblem | undefined {
  if (s.properties !== undefined) {
    if (typeof s.properties !== 'object' || s.properties === null || Array.isArray(s.properties)) {
      return { path: join(path, 'properties'), message: `must be an object of field schemas, got ${kindOf(s.properties)}` };
    }
    for (const [key, child] of Object.entries(s.properties)) {
      const problem = schemaProblem(child, join(join(path, 'properties'), key), depth + 1);
      if (problem !== undefined) return problem;
    }
  }
  if (s.items !== undefined) {
    const problem = schemaProblem(s.items, join(path, 'items'), depth + 1);
    if (problem !== undefined) return problem;
  }
  if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') {
    const problem = schemaProblem(s.additionalProperties, join(path, 'additionalProperties'), depth + 1);
    if (problem !== undefined) return problem;
  }
  for (const key of ['anyOf', 'oneOf']) {
    const options = s[key];
    if (options === undefined) continue;
    if (!Array.isArray(options) || options.length === 0) return { path: join(path, key), message: `must be a non-empty array of schemas, got ${kindOf(options)}` };
    for (const [i, option] of options.entries()) {
      const problem = schemaProblem(option, join(join(path, key), i), depth + 1);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** The first problem of `athena.json`'s shape, or `undefined`. */
function athenaProblem(athena: unknown): ShapeProblem | undefined {
  if (typeof athena !== 'object' || athena === null || Array.isArray(athena)) return { path: '', message: `must be an object, got ${kindOf(athena)}` };
  const a = athena as Record<string, unknown>;
  for (const key of ['stream', 'table']) {
    if (a[key] !== undefined && typeof a[key] !== 'string') return { path: key, message: `must be a string, got ${kindOf(a[key])}` };
  }
  for (const key of ['columns', 'partition_keys']) {
    const list = a[key];
    if (list === undefined && key === 'partition_keys') continue;
    if (!Array.isArray(list)) return { path: key, message: `must be an array of { "name", "type" } objects, got ${kindOf(list)}` };
    for (const [i, column] of list.entries()) {
      if (typeof column !== 'object' || column === null || Array.isArray(column)) {
        return { path: `${key}.${i}`, message: `must be a { "name", "type" } object, got ${kindOf(column)}` };
      }
      for (const field of ['name', 'type']) {
        const value = (column as Record<string, unknown>)[field];
        if (typeof value !== 'string') return { path: `${key}.${i}.${field}`, message: `must be a string, got ${kindOf(value)}` };
      }
      // A column's comment says how it is redacted; the redaction itself is the x-fiat-redact keyword of json_schema.json.
      const comment = (column as Record<string, unknown>).comment;
      if (comment !== undefined && typeof comment !== 'string') return { path: `${key}.${i}.comment`, message: `must be a string, got ${kindOf(comment)}` };
    }
  }
  return undefined;
}

function refuse(file: string, problem: ShapeProblem | undefined): void {
  if (problem === undefined) return;
  const where = problem.path === '' ? '' : ` at ${problem.path}`;
  throw new FiatError('INVALID_DEFINITION', `${file}${where}: ${problem.message}`);
}

/**
 * Checks the shape of a parsed `json_schema.json`: an object schema whose every keyword Fiat reads
 * has the right type (`type` a known type, `properties` an object of schemas, `required` an array of
 * strings, `pattern` a valid expression…), nested at most {@link MAX_SCHEMA_FILE_DEPTH} levels.
 * Throws `INVALID_DEFINITION` naming the file and the JSON path inside it.
 *
 * @example
 * ```ts
 * checkJsonSchemaShape('schemas/Orders/json_schema.json', { type: 'object', properties: { total: { type: 5 } } });
 * // throws: schemas/Orders/json_schema.json at properties.total.type: must be one of string, … got number 5
 * ```
 */
export function checkJsonSchemaShape(file: string, schema: unknown): void {
  refuse(file, schemaProblem(schema, '', 0));
  const s = schema as Record<string, unknown>;
  if (s.type !== 'object' || typeof s.properties !== 'object') refuse(file, { path: '', message: 'must describe an object with properties' });
}

/**
 * Checks the shape of a parsed `athena.json`: an object with a `columns` array (and optional
 * `partition_keys`) of `{ name, type }` strings (a column may have a `comment` string), and optional
 * `stream` and `table` strings. Throws
 * `INVALID_DEFINITION` naming the file and the JSON path inside it.
 *
 * @example
 * ```ts
 * checkAthenaShape('schemas/Orders/athena.json', { columns: [null] });
 * // throws: schemas/Orders/athena.json at columns.0: must be a { "name", "type" } object, got null
 * ```
 */
export function checkAthenaShape(file: string, athena: unknown): void {
  refuse(file, athenaProblem(athena));
}

/**
 * Refuses parsed JSON that nests deeper than {@link MAX_SCHEMA_FILE_DEPTH} levels, before anything
 * walks it recursively. Iterative, so a file 100,000 levels deep cannot overflow the stack.
 *
 * @example
 * ```ts
 * checkJsonDepth('schemas/X/json_schema.json', JSON.parse('['.repeat(2000) + ']'.repeat(2000))); // throws
 * ```
 */
export function checkJsonDepth(file: string, value: unknown): void {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length > 0) {
    const [item, depth, path] = stack.pop() as [unknown, number, string];
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_SCHEMA_FILE_DEPTH) refuse(file, { path, message: `nests deeper than ${MAX_SCHEMA_FILE_DEPTH} levels` });
    for (const [key, child] of Object.entries(item)) stack.push([child, depth + 1, join(path, key)]);
  }
}
