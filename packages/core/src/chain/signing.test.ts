import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isFiatError } from '../errors.js';
import { ChainKeyring } from './keyring.js';
import { checkpointMessage, createChainSigner, ed25519KeyId, hmacKeyId, type CheckpointClaims } from './signing.js';

const KEY = '0123456789abcdef0123456789abcdef-hmac';

function claimsFor(alg: CheckpointClaims['signature_alg'], keyId: string): CheckpointClaims {
  return {
    chain_id: '019abc12-3def-7123-8456-789abcdef012',
    stream: 'Audit',
    table: 'audit',
    last_seq: 2,
    last_hash: 'd746220958cd48c288ec313486e85a4e59b305b98aa019b3368530785389fc4a',
    record_count: 2,
    event_time: '2026-11-26 09:05:08.000',
    signature_alg: alg,
    key_id: keyId,
  };
}

describe('checkpointMessage', () => {
  it('is the documented ten lines', () => {
    expect(checkpointMessage(claimsFor('hmac-sha256', '0123456789abcdef'))).toBe(
      [
        'fiat-checkpoint-v1',
        '019abc12-3def-7123-8456-789abcdef012',
        'Audit',
        'audit',
        '2',
        'd746220958cd48c288ec313486e85a4e59b305b98aa019b3368530785389fc4a',
        '2',
        '2026-11-26 09:05:08.000',
        'hmac-sha256',
        '0123456789abcdef',
      ].join('\n'),
    );
  });
});

describe('HMAC-SHA-256 checkpoints', () => {
  it('match the documented vector (openssl dgst -sha256 -hmac)', () => {
    // docs/integrity.md: key_id = printf '%s' "$KEY" | sha256sum | cut -c1-16; signature = printf '%s' "$MSG" | openssl dgst -sha256 -hmac "$KEY"
    const signer = createChainSigner({ chainKey: '0123456789abcdef0123456789abcdef' }, {});
    expect(signer.keyId).toBe('3eb1bd439947eb76');
    const claims = { ...claimsFor('hmac-sha256', signer.keyId), event_time: '2026-11-26 09:05:08.000' };
    expect(signer.sign(checkpointMessage(claims))).toBe('24f53edc1390296d378736ed324ba1d1ea09d23e5bb82d460579d81ea4759868');
  });

  it('sign with the key of FIAT_CHAIN_KEY, fingerprinted by SHA-256 of its bytes, and verify with the same key', () => {
    // Prepare
    const signer = createChainSigner({}, { FIAT_CHAIN_KEY: KEY });
    const claims = claimsFor(signer.alg, signer.keyId);
    // Act
    const signature = signer.sign(checkpointMessage(claims));
    // Assess
    expect(signer.alg).toBe('hmac-sha256');
    expect(signer.keyId).toBe(createHash('sha256').update(KEY).digest('hex').slice(0, 16));
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    const keyring = new ChainKeyring({ hmacKeys: [KEY] });
    expect(keyring.check(claims, signature)).toBe('valid');
    expect(keyring.check({ ...claims, last_seq: 3 }, signature)).toBe('invalid');
    expect(keyring.check(claims, signature.replace(/^./, (c) => (c === '0' ? '1' : '0')))).toBe('invalid');
    expect(keyring.check(claims, 'not hex')).toBe('invalid');
    expect(new ChainKeyring({ hmacKeys: ['x'.repeat(32)] }).check(claims, signature)).toBe('unknown-key');
  });

  it('prefers the chainKey option over the environment', () => {
    const signer = createChainSigner({ chainKey: Buffer.from('b'.repeat(40)) }, { FIAT_CHAIN_KEY: KEY });
    expect(signer.keyId).toBe(hmacKeyId(Buffer.from('b'.repeat(40))));
  });

  it('refuses a short key with CONFIG_INVALID and never repeats the key', () => {
    // Act
    let error: unknown;
    try {
      createChainSigner({}, { FIAT_CHAIN_KEY: 'short-secret' });
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(isFiatError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/FIAT_CHAIN_KEY must be at least 32 bytes/);
    expect((error as Error).message).not.toContain('short-secret');
  });

  it('keeps the key out of what the signer shows', () => {
    const signer = createChainSigner({ chainKey: KEY }, {});
    expect(JSON.stringify(signer)).not.toContain(KEY);
    expect(Object.values(signer).join(' ')).not.toContain(KEY);
  });
});

describe('Ed25519 checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('sign with a PEM private key and verify with only the public key', () => {
    // Prepare
    const signer = createChainSigner({ signingKey: privatePem }, { FIAT_CHAIN_KEY: KEY });
    const claims = claimsFor(signer.alg, signer.keyId);
    // Act
    const signature = signer.sign(checkpointMessage(claims));
    // Assess
    expect(signer.alg).toBe('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(signer.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(ed25519KeyId(publicKey)).toBe(signer.keyId);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    const keyring = new ChainKeyring({ publicKeys: [publicPem] });
    expect(keyring.check(claims, signature)).toBe('valid');
    expect(keyring.check({ ...claims, event_time: '2026-11-26 09:05:08.001' }, signature)).toBe('invalid');
    expect(keyring.check(claims, 'AAAA')).toBe('invalid');
  });

  it('reports a key it was not given as unknown-key, and an unsigned checkpoint as unsigned', () => {
    const other = generateKeyPairSync('ed25519');
    const signer = createChainSigner({ signingKey: privateKey });
    const claims = claimsFor(signer.alg, signer.keyId);
    const keyring = new ChainKeyring({ publicKeys: [other.publicKey] });
    expect(keyring.check(claims, signer.sign(checkpointMessage(claims)))).toBe('unknown-key');
    expect(keyring.check(claimsFor('none', ''), '')).toBe('unsigned');
    expect(keyring.hasKeys).toBe(true);
    expect(new ChainKeyring().hasKeys).toBe(false);
  });

  it('refuses keys that are not Ed25519 private keys, and both options at once', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => createChainSigner({ signingKey: rsa.privateKey })).toThrow(/must be an Ed25519 private key, got a private rsa key/);
    expect(() => createChainSigner({ signingKey: publicKey })).toThrow(/must be an Ed25519 private key/);
    expect(() => createChainSigner({ signingKey: 'not a pem' })).toThrow(/not a readable private key/);
    expect(() => createChainSigner({ signingKey: privateKey, chainKey: KEY })).toThrow(/exclusive/);
    expect(() => new ChainKeyring({ publicKeys: [rsa.publicKey] })).toThrow(/must be Ed25519/);
  });

  it('signs nothing when no key is configured', () => {
    const signer = createChainSigner({}, {});
    expect(signer).toMatchObject({ alg: 'none', keyId: '' });
    expect(signer.sign('x')).toBe('');
  });
});
