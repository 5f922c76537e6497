import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineStream } from '../defineStream.js';
import { isFiatError, type FiatError } from '../errors.js';
import type { Envelope } from '../envelope.js';
import { memoryTransport } from '../test-helpers/memoryTransport.js';
import { ValidatedLog } from '../ValidatedLog.js';
import { HASH_TOKEN_PATTERN, REDACTION_KEY_ENV, resolveRedactionKey } from './key.js';
import { Redaction } from './Redaction.js';
import { redact } from './zod.js';

const KEY = 'k'.repeat(32);
const TOKEN = new RegExp(HASH_TOKEN_PATTERN);
const envelope: Envelope = { eventId: '0190a3c4-0000-7000-8000-000000000000', eventTime: Date.UTC(2026, 0, 1), app: 'test', email: 'owner@example.com', tags: {} };

const Signup = defineStream({
  name: 'Signup',
  schema: z.object({
    contact: redact(z.email(), 'hash'),
    password: redact(z.string().min(8), 'drop'),
    name: redact(z.string(), { action: 'truncate', length: 1 }),
    pin: redact(z.string(), { action: 'mask', showLength: true }),
    note: redact(z.string().nullable(), 'mask').optional(),
    blob: redact(z.unknown(), 'hash').optional(),
    address: z.object({ street: redact(z.string(), 'mask'), city: z.string() }),
    cards: z.array(z.object({ number: redact(z.string(), 'mask'), brand: z.string() })).optional(),
    request: z.unknown(),
    headers: z.record(z.string(), z.string()).optional(),
    plain: z.string().optional(),
  }),
  redact: [
    { paths: ['headers.authorization', 'cards[*].cvv', '**.ssn'], fields: ['request'] },
    { paths: ['authorization'], fields: ['headers'] },
    { paths: ['customer.email'], action: 'hash', fields: ['request'] },
    { paths: ['drop_me'], action: 'drop', fields: ['request'] },
    { detect: ['email', 'jwt'], fields: ['request', 'plain'] },
  ],
});

const redaction = new Redaction(Signup.name, Signup.fields, { key: resolveRedactionKey(KEY) });

const valid = {
  contact: 'rich@example.com',
  password: 'hunter2hunter2',
  name: 'Richard',
  pin: '1234',
  note: 'call me',
  blob: { any: ['thing', 1] },
  address: { street: '1 Main St', city: 'Springfield' },
  cards: [{ number: '4111111111111111', brand: 'visa' }],
  request: {
    headers: { Authorization: 'Bearer abc', accept: 'json' },
    cards: [{ cvv: '123', last4: '1111' }],
    deep: { deeper: { SSN: '078-05-1120' } },
    customer: { email: 'ann@example.com' },
    drop_me: 'gone',
    list: [1, { ssn: 'x' }],
    text: 'mail ann@example.com or use eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc',
    'bob@example.com': 'key is an email',
  },
  headers: { authorization: 'Basic dXNlcjpwYXNz', host: 'x' },
  plain: 'ping bob@example.com',
};

function thrown(fn: () => unknown): FiatError {
  try {
    fn();
  } catch (error) {
    if (isFiatError(error)) return error;
    throw error;
  }
  throw new Error('expected a FiatError');
}

afterEach(() => {
  delete process.env[REDACTION_KEY_ENV];
});

