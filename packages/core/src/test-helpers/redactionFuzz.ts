import fc from 'fast-check';
import { z } from 'zod';
import { defineStream } from '../defineStream.js';
import { DETECTORS } from '../redact/detectors.js';
import { SECRET_KEYS } from '../redact/rules.js';
import { redact } from '../redact/zod.js';

// Secrets are planted only where redaction promises to hide them; each carries a random core that
// nothing else generates (`qzx` + 14 lowercase letters or digits, `QZX` + 13 uppercase ones, or a
// Luhn-valid card number), so that finding a core in any output is a leak, never a coincidence.

/** A stream using every redaction kind: declared actions, path rules of each action, detectors. */
export const Vault = defineStream({
  name: 'FuzzVault',
  schema: z.object({
    contact: redact(z.string(), 'hash'),
    password: redact(z.string(), 'drop'),
    nickname: redact(z.string(), { action: 'truncate', length: 3 }),
    pin: redact(z.string(), { action: 'mask', showLength: true }),
    note: redact(z.string(), 'mask').optional(),
    blob: redact(z.unknown(), 'hash').optional(),
    address: z.object({ street: redact(z.string(), 'mask'), city: z.string() }).optional(),
    payload: z.unknown(),
    headers: z.record(z.string(), z.string()).optional(),
    free: z.unknown().optional(),
    n: z.number().optional(),
  }),
  redact: [
    { paths: ['headers.authorization', 'cards[*].number', '**.ssn', 'profile.*.token'], fields: ['payload'] },
    { paths: ['customer.email'], action: 'hash', fields: ['payload'] },
    { paths: ['private'], action: 'drop', fields: ['payload'] },
    { paths: ['wallet'], action: { action: 'mask', showLength: true }, fields: ['payload'] },
    { paths: ['authorization', 'cookie'], fields: ['headers'] },
    { detect: [...DETECTORS], fields: ['payload', 'free'] },
  ],
});

/** The Audit stream's shape and default rule (core cannot import @fiat/schemas). */
export const Calls = defineStream({
  name: 'FuzzCalls',
  schema: z.object({ task: z.string().min(1), task_args: z.unknown(), output: z.unknown().optional(), error_message: z.string().optional() }),
  redact: { secretKeys: true, optOut: true },
});

/** The logger rules every fuzz logger adds: every detector, on free-form fields and error messages (as Audit.configure does). */
export const LOGGER_REDACT = [{ detect: [...DETECTORS] }, { detect: [...DETECTORS], fields: ['error_message'] }];

const lower = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const digits = '0123456789'.split('');

const core = fc.string({ unit: fc.constantFrom(...lower), minLength: 14, maxLength: 14 }).map((s) => `qzx${s}`);

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A secret: the text planted, and the cores that must never appear in any output. */
export interface Secret {
  readonly text: string;
  readonly cores: readonly string[];
}

const plain: fc.Arbitrary<Secret> = core.map((c) => ({ text: c, cores: [c] }));

/** Secrets that a detector finds: the text is the whole match. */
const detected: fc.Arbitrary<Secret> = fc.oneof(
  fc.tuple(core, fc.constantFrom('example.com', 'mail.example.co.uk', 'x.io')).map(([c, domain]) => ({ text: `${c}@${domain}`, cores: [c] })),
  fc.string({ unit: fc.constantFrom(...upper), minLength: 13, maxLength: 13 }).map((s) => ({ text: `AKIAQZX${s}`, cores: [`QZX${s}`] })),
  fc.tuple(core, core, core).map(([a, b, c]) => ({ text: `eyJ${a}.eyJ${b}.${c}`, cores: [a, b, c] })),
  fc.tuple(fc.string({ unit: fc.constantFrom(...digits), minLength: 14, maxLength: 14 }), fc.boolean()).map(([body, spaced]) => {
    const number = `4${body}`;
    const card = number + luhnDigit(number);
    const text = spaced ? card.replace(/(\d{4})(?=\d)/g, '$1 ') : card;
    return { text, cores: [card, card.replace(/(\d{4})(?=\d)/g, '$1 '), card.replace(/(\d{4})(?=\d)/g, '$1-')] };
  }),
  core.map((c) => ({ text: `-----BEGIN RSA PRIVATE KEY-----\nMIIB${c}AQAB\n-----END RSA PRIVATE KEY-----`, cores: [c] })),
);

