import { describe, expect, it } from 'vitest';
import { ChainWriter } from './ChainWriter.js';
import { chainHash, GENESIS_HASH, sha256Hex, splitSealedLine } from './hash.js';

// The worked example of docs/integrity.md and the core README; recomputed there with `printf '%s%s' "$P" "$U" | sha256sum`.
const CHAIN_ID = '019abc12-3def-7123-8456-789abcdef012';
const U1 =
  '{"event_id":"019abc12-3def-7000-8000-000000000001","event_time":"2026-11-26 09:05:07.042","app":"shop","email":"a@b.c","tags":{},"task":"_add","chain_id":"019abc12-3def-7123-8456-789abcdef012","chain_seq":1}';
const U2 =
  '{"event_id":"019abc12-3def-7000-8000-000000000002","event_time":"2026-11-26 09:05:07.043","app":"shop","email":"a@b.c","tags":{},"task":"_sub","chain_id":"019abc12-3def-7123-8456-789abcdef012","chain_seq":2}';
const U3 =
  '{"event_id":"019abc12-3def-7000-8000-000000000003","event_time":"2026-11-26 09:05:07.044","app":"shop","email":"a@b.c","tags":{},"task":"café ☕","chain_id":"019abc12-3def-7123-8456-789abcdef012","chain_seq":3}';
const H1 = 'f2e4d78902993309a938465070253f09a5a002d1a425faa2a07fd46d7e2b6da7';
const H2 = 'd746220958cd48c288ec313486e85a4e59b305b98aa019b3368530785389fc4a';
const H3 = 'db2360439bedf30786910c5aee89254e30839fef9ca86fdd388544692b170bdf';

describe('the chain hash rule', () => {
  it('hashes the previous hash and the unsealed record, starting from 64 zeros (the documented vector)', () => {
    // Act & Assess
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(chainHash(GENESIS_HASH, U1)).toBe(H1);
    expect(chainHash(H1, U2)).toBe(H2);
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    expect(chainHash(H2, U3)).toBe(H3);
  });

  it('is SHA-256 in lowercase hex, of a string\'s UTF-8 bytes or of raw bytes', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from([0xff, 0x00]))).toBe('ea5dbf9596d187e9500f23e9a680109475341cf4e81f7e043f7d97152c10772f');
  });

  it('ChainWriter produces exactly the documented lines', () => {
    // Prepare
    const writer = new ChainWriter({ stream: 'Audit', table: 'audit', chainId: CHAIN_ID });
    const encoded1 = `${U1.slice(0, U1.indexOf(',"chain_id"'))}}\n`;
    const encoded2 = `${U2.slice(0, U2.indexOf(',"chain_id"'))}}\n`;
    // Act
    const line1 = writer.seal(encoded1);
    const line2 = writer.seal(encoded2);
    // Assess
    expect(line1).toBe(`${U1.slice(0, -1)},"chain_hash":"${H1}"}\n`);
    expect(line2).toBe(`${U2.slice(0, -1)},"chain_hash":"${H2}"}\n`);
    expect(writer.lastSeq).toBe(2);
    expect(writer.lastHash).toBe(H2);
  });
});

describe('splitSealedLine', () => {
  it('gives back the unsealed text and the hash of a sealed line', () => {
    const stored = `${U1.slice(0, -1)},"chain_hash":"${H1}"}`;
    expect(splitSealedLine(stored)).toEqual({ unsealed: U1, hash: H1 });
  });

  it.each([
    ['no chain_hash', '{"a":1}'],
    ['uppercase hex', `{"a":1,"chain_hash":"${H1.toUpperCase()}"}`],
    ['a short hash', `{"a":1,"chain_hash":"${H1.slice(2)}"}`],
    ['chain_hash not last', `{"chain_hash":"${H1}","a":1}`],
  ])('refuses %s', (_label, text) => {
    expect(splitSealedLine(text)).toBeUndefined();
  });
});
