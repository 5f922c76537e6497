import { FiatError } from './errors.js';
import { isStreamDefinition } from './brand.js';
import { toWellFormed } from './unicode.js';

/**
 * Checks the envelope values a logger stores in every record, after they were copied (so a getter
 * cannot give one value to the check and another to the copy): `app`, `email` and every tag key and
 * value must be strings of well-formed Unicode. Throws `CONFIG_INVALID` naming the option.
 *
 * @example
 * ```ts
 * checkEnvelopeOptions('shop', 'a@b.c', { env: 'dev' }); // ok
 * checkEnvelopeOptions('shop\ud800', 'a@b.c', {});       // throws CONFIG_INVALID: option app …
 * ```
 */
export function checkEnvelopeOptions(app: unknown, email: unknown, tags: Readonly<Record<string, unknown>>): void {
  const illFormed = (option: string): never => {
    throw new FiatError('CONFIG_INVALID', `option ${option} is not well-formed Unicode (it holds a lone UTF-16 surrogate), which the lake cannot read back`);
  };
  if (typeof app !== 'string' || app.length === 0) throw new FiatError('CONFIG_INVALID', 'option app must be a non-empty string');
  if (typeof email !== 'string' || email.length === 0) throw new FiatError('CONFIG_INVALID', 'option email must be a non-empty string');
  if (!app.isWellFormed()) illFormed('app');
  if (!email.isWellFormed()) illFormed('email');
  for (const [key, value] of Object.entries(tags)) {
    if (!key.isWellFormed()) illFormed(`tags.${toWellFormed(key)} (the key)`);
    if (typeof value !== 'string') throw new FiatError('CONFIG_INVALID', `option tags.${key} must be a string, got ${typeof value}`);
    if (!value.isWellFormed()) illFormed(`tags.${key}`);
  }
}

/**
 * Checks that every entry of the `streams` option is a definition made by Fiat. Throws
 * `CONFIG_INVALID` naming the entry otherwise.
 *
 * @example
 * ```ts
 * checkStreamsOption([Audit]);                // ok
 * checkStreamsOption([{ name: 'X', encode }]); // throws CONFIG_INVALID: option streams[0] …
 * ```
 */
export function checkStreamsOption(streams: readonly unknown[]): void {
  streams.forEach((stream, i) => {
    if (!isStreamDefinition(stream)) {
      throw new FiatError(
        'CONFIG_INVALID',
        `option streams[${i}] is not a stream definition made by defineStream, createStreamDefinition or loadStreamFolder`,
      );
    }
  });
}