/** Text around a detected secret, kept apart from it by ' | ' so the match has clear edges. */
const around = fc.string({ maxLength: 12 });
const inText = fc.tuple(around, detected, around).map(([before, secret, after]) => ({ text: `${before} | ${secret.text} | ${after}`, cores: secret.cores }));

/** A JSON value that holds no secret. */
const background = fc.jsonValue({ maxDepth: 2 });

/** A secret key as written by someone: any case, `_` or `-` sprinkled in. */
const secretKey = fc
  .tuple(fc.constantFrom(...SECRET_KEYS), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), fc.array(fc.constantFrom('', '', '', '_', '-'), { minLength: 20, maxLength: 20 }))
  .map(([key, cases, seps]) =>
    key
      .replace(/[_-]/g, '')
      .split('')
      .map((ch, i) => (i > 0 ? seps[i] : '') + (cases[i] ? ch.toUpperCase() : ch.toLowerCase()))
      .join(''),
  );

/** `value` placed under `key` at a random depth inside a random object. */
function nest(key: fc.Arbitrary<string>, value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(fc.array(fc.tuple(fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__'), fc.boolean()), { maxLength: 4 }), key, value, background).map(([levels, name, inner, extra]) => {
    let holder: unknown = { [name]: inner, other: extra };
    for (const [level, asArray] of levels) holder = asArray ? [extra, holder] : { [level]: holder };
    return holder;
  });
}

/** What a planted value is: the secret alone, or inside a JSON value (for hash and mask of free-form values). */
const wrapped = (secret: Secret): fc.Arbitrary<unknown> => fc.oneof(fc.constant(secret.text), background.map((b) => ({ x: b, s: [secret.text] })));

/** One Vault field or path where a secret is planted, and how. */
type Plant = (record: Record<string, any>) => void;

const vaultPlants: fc.Arbitrary<{ plant: Plant; secret: Secret }> = fc.oneof<fc.Arbitrary<{ plant: Plant; secret: Secret }>[]>(
  ...(['contact', 'password', 'pin', 'note'] as const).map((field) => plain.map((secret) => ({ secret, plant: (r: Record<string, any>) => void (r[field] = secret.text) }))),
  plain.map((secret) => ({ secret, plant: (r: Record<string, any>) => void (r.nickname = `abc${secret.text}`) })),
  plain.chain((secret) => wrapped(secret).map((value) => ({ secret, plant: (r: Record<string, any>) => void (r.blob = value) }))),
  plain.map((secret) => ({ secret, plant: (r: Record<string, any>) => void (r.address = { street: secret.text, city: 'Springfield' }) })),
  plain.map((secret) => ({ secret, plant: (r: Record<string, any>) => void ((r.payload.headers ??= {}).authorization = secret.text) })),
  fc.tuple(plain, fc.integer({ min: 0, max: 3 })).map(([secret, at]) => ({
    secret,
    plant: (r: Record<string, any>) => void (r.payload.cards = [...Array.from({ length: at }, () => ({ number: 'xx' })), { number: secret.text, brand: 'visa' }]),
  })),
  fc.tuple(plain, fc.constantFrom('ssn', 'SSN', 'Ssn')).chain(([secret, key]) => nest(fc.constant(key), wrapped(secret)).map((value) => ({ secret, plant: (r: Record<string, any>) => void (r.payload.deep = value) }))),
  fc.tuple(plain, fc.string({ maxLength: 5 })).map(([secret, k]) => ({ secret, plant: (r: Record<string, any>) => void (r.payload.profile = { [k === '__proto__' ? 'p' : k]: { token: secret.text } }) })),
  plain.map((secret) => ({ secret, plant: (r: Record<string, any>) => void (r.payload.customer = { email: secret.text }) })),
  plain.chain((secret) => wrapped(secret).map((value) => ({ secret, plant: (r: Record<string, any>) => void (r.payload.private = value) }))),
  plain.chain((secret) => wrapped(secret).map((value) => ({ secret, plant: (r: Record<string, any>) => void (r.payload.wallet = value) }))),
  fc.tuple(plain, fc.constantFrom('Authorization', 'COOKIE', 'authorization')).map(([secret, key]) => ({ secret, plant: (r: Record<string, any>) => void (r.headers = { ...r.headers, [key]: secret.text }) })),
  inText.chain((secret) => nest(fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__'), fc.constant(secret.text)).map((value) => ({ secret, plant: (r: Record<string, any>) => void (r.payload.text = value) }))),
  inText.map((secret) => ({ secret, plant: (r: Record<string, any>) => void (r.free = secret.text) })),
  fc.tuple(inText, background).map(([secret, other]) => ({ secret, plant: (r: Record<string, any>) => void (r.free = [other, [secret.text]]) })),
  detected.filter((s) => !s.text.includes('\n') && !s.text.includes(' ')).map((secret) => ({ secret, plant: (r: Record<string, any>) => void (r.payload.keyed = { [secret.text]: 1 }) })),
);

/** How a record is made invalid, if it is: a few ways outside redacted places, and a few inside. */
const breakage: fc.Arbitrary<Plant | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant((r: Record<string, any>) => void (r.extra = 1)) },
  { weight: 1, arbitrary: fc.constant((r: Record<string, any>) => void (r.free = { big: 10n })) },
  { weight: 1, arbitrary: fc.constant((r: Record<string, any>) => void (r.n = 'not a number')) },
  { weight: 1, arbitrary: fc.constant((r: Record<string, any>) => void (r.contact = { not: 'a string' })) },
  { weight: 1, arbitrary: fc.constant((r: Record<string, any>) => void (r.payload.cycle = r.payload)) },
  { weight: 1, arbitrary: fc.constant((r: Record<string, any>) => void (r.address = { ...(r.address ?? { street: 's' }), city: 5 })) },
  {
    weight: 1,
    arbitrary: fc.constant((r: Record<string, any>) =>
      Object.defineProperty(r.payload, 'boom', {
        enumerable: true,
        get() {
          throw new Error('getter failed');
        },
      }),
    ),
  },
  { weight: 1, arbitrary: fc.constant((r: Record<string, any>) => void (r.free = 'x'.repeat(1_100_000))) },
);

/** A Vault record with 1 to 4 secrets planted, maybe broken; `secrets` lists what was planted. */
export const vaultCase = fc
  .record({
    base: fc.record({ city: fc.string({ maxLength: 8 }), payload: fc.dictionary(fc.string({ maxLength: 5 }).filter((k) => k !== '__proto__'), background, { maxKeys: 3 }), free: background, n: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
    plants: fc.array(vaultPlants, { minLength: 1, maxLength: 4 }),
    breakage,
  })
  .map(({ base, plants, breakage: broken }) => ({
    secrets: plants.map((p) => p.secret),
    build: (): unknown => {
      const record: Record<string, any> = { contact: 'c', password: 'p', nickname: 'nick', pin: '0000', payload: { ...base.payload }, free: base.free, n: base.n };
      for (const { plant } of plants) plant(record);
      broken?.(record);
      return record;
    },
  }));

/** A call record (Audit's shape) with secrets under default secret keys and in its error message. */
export const callCase = fc
  .record({
    task: fc.string({ minLength: 1, maxLength: 8 }),
    args: fc.tuple(plain, secretKey).chain(([secret, key]) => nest(fc.constant(key), wrapped(secret)).map((value) => ({ secret, value }))),
    output: fc.option(fc.tuple(plain, secretKey).chain(([secret, key]) => nest(fc.constant(key), wrapped(secret)).map((value) => ({ secret, value })))),
    error: fc.option(inText),
    broken: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })
  .map(({ task, args, output, error, broken }) => ({
    secrets: [args.secret, ...(output === null ? [] : [output.secret]), ...(error === null ? [] : [error])],
    build: (): unknown => ({
      task: broken ? '' : task,
      task_args: args.value,
      ...(output === null ? {} : { output: output.value }),
      ...(error === null ? {} : { error_message: error.text }),
    }),
  }));