describe('a stream with every redaction kind', () => {
  it('stores each declared action and each rule, and none of the values they replace', () => {
    // Act
    const line = Signup.encode(valid, envelope, redaction);
    const stored = JSON.parse(line) as Record<string, unknown>;
    // Assess
    expect(stored.contact).toMatch(TOKEN);
    expect(stored.password).toBeNull();
    expect(stored.name).toBe('R');
    expect(stored.pin).toBe('[redacted:4]');
    expect(stored.note).toBe('[redacted]');
    expect(JSON.parse(stored.blob as string)).toMatch(TOKEN);
    expect(stored.address).toEqual({ street: '[redacted]', city: 'Springfield' });
    expect(stored.cards).toEqual([{ number: '[redacted]', brand: 'visa' }]);
    const request = JSON.parse(stored.request as string) as Record<string, any>;
    expect(request.headers).toEqual({ Authorization: '[redacted]', accept: 'json' });
    expect(request.cards).toEqual([{ cvv: '[redacted]', last4: '1111' }]);
    expect(request.deep.deeper.SSN).toBe('[redacted]');
    expect(request.list).toEqual([1, { ssn: '[redacted]' }]);
    expect(request.customer.email).toMatch(TOKEN);
    expect('drop_me' in request).toBe(false);
    expect(request.text).toBe('mail [redacted:email] or use [redacted:jwt]');
    expect(request['[redacted:email]']).toBe('key is an email');
    expect(stored.headers).toEqual({ authorization: '[redacted]', host: 'x' });
    expect(stored.plain).toBe('ping [redacted:email]');
    for (const secret of ['rich@example.com', 'hunter2', 'ichard', '1234', 'call me', 'thing', '1 Main', '4111111111111111', 'Bearer abc', '123"', '078-05-1120', 'ann@example.com', 'gone', 'bob@example.com', 'eyJ', 'dXNlcjpwYXNz']) {
      expect(line, secret).not.toContain(secret);
    }
  });

  it('hashes equal values to equal tokens under one key, and differently under another', () => {
    const other = new Redaction(Signup.name, Signup.fields, { key: resolveRedactionKey('o'.repeat(32)) });
    const a = JSON.parse(Signup.encode(valid, envelope, redaction)).contact;
    const b = JSON.parse(Signup.encode({ ...valid, name: 'Other' }, envelope, redaction)).contact;
    const c = JSON.parse(Signup.encode(valid, envelope, other)).contact;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a.split(':')[1]).not.toBe(c.split(':')[1]);
  });

  it('validates the values as given, and names them in issues without quoting them', () => {
    const error = thrown(() => Signup.encode({ ...valid, contact: 'not-an-email-secret', password: 'short' }, envelope, redaction));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect([...new Set(error.issues.map((i) => i.path))].sort()).toEqual(['contact', 'password']);
    expect(JSON.stringify([error.message, error.issues])).not.toMatch(/not-an-email-secret|short"/);
  });

  it('replaces a masked value whatever it holds, and hides keys below a hashed value in paths', () => {
    const masked = { ...valid, request: { cards: [{ cvv: 10n }] } };
    expect(JSON.parse(JSON.parse(Signup.encode(masked, envelope, redaction)).request).cards[0].cvv).toBe('[redacted]');
    const hashed = { ...valid, request: { customer: { email: { 'rich@secret.example': 1n } } } };
    const error = thrown(() => Signup.encode(hashed, envelope, redaction));
    expect(error.issues).toEqual([{ path: 'request.customer.email.[redacted]', message: expect.stringMatching(/BigInt/) }]);
    expect(error.message).not.toContain('rich@secret');
  });

  it('needs a key to hash: CONFIG_INVALID without one, FIAT_REDACTION_KEY when no logger gives one', () => {
    const error = thrown(() => new Redaction(Signup.name, Signup.fields, {}));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/stream Signup hashes field 'contact'.*FIAT_REDACTION_KEY/);
    expect(thrown(() => Signup.encode(valid, envelope)).code).toBe('CONFIG_INVALID');
    process.env[REDACTION_KEY_ENV] = KEY;
    expect(Signup.encode(valid, envelope)).toBe(Signup.encode(valid, envelope, redaction));
  });

  it('describes every redaction in json_schema.json and in the column comments', () => {
    const properties = Signup.jsonSchema.properties as Record<string, Record<string, unknown>>;
    expect(properties.contact).toEqual({ type: 'string', 'x-fiat-redact': 'hash' });
    expect(properties.password).toEqual({ type: ['string', 'null'], minLength: 8, 'x-fiat-redact': 'drop' });
    expect(properties.name).toEqual({ type: 'string', 'x-fiat-redact': { action: 'truncate', length: 1 } });
    expect(properties.blob).toEqual({ type: 'string', contentMediaType: 'application/json', 'x-fiat-redact': 'hash' });
    expect(properties.request?.['x-fiat-redact']).toEqual({
      rules: [
        { paths: ['headers.authorization', 'cards[*].cvv', '**.ssn'], action: 'mask' },
        { paths: ['customer.email'], action: 'hash' },
        { paths: ['drop_me'], action: 'drop' },
        { detect: ['jwt', 'email'] },
      ],
    });
    const comments = Object.fromEntries(Signup.columns.map((c) => [c.name, c.comment]));
    expect(comments.contact).toBe('redacted: hash (HMAC-SHA-256, hmac:<key id>:<hex>)');
    expect(comments.address).toBe('inside: street redacted: mask ([redacted])');
    expect(comments.plain).toBe('redacted: detect jwt, email');
    expect(comments.event_id).toBeUndefined();
  });
});

