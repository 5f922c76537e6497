import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStream, isFiatError, redact } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTableDdl, ddlComment } from './athena/ddl.js';
import { assertRedacted, plantSecret, redactionRows } from './redaction.js';
import { sampleRecord } from './sample.js';
import { runFiat, type FiatRun } from './test-helpers.js';

const Signup = defineStream({
  name: 'Signup',
  schema: z.object({ id: z.string(), contact: redact(z.email(), 'hash'), nick: redact(z.string(), { action: 'truncate', length: 2 }), meta: z.unknown() }),
  redact: { paths: ['headers.authorization'] },
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiat-redaction-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fiat(argv: string[]): Promise<FiatRun> {
  return runFiat(argv, { cwd: dir, env: { FIAT_LAKE_DIR: join(dir, 'lake'), FIAT_SCHEMAS_DIR: join(dir, 'schemas') } });
}

describe('redaction in the CLI', () => {
  it('lists every column with its redaction', () => {
    expect(redactionRows(Signup).slice(5)).toEqual([
      { column: 'id', type: 'string', redaction: '-' },
      { column: 'contact', type: 'string', redaction: 'redacted: hash (HMAC-SHA-256, hmac:<key id>:<hex>)' },
      { column: 'nick', type: 'string', redaction: 'redacted: truncate to 2 characters' },
      { column: 'meta', type: 'string', redaction: 'redacted: mask ([redacted]) at headers.authorization' },
    ]);
  });

  it('plants a secret at the first redacted place that takes one, in a form the field accepts', () => {
    const fields = sampleRecord(Signup);
    const planted = plantSecret(Signup, fields);
    expect(planted?.place).toBe('contact');
    expect(fields.contact).toBe(`${planted?.secret}@example.com`);
    expect(Signup.validate(fields, undefined)).toEqual([]);
    const audit = sampleRecord(Audit);
    expect(plantSecret(Audit, audit)).toMatchObject({ place: 'task_args.password' });
    expect(plantSecret(defineStream({ name: 'Plain', schema: z.object({ a: z.string() }) }), { a: 'x' })).toBeUndefined();
  });

  it('fails the smoke check when the secret is read back', () => {
    const planted = { place: 'task_args.password', secret: 'fiatsmokesecret00', redaction: 'redacted: mask' };
    expect(() => assertRedacted({ task_args: '{"password":"[redacted]"}' }, planted, 'audit')).not.toThrow();
    let thrown: unknown;
    try {
      assertRedacted({ task_args: '{"password":"fiatsmokesecret00"}' }, planted, 'audit');
    } catch (error) {
      thrown = error;
    }
    expect(isFiatError(thrown, 'DELIVERY_FAILED')).toBe(true);
    expect((thrown as Error).message).toMatch(/secret planted in task_args.password was read back from audit/);
  });

  it('writes the redaction as a DDL COMMENT, and refuses a comment that could leave its literal', () => {
    const ddl = createTableDdl({ names: Signup.names, columns: Signup.columns }, { database: 'fiat', bucket: 'acme-lake' });
    expect(ddl).toContain("`contact`    string COMMENT 'redacted: hash (HMAC-SHA-256, hmac:<key id>:<hex>)'");
    expect(() => ddlComment("it's", 'x')).toThrow(/comment of column 'x'/);
    expect(() => ddlComment('a\\\\b', 'x')).toThrow(/comment of column 'x'/);
  });

  it('fiat schemas list prints every stream, column, type and redaction', async () => {
    const run = await fiat(['schemas', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Audit \(table audit\)\ncolumn +\| type +\| redaction\n/);
    expect(run.stdout).toMatch(/task_args +\| string +\| redacted: mask \(\[redacted\]\) at secret keys/);
    const json = JSON.parse((await fiat(['schemas', 'list', '--json'])).stdout) as { stream: string; columns: { column: string; redaction: string }[] }[];
    expect(json.map((s) => s.stream)).toEqual(['Audit', 'FiatDeadletter', 'FiatCheckpoint']);
  });

  it('fiat query --describe prints a table\'s columns, types and redaction from its stream', async () => {
    const run = await fiat(['query', '--describe', 'audit']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^column +\| type +\| redaction\n/);
    expect(run.stdout).toMatch(/\noutput +\| string +\| redacted: mask/);
    expect(run.stdout).toMatch(/\ntags +\| map<string,string> +\| -\n/);
    const unknown = await fiat(['query', '--describe', 'nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no stream has table 'nope'/);
    expect((await fiat(['query', 'SELECT 1', '--describe', 'audit'])).code).toBe(2);
  });
});
