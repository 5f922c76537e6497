import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFiatError, STORED_TIMESTAMP_PATTERN } from '@fiat/core';
import { Audit } from './streams/Audit.js';
import { builtInStreams } from './builtIn.js';
import { checkStreamFolder, loadStreamFolder, streamFolderFiles, writeStreamFolder } from './folder.js';

const repoSchemas = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../schemas');

const envelopeColumns = [
  { name: 'event_id', type: 'string' },
  { name: 'event_time', type: 'timestamp' },
  { name: 'app', type: 'string' },
  { name: 'email', type: 'string' },
  { name: 'tags', type: 'map<string,string>' },
];
const envelopeProperties = {
  event_id: { type: 'string', format: 'uuid' },
  event_time: { type: 'string', pattern: STORED_TIMESTAMP_PATTERN },
  app: { type: 'string', minLength: 1 },
  email: { type: 'string' },
  tags: { type: 'object', additionalProperties: { type: 'string' } },
};

async function handWrittenFolder(
  name: string,
  properties: Record<string, unknown>,
  columns: { name: string; type: string }[],
  required: string[],
): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'fiat-folder-')), name);
  await mkdir(dir);
  await writeFile(
    join(dir, 'json_schema.json'),
    JSON.stringify({ type: 'object', properties: { ...envelopeProperties, ...properties }, required: ['event_id', 'event_time', 'app', 'email', 'tags', ...required], additionalProperties: false }),
  );
  await writeFile(join(dir, 'athena.json'), JSON.stringify({ columns: [...envelopeColumns, ...columns], partition_keys: [{ name: 'dt', type: 'string' }] }));
  return dir;
}

describe('schema folders', () => {
  it('the committed schemas/<Stream>/ folders match the Zod source (run: fiat schemas build)', async () => {
    for (const stream of builtInStreams) expect(await checkStreamFolder(repoSchemas, stream)).toEqual([]);
  });

  it('writes json_schema.json and athena.json that describe the stored Audit record', async () => {
    const dir = await writeStreamFolder(await mkdtemp(join(tmpdir(), 'fiat-schemas-')), Audit);
    const athena = JSON.parse(streamFolderFiles(Audit)['athena.json']);
    expect(dir.endsWith('/Audit')).toBe(true);
    expect(athena.columns.map((c: { name: string; type: string }) => `${c.name} ${c.type}`)).toEqual([
      'event_id string',
      'event_time timestamp',
      'app string',
      'email string',
      'tags map<string,string>',
      'chain_id string',
      'chain_seq bigint',
      'chain_hash string',
      'audit_id string',
      'phase string',
      'task string',
      'task_args string',
      'ticket_id string',
      'output string',
      'error_name string',
      'error_message string',
      'duration_ms double',
    ]);
    expect(athena.partition_keys).toEqual([{ name: 'dt', type: 'string' }]);
  });

  it('reports drift when a committed file differs', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fiat-schemas-'));
    await writeStreamFolder(root, Audit);
    await writeFile(join(root, 'Audit', 'athena.json'), '{}\n');
    expect(await checkStreamFolder(root, Audit)).toEqual([join(root, 'Audit', 'athena.json')]);
  });
});

