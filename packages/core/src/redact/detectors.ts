import { FiatError } from '../errors.js';

/**
 * The value detectors Fiat offers (opt-in, per stream or logger):
 * - `'aws-access-key'` — AWS access key ids (`AKIA…`, `ASIA…` and the other 4-letter prefixes, 20 characters);
 * - `'jwt'` — JSON Web Tokens (`eyJ….eyJ….…`);
 * - `'pem-private-key'` — PEM private key blocks, from `-----BEGIN … PRIVATE KEY-----` to the matching
 *   `-----END … PRIVATE KEY-----` (to the end of the text when the end line is missing);
 * - `'card'` — payment card numbers: 13 to 19 digits starting with 2 to 6 (the major networks), optionally
 *   grouped by single spaces or dashes, passing the Luhn check, not part of a longer run of digits;
 * - `'email'` — email addresses.
 *
 * A match is replaced by `[redacted:<detector>]`, e.g. `[redacted:email]`.
 */
export type DetectorName = 'aws-access-key' | 'jwt' | 'pem-private-key' | 'card' | 'email';

/** Every detector, in the order they are applied. */
export const DETECTORS: readonly DetectorName[] = ['pem-private-key', 'jwt', 'aws-access-key', 'card', 'email'];

// Every pattern is linear: each starts only where the character before cannot continue it (a
// lookbehind), its repeated parts cannot match the same text two ways, and long parts are bounded.
const AWS_ACCESS_KEY = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Z0-9])/g;
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
const PEM_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
const CARD = /(?<![0-9]|[0-9][ -])[2-6](?:[ -]?[0-9]){12,18}(?![ -]?[0-9])/g;
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/** True when the digits of `text` (separators ignored) pass the Luhn check. */
export function passesLuhn(text: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = text.length - 1; i >= 0; i--) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) continue;
    let digit = code - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Replaces PEM private key blocks; a block whose end line is missing is replaced to the end of the text. */
function scrubPem(text: string): string {
  PEM_BEGIN.lastIndex = 0;
  let out = '';
  let from = 0;
  let begin: RegExpExecArray | null;
  while ((begin = PEM_BEGIN.exec(text)) !== null) {
    out += `${text.slice(from, begin.index)}[redacted:pem-private-key]`;
    PEM_END.lastIndex = begin.index + begin[0].length;
    const end = PEM_END.exec(text);
    from = end === null ? text.length : end.index + end[0].length;
    if (end === null) break;
    PEM_BEGIN.lastIndex = from;
  }
  return from === 0 ? text : out + text.slice(from);
}

type Scan = (text: string) => string;

const SCANS: Record<DetectorName, Scan> = {
  'pem-private-key': (text) => (text.includes('PRIVATE KEY-----') ? scrubPem(text) : text),
  jwt: (text) => (text.includes('eyJ') ? text.replace(JWT, '[redacted:jwt]') : text),
  'aws-access-key': (text) => (text.length >= 20 ? text.replace(AWS_ACCESS_KEY, '[redacted:aws-access-key]') : text),
  card: (text) => (text.length >= 13 ? text.replace(CARD, (match) => (passesLuhn(match) ? '[redacted:card]' : match)) : text),
  email: (text) => (text.includes('@') ? text.replace(EMAIL, '[redacted:email]') : text),
};

/** Replaces what a set of detectors finds in a text. */
export type Scrubber = (text: string) => string;

/**
 * Checks a `detect` list; throws `code` naming `where` for a name Fiat does not know.
 *
 * @example
 * ```ts
 * parseDetectors(['jwt', 'email'], 'option redact'); // ['jwt', 'email']
 * ```
 */
export function parseDetectors(value: unknown, where: string, code: 'INVALID_DEFINITION' | 'CONFIG_INVALID' = 'INVALID_DEFINITION'): DetectorName[] {
  if (!Array.isArray(value)) throw new FiatError(code, `${where}: detect must be an array of detector names (${DETECTORS.join(', ')})`);
  for (const name of value) {
    if (!DETECTORS.includes(name as DetectorName)) {
      throw new FiatError(code, `${where}: detect names unknown detector ${JSON.stringify(name) ?? String(name)} (known: ${DETECTORS.join(', ')})`);
    }
  }
  return DETECTORS.filter((name) => value.includes(name));
}

/**
 * A function replacing every match of `detectors` in a text by `[redacted:<detector>]`, or
 * `undefined` for none. Work is linear in the text's length, whatever the text.
 *
 * @example
 * ```ts
 * createScrubber(['email'])!('write to rich@example.com'); // 'write to [redacted:email]'
 * ```
 */
export function createScrubber(detectors: readonly DetectorName[]): Scrubber | undefined {
  const scans = DETECTORS.filter((name) => detectors.includes(name)).map((name) => SCANS[name]);
  if (scans.length === 0) return undefined;
  return (text) => {
    // The shortest match of any detector is 6 characters (a@b.cd).
    if (text.length < 6) return text;
    let out = text;
    for (const scan of scans) out = scan(out);
    return out;
  };
}
