import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStream, HASH_TOKEN_PATTERN, isFiatError, Redaction, redact, resolveRedactionKey, type Envelope } from '@fiat/core';
import { loadStreamFolder, streamFolderFiles, writeStreamFolder } from './folder.js';
import { generatedStreamFiles } from './generate.js';

const envelope: Envelope = { eventId: '0190a3c4-0000-7000-8000-000000000000', eventTime: Date.UTC(2026, 0, 1), app: 'a', email: 'a@b.c', tags: {} };
const key = resolveRedactionKey('k'.repeat(32));

const Signup = defineStream({
  name: 'Signup',
  schema: z.object({
    contact: redact(z.email(), 'hash'),
    secret: redact(z.string(), 'drop').optional(),
    nick: redact(z.string(), { action: 'truncate', length: 2 }),
    address: z.object({ street: redact(z.string(), { action: 'mask', showLength: true }), city: z.string() }),
    request: z.unknown(),
  }),
  redact: [{ paths: ['headers.authorization'] }, { secretKeys: true, optOut: true }, { detect: ['email'] }],
});

const input = { contact: 'rich@example.com', secret: 's3cr3t', nick: 'Richard', address: { street: '1 Main St', city: 'X' }, request: { headers: { authorization: 'Bearer t' }, api_key: 'k', note: 'ann@example.com' } };

describe('redaction in schema folders and precompiled modules', () => {
  it('round-trips through json_schema.json and athena.json: the folder stream stores exactly what the Zod one does', async () => {
    // Prepare
    const dir = await writeStreamFolder(await mkdtemp(join(tmpdir(), 'fiat-redact-folder-')), Signup);
    // Act
    const loaded = await loadStreamFolder(dir);
    // Assess
    expect(loaded.fields.map((f) => f.redact)).toEqual(Signup.fields.map((f) => f.redact));
    expect(loaded.columns).toEqual(Signup.columns);
    const line = Signup.encode(input, envelope, new Redaction('Signup', Signup.fields, { key }));
    expect(loaded.encode(input, envelope, new Redaction('Signup', loaded.fields, { key }))).toBe(line);
    const stored = JSON.parse(line);
    expect(stored.contact).toMatch(new RegExp(HASH_TOKEN_PATTERN));
    expect(stored).toMatchObject({ secret: null, nick: 'Ri', address: { street: '[redacted:9]', city: 'X' } });
    expect(JSON.parse(stored.request)).toEqual({ headers: { authorization: '[redacted]' }, api_key: '[redacted]', note: '[redacted:email]' });
  });

  it('writes the redaction of each column as its athena.json comment', () => {
    const athena = JSON.parse(streamFolderFiles(Signup)['athena.json']) as { columns: { name: string; comment?: string }[] };
    expect(athena.columns.filter((c) => c.comment !== undefined).map((c) => c.name)).toEqual(['contact', 'secret', 'nick', 'address', 'request']);
  });

  it('refuses a hand-written x-fiat-redact that is malformed or does not fit the column, naming the file and field', async () => {
    const files = streamFolderFiles(Signup);
    for (const [field, keyword, why] of [
      ['nick', 'encrypt', /field 'nick': redaction must be/],
      ['address', 'hash', /field 'address' is a struct: redaction 'hash' applies to string and free-form/],
    ] as const) {
      const schema = JSON.parse(files['json_schema.json']);
      schema.properties[field]['x-fiat-redact'] = keyword;
      const dir = join(await mkdtemp(join(tmpdir(), 'fiat-redact-bad-')), 'Signup');
      await mkdir(dir);
      await writeFile(join(dir, 'json_schema.json'), JSON.stringify(schema));
      await writeFile(join(dir, 'athena.json'), files['athena.json']);
      let thrown: unknown;
      try {
        await loadStreamFolder(dir);
      } catch (error) {
        thrown = error;
      }
      expect(isFiatError(thrown, 'INVALID_DEFINITION')).toBe(true);
      expect((thrown as Error).message).toMatch(why);
    }
  });

  it('keeps each field\'s redaction in the precompiled module', () => {
    const module = generatedStreamFiles(Signup, { source: { specifier: '../streams.js', exportName: 'Signup', exportKind: 'stream', label: 'src/streams.ts' } })['Signup.ts'] as string;
    const parts = JSON.parse(/createStreamDefinition\(\{\n {2}\.\.\.(\{[\s\S]*?\n {2}\}),\n {2}validator/.exec(module)?.[1] ?? '{}') as { fields: { name: string; redact?: unknown }[] };
    expect(parts.fields.map((f) => f.redact)).toEqual(Signup.fields.map((f) => f.redact));
  });
});