describe('declaring redaction', () => {
  it.each([
    ['hash on a number', () => z.object({ n: redact(z.number(), 'hash') })],
    ['truncate on free-form JSON', () => z.object({ j: redact(z.unknown(), { action: 'truncate', length: 3 }) })],
    ['mask on a timestamp', () => z.object({ at: redact(z.iso.datetime(), 'mask') })],
    ['mask on an array', () => z.object({ a: redact(z.array(z.string()), 'mask') })],
    ['rules inside a struct', () => z.object({ s: z.object({ j: redact(z.unknown(), { paths: ['x'] }) }) })],
  ])('refuses %s with INVALID_DEFINITION naming the field', (_name, schema) => {
    const error = thrown(() => defineStream({ name: 'Bad', schema: schema() }));
    expect(error.code).toBe('INVALID_DEFINITION');
    expect(error.message).toMatch(/field '(n|j|at|a|s\.j)'/);
  });

  it('refuses a rule naming a field the stream lacks, or one it cannot apply to', () => {
    expect(thrown(() => defineStream({ name: 'Bad', schema: z.object({ j: z.unknown() }), redact: { paths: ['x'], fields: ['k'] } })).message).toMatch(/names field 'k'/);
    expect(thrown(() => defineStream({ name: 'Bad', schema: z.object({ s: z.string() }), redact: { paths: ['x'], fields: ['s'] } })).message).toMatch(/field 's' is a string: paths/);
  });

  it('keeps the field metadata it is given, and accepts the raw .meta() form', () => {
    const Stream = defineStream({
      name: 'Meta',
      schema: z.object({ a: redact(z.string().describe('the a'), 'mask'), b: z.string().meta({ 'x-fiat-redact': 'drop' }) }),
    });
    expect(Stream.fields.map((f) => f.redact)).toEqual([{ action: 'mask' }, { action: 'drop' }]);
    expect((Stream.jsonSchema.properties as Record<string, unknown>).a).toEqual({ type: 'string', description: 'the a', 'x-fiat-redact': 'mask' });
  });
});

