import { describe, expect, it } from 'vitest';
import { isFiatError } from '../errors.js';
import { createScrubber, DETECTORS, parseDetectors, passesLuhn } from './detectors.js';

const scrub = (text: string, ...names: Parameters<typeof createScrubber>[0]) => createScrubber(names)!(text);

// Real-looking but fake values: the AWS documentation's example key id, a test card number, a JWT of '{}'.
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const CARD = '4111 1111 1111 1111';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----';

describe('detectors', () => {
  it('replace AWS access key ids, JWTs, PEM private keys, Luhn-valid cards and emails', () => {
    const text = `key ${AWS_KEY}, bearer ${JWT}; pem ${PEM} card ${CARD} mail rich.o'hara+x@mail.example.co.uk.`;
    const out = scrub(text, ...DETECTORS);
    expect(out).toBe(
      "key [redacted:aws-access-key], bearer [redacted:jwt]; pem [redacted:pem-private-key] card [redacted:card] mail rich.o'[redacted:email].",
    );
  });

  it('leave alone what only looks similar', () => {
    const text = 'order 4111111111111112, id 41111111111111111111111, epoch 1700000000000, AKIA123, eyJ.x, a@b, x@y.z';
    expect(scrub(text, ...DETECTORS)).toBe(text);
  });

  it('find cards grouped by dashes and of 13 to 19 digits, but not inside longer digit runs', () => {
    expect(scrub('5555-5555-5555-4444', 'card')).toBe('[redacted:card]');
    expect(scrub('378282246310005', 'card')).toBe('[redacted:card]');
    expect(scrub('x 378282246310005, 9', 'card')).toBe('x [redacted:card], 9');
    expect(scrub('1378282246310005', 'card')).toBe('1378282246310005');
  });

  it('redact a PEM block whose end line is missing to the end of the text', () => {
    expect(scrub('before -----BEGIN PRIVATE KEY-----\nMIIE…', 'pem-private-key')).toBe('before [redacted:pem-private-key]');
  });

  it('check Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111-1111-1111-1111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });

  it('refuse an unknown detector naming it', () => {
    let thrown: unknown;
    try {
      parseDetectors(['email', 'ssn'], 'option redact', 'CONFIG_INVALID');
    } catch (error) {
      thrown = error;
    }
    expect(isFiatError(thrown, 'CONFIG_INVALID')).toBe(true);
    expect((thrown as Error).message).toMatch(/option redact: detect names unknown detector "ssn"/);
  });

  // Linear work: each of these inputs makes a backtracking pattern quadratic or worse. With the
  // patterns used, 1 MiB takes milliseconds; a quadratic one would not finish within the test's timeout.
  it.each([
    ['local-part runs without @', 'a.'.repeat(500_000)],
    ['email domains that never end in a TLD', `${'a@'.repeat(100_000)}${'b-'.repeat(200_000)}`],
    ['labels without a TLD', `x@${'a.'.repeat(400_000)}1`],
    ['JWT-like runs without dots', `eyJ${'eyJ'.repeat(300_000)}`],
    ['JWT-like segments without an end', `${'eyJa.'.repeat(200_000)}`],
    ['digit runs with separators', '1 '.repeat(500_000)],
    ['digit runs', '4'.repeat(1_000_000)],
    ['PEM headers without end lines', '-----BEGIN PRIVATE KEY-----'.repeat(40_000)],
    ['PEM-like headers that never finish', `-----BEGIN ${'A '.repeat(400_000)}`],
    ['AWS-like runs', 'AKIA'.repeat(250_000)],
  ])('stay linear on %s (1 MB)', { timeout: 60_000 }, (_name, text) => {
    const out = scrub(text, ...DETECTORS);
    expect(typeof out).toBe('string');
  });
});