describe('loadStreamFolder', () => {
  it('turns a hand-written folder into a working stream definition', async () => {
    // Prepare
    const dir = await handWrittenFolder(
      'Orders',
      {
        order_id: { type: 'string', minLength: 1 },
        total: { type: 'number' },
        qty: { type: ['integer', 'null'] },
        placed_at: { type: 'string', pattern: STORED_TIMESTAMP_PATTERN },
        lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'], additionalProperties: false } },
        meta: { type: 'string', contentMediaType: 'application/json' },
      },
      [
        { name: 'order_id', type: 'string' },
        { name: 'total', type: 'double' },
        { name: 'qty', type: 'bigint' },
        { name: 'placed_at', type: 'timestamp' },
        { name: 'lines', type: 'array<struct<sku:string>>' },
        { name: 'meta', type: 'string' },
      ],
      ['order_id', 'total'],
    );
    // Act
    const Orders = await loadStreamFolder(dir);
    // Assess
    expect(Orders.name).toBe('Orders');
    expect(Orders.names.deliveryStream).toBe('fiat-orders');
    const line = Orders.encode(
      { order_id: 'o-1', total: 3.5, qty: null, placed_at: new Date(Date.UTC(2026, 0, 1)), lines: [{ sku: 'a' }], meta: { any: ['thing'] } },
      { eventId: '0190a000-0000-7000-8000-000000000000', eventTime: Date.UTC(2026, 0, 1), app: 'a', email: 'e', tags: {} },
    );
    expect(JSON.parse(line)).toMatchObject({ placed_at: '2026-01-01 00:00:00.000', meta: '{"any":["thing"]}', qty: null });
    expect(Orders.validate({ order_id: '', total: 'x' }).map((i) => i.path)).toEqual(['order_id', 'total']);
  });

  it.each([
    [
      'a column missing from athena.json',
      { a: { type: 'string' }, b: { type: 'string' } },
      [{ name: 'a', type: 'string' }],
      /'b' is in json_schema.json only/,
    ],
    ['a type mismatch', { a: { type: 'integer' } }, [{ name: 'a', type: 'string' }], /column 'a': athena.json says string but json_schema.json describes bigint/],
    [
      'columns in a different order',
      { a: { type: 'string' }, b: { type: 'string' } },
      [
        { name: 'b', type: 'string' },
        { name: 'a', type: 'string' },
      ],
      /different order/,
    ],
    ['an illegal column name', { 'bad-name': { type: 'string' } }, [{ name: 'bad-name', type: 'string' }], /not a legal Athena identifier/],
    ['a type Fiat does not write', { a: { type: 'integer' } }, [{ name: 'a', type: 'int' }], /uses 'int'/],
  ])('refuses a folder with %s', async (_label, properties, columns, message) => {
    const dir = await handWrittenFolder('Broken', properties, columns, []);
    const error = await loadStreamFolder(dir).catch((e: unknown) => e);
    expect(isFiatError(error, 'INVALID_DEFINITION')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('reads a chained stream from a folder with the chain columns after the envelope, as schemas build writes them', async () => {
    // Prepare: the Audit folder as fiat schemas build writes it, loaded as a hand-written folder.
    const root = await mkdtemp(join(tmpdir(), 'fiat-schemas-'));
    await writeStreamFolder(root, Audit);
    // Act
    const loaded = await loadStreamFolder(join(root, 'Audit'));
    // Assess
    expect(loaded.integrity).toBe('chain');
    expect(loaded.columns).toEqual(Audit.columns);
    expect(loaded.fields.map((f) => f.name)).toEqual(Audit.fields.map((f) => f.name));
    expect(loaded.jsonSchema).toEqual(Audit.jsonSchema);
  });

  it('reads a folder without the three chain columns as unchained, whatever fields named chain_* it has', async () => {
    const dir = await handWrittenFolder('Links', { chain_id: { type: 'string' } }, [{ name: 'chain_id', type: 'string' }], []);
    const Links = await loadStreamFolder(dir);
    expect(Links.integrity).toBe('none');
    expect(Links.fields.map((f) => f.name)).toEqual(['chain_id']);
  });

  it('refuses a folder whose chain columns do not follow the envelope', async () => {
    const chain = { chain_id: { type: 'string' }, chain_seq: { type: 'integer' }, chain_hash: { type: 'string' } };
    const dir = await handWrittenFolder(
      'Moved',
      { a: { type: 'string' }, ...chain },
      [
        { name: 'a', type: 'string' },
        { name: 'chain_id', type: 'string' },
        { name: 'chain_seq', type: 'bigint' },
        { name: 'chain_hash', type: 'string' },
      ],
      [],
    );
    const error = await loadStreamFolder(dir).catch((e: unknown) => e);
    expect(isFiatError(error, 'INVALID_DEFINITION')).toBe(true);
    expect((error as Error).message).toMatch(/a chained stream's chain columns must follow the envelope: expected 'chain_id string' at position 6/);
  });

  it('refuses a folder whose name could not be a stream name', async () => {
    await expect(loadStreamFolder('/tmp/..')).rejects.toThrow(/could leave its folder/);
  });
});

describe('loadStreamFolder with malformed files', () => {
  async function folder(schema: unknown, athena: unknown): Promise<string> {
    const dir = join(await mkdtemp(join(tmpdir(), 'fiat-folder-')), 'Broken');
    await mkdir(dir);
    await writeFile(join(dir, 'json_schema.json'), typeof schema === 'string' ? schema : JSON.stringify(schema));
    await writeFile(join(dir, 'athena.json'), typeof athena === 'string' ? athena : JSON.stringify(athena));
    return dir;
  }
  const goodSchema = { type: 'object', properties: { ...envelopeProperties, a: { type: 'string' } }, required: [], additionalProperties: false };
  const goodAthena = { columns: [...envelopeColumns, { name: 'a', type: 'string' }], partition_keys: [{ name: 'dt', type: 'string' }] };
  const deep = (levels: number): unknown => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < levels; i++) schema = { type: 'object', properties: { a: schema } };
    return schema;
  };

  it.each([
    ['json_schema.json is null', null, goodAthena, 'json_schema.json: must be a JSON Schema object, got null'],
    ['json_schema.json is an array', [], goodAthena, 'json_schema.json: must be a JSON Schema object, got an array'],
    ['a property schema is null', { ...goodSchema, properties: { ...goodSchema.properties, a: null } }, goodAthena, 'json_schema.json at properties.a: must be a JSON Schema object, got null'],
    ['a type is a number', { ...goodSchema, properties: { ...goodSchema.properties, a: { type: 5 } } }, goodAthena, 'json_schema.json at properties.a.type: must be one of'],
    ['properties is a string', { ...goodSchema, properties: 'x' }, goodAthena, 'json_schema.json at properties: must be an object of field schemas'],
    ['required is not a list of names', { ...goodSchema, required: [1] }, goodAthena, 'json_schema.json at required: must be an array of field names'],
    ['items is null', { ...goodSchema, properties: { ...goodSchema.properties, a: { type: 'array', items: null } } }, goodAthena, 'json_schema.json at properties.a.items: must be a JSON Schema object'],
    ['a bad pattern', { ...goodSchema, properties: { ...goodSchema.properties, a: { type: 'string', pattern: '(' } } }, goodAthena, 'json_schema.json at properties.a.pattern: is not a valid regular expression'],
    ['minLength is a string', { ...goodSchema, properties: { ...goodSchema.properties, a: { type: 'string', minLength: '1' } } }, goodAthena, 'json_schema.json at properties.a.minLength: must be a non-negative integer'],
    ['an empty anyOf', { ...goodSchema, properties: { ...goodSchema.properties, a: { anyOf: [] } } }, goodAthena, 'json_schema.json at properties.a.anyOf: must be a non-empty array'],
    ['a schema 2,000 levels deep', { ...goodSchema, properties: { ...goodSchema.properties, a: deep(2000) } }, goodAthena, 'json_schema.json at properties.a.properties'],
    ['athena.json is null', goodSchema, null, 'athena.json: must be an object, got null'],
    ['columns: [null]', goodSchema, { ...goodAthena, columns: [null] }, 'athena.json at columns.0: must be a { "name", "type" } object, got null'],
    ['a column type that is a number', goodSchema, { ...goodAthena, columns: [...envelopeColumns, { name: 'a', type: 5 }] }, 'athena.json at columns.5.type: must be a string, got number 5'],
    ['columns missing', goodSchema, { partition_keys: [] }, 'athena.json at columns: must be an array'],
    ['a table that is not a string', goodSchema, { ...goodAthena, table: 7 }, 'athena.json at table: must be a string, got number 7'],
    ['a malformed column type', goodSchema, { ...goodAthena, columns: [...envelopeColumns, { name: 'a', type: 'array<' }] }, 'athena.json at columns.5.type: Athena type'],
    ['a reserved table name', goodSchema, { ...goodAthena, table: '_tmp' }, "stream folder "],
    ['json_schema.json that is not JSON', '{', goodAthena, 'json_schema.json is not valid JSON'],
  ])('refuses %s with INVALID_DEFINITION naming the file and the path inside it', async (_label, schema, athena, message) => {
    const dir = await folder(schema, athena);
    const error = await loadStreamFolder(dir).catch((e: unknown) => e);
    expect(isFiatError(error, 'INVALID_DEFINITION')).toBe(true);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).not.toContain('\n');
  });

  it('accepts a struct nested 64 levels deep', async () => {
    const dir = await folder(
      { ...goodSchema, properties: { ...goodSchema.properties, a: deep(64) } },
      { ...goodAthena, columns: [...envelopeColumns, { name: 'a', type: `${'struct<a:'.repeat(64)}string${'>'.repeat(64)}` }] },
    );
    expect((await loadStreamFolder(dir)).columns).toHaveLength(6);
  });
});