describe('a logger', () => {
  const Orders = defineStream({ name: 'Orders', schema: z.object({ customer: redact(z.string(), 'hash'), meta: z.unknown().optional() }) });
  const Notes = defineStream({ name: 'Notes', schema: z.object({ body: z.unknown(), title: z.string() }) });

  it('refuses at configure a listed stream that hashes without a key, naming it and never a key', () => {
    const error = thrown(() => ValidatedLog.configure(memoryTransport(), { app: 'a', email: 'a@b.c', streams: [Orders] }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/stream Orders hashes field 'customer'/);
  });

  it('refuses at log() a definition passed directly that hashes without a key, even with onInvalid deadletter', () => {
    const transport = memoryTransport();
    const logger = ValidatedLog.configure(transport, { app: 'a', email: 'a@b.c', onInvalid: 'deadletter' });
    expect(thrown(() => logger.log(Orders, { customer: 'c-1' })).code).toBe('CONFIG_INVALID');
    expect(transport.records).toHaveLength(0);
  });

  it('adds its rules to every stream and its detectors to redactionOf().scrubText', () => {
    const transport = memoryTransport();
    const logger = ValidatedLog.configure(transport, {
      app: 'a',
      email: 'a@b.c',
      redactionKey: KEY,
      streams: [Orders, Notes],
      redact: [{ paths: ['**.secret'] }, { detect: ['email'], fields: ['title'] }],
    });
    logger.log(Orders, { customer: 'c-1', meta: { secret: 's3cr3t' } });
    logger.log('Notes', { body: [{ Secret: 's3cr3t' }], title: 'for ann@example.com' });
    expect(transport.lines('orders')[0]).toMatchObject({ meta: '{"secret":"[redacted]"}' });
    expect(transport.lines('notes')[0]).toMatchObject({ body: '[{"Secret":"[redacted]"}]', title: 'for [redacted:email]' });
    expect(logger.redactionOf('Notes').scrubText('to ann@example.com')).toBe('to [redacted:email]');
    expect(logger.redactionOf(Orders).keyId).toBe(resolveRedactionKey(KEY)?.keyId);
  });

  it('masks a stream\'s opt-out rule by default, and with redact: false stores as given and warns once per process', () => {
    const Calls = defineStream({ name: 'Calls', schema: z.object({ args: z.unknown() }), redact: { secretKeys: true, optOut: true } });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const transport = memoryTransport();
      const on = ValidatedLog.configure(transport, { app: 'a', email: 'a@b.c', streams: [Calls] });
      on.log(Calls, { args: { user: { API_KEY: 'k-1', Set_Cookie: 'c-1', name: 'n' } } });
      expect(transport.lines()[0]?.args).toBe('{"user":{"API_KEY":"[redacted]","Set_Cookie":"[redacted]","name":"n"}}');
      expect(warn).not.toHaveBeenCalled();
      const off = ValidatedLog.configure(transport, { app: 'a', email: 'a@b.c', streams: [Calls], redact: false });
      ValidatedLog.configure(transport, { app: 'a', email: 'a@b.c', redact: false });
      off.log(Calls, { args: { password: 'p-1' } });
      expect(transport.lines()[1]?.args).toBe('{"password":"p-1"}');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[1]).toMatchObject({ code: 'FIAT_REDACTION_DISABLED' });
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses its rule on a field that cannot hold it', () => {
    const error = thrown(() => ValidatedLog.configure(memoryTransport(), { app: 'a', email: 'a@b.c', streams: [Notes], redact: { paths: ['x'], fields: ['title'] } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/field 'title' is a string/);
  });

  it('dead-letters refused input with its raw redacted as a stored record would be', () => {
    const transport = memoryTransport();
    const logger = ValidatedLog.configure(transport, { app: 'a', email: 'a@b.c', onInvalid: 'deadletter', redactionKey: KEY, streams: [Signup] });
    const entry = logger.log(Signup, { ...valid, pin: 1234, request: { ...valid.request, n: 1n } } as never);
    expect(entry.deadLettered).toBe(true);
    const [letter] = transport.lines('_fiat_deadletter');
    const raw = JSON.parse(letter?.raw as string) as Record<string, any>;
    expect(raw.contact).toMatch(TOKEN);
    expect('password' in raw).toBe(false);
    expect(raw.pin).toBe('[redacted:4]');
    expect(raw.address.street).toBe('[redacted]');
    expect(raw.cards[0].number).toBe('[redacted]');
    expect(raw.request.headers.Authorization).toBe('[redacted]');
    expect(raw.request.text).toBe('mail [redacted:email] or use [redacted:jwt]');
    expect(raw.request.n).toBe('[BigInt 1]');
    const text = JSON.stringify(letter);
    for (const secret of ['rich@example.com', 'hunter2', 'Bearer abc', '078-05-1120', 'ann@example.com', 'bob@example.com', '4111111111111111']) expect(text, secret).not.toContain(secret);
  });
});
