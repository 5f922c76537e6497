import { describe, expect, it } from 'vitest';
import { isFiatError } from '../errors.js';
import { ChainWriter } from './ChainWriter.js';
import { chainHash, GENESIS_HASH, splitSealedLine } from './hash.js';
import { checkpointMessage, createChainSigner } from './signing.js';

const CHAIN_ID = '019abc12-3def-7123-8456-789abcdef012';
const KEY = 'k'.repeat(32);

function writer(extra: Partial<ConstructorParameters<typeof ChainWriter>[0]> = {}): ChainWriter {
  return new ChainWriter({ stream: 'Audit', table: 'audit', chainId: CHAIN_ID, ...extra });
}

describe('ChainWriter.seal', () => {
  it('numbers records 1, 2, 3 and links each hash to the previous one', () => {
    // Prepare
    const chain = writer();
    // Act
    const lines = ['{"n":1}\n', '{"n":2}\n', '{"n":3}\n'].map((line) => chain.seal(line));
    // Assess
    let previous = GENESIS_HASH;
    lines.forEach((line, i) => {
      expect(line.endsWith('"}\n')).toBe(true);
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record).toMatchObject({ n: i + 1, chain_id: CHAIN_ID, chain_seq: i + 1 });
      const parts = splitSealedLine(line.slice(0, -1))!;
      expect(parts.hash).toBe(chainHash(previous, parts.unsealed));
      previous = parts.hash;
    });
  });

  it('inserts chain_id and chain_seq where the encoder asks, and keeps chain_hash last', () => {
    // Prepare
    const chain = writer();
    const line = '{"event_id":"e","tags":{},"task":"t"}\n';
    const afterTags = line.indexOf(',"task"');
    // Act
    const sealed = chain.seal(line, afterTags);
    // Assess
    expect(Object.keys(JSON.parse(sealed) as object)).toEqual(['event_id', 'tags', 'chain_id', 'chain_seq', 'task', 'chain_hash']);
    const parts = splitSealedLine(sealed.slice(0, -1))!;
    expect(parts.unsealed).toBe(`{"event_id":"e","tags":{},"chain_id":"${CHAIN_ID}","chain_seq":1,"task":"t"}`);
    expect(parts.hash).toBe(chainHash(GENESIS_HASH, parts.unsealed));
  });

  it('accepts a line without its newline and always returns one ending with a newline', () => {
    expect(writer().seal('{"a":1}')).toMatch(/^\{"a":1,"chain_id":"[^"]+","chain_seq":1,"chain_hash":"[0-9a-f]{64}"\}\n$/);
  });

  it.each([
    ['an empty object', '{}\n', undefined],
    ['an array', '[1,2]\n', undefined],
    ['an offset inside the first key', '{"a":1}', 1],
    ['an offset past the end', '{"a":1}', 9],
  ])('refuses %s with VALIDATION_FAILED and does not advance', (_label, line, at) => {
    // Prepare
    const chain = writer();
    // Act
    let error: unknown;
    try {
      chain.seal(line, at);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(isFiatError(error, 'VALIDATION_FAILED')).toBe(true);
    expect(chain.lastSeq).toBe(0);
  });

  it('continues a chain from where it left off', () => {
    // Prepare
    const first = writer();
    first.seal('{"n":1}');
    const second = writer({ resume: { lastSeq: first.lastSeq, lastHash: first.lastHash, checkpointSeq: 0 } });
    // Act
    const line = second.seal('{"n":2}');
    // Assess
    const parts = splitSealedLine(line.slice(0, -1))!;
    expect(JSON.parse(line)).toMatchObject({ chain_seq: 2 });
    expect(parts.hash).toBe(chainHash(first.lastHash, parts.unsealed));
    expect(second.uncheckpointed).toBe(2);
  });

  it('refuses a chain id that is not a lowercase UUID and a bad resume point', () => {
    expect(() => writer({ chainId: 'ABC' })).toThrow(/chainId must be a lowercase UUID/);
    expect(() => writer({ resume: { lastSeq: 1, lastHash: 'xyz' } })).toThrow(/resume must give/);
  });

  it('makes a new UUIDv7 chain id by default', () => {
    const id = new ChainWriter({ stream: 'Audit', table: 'audit' }).chainId;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('ChainWriter.unseal', () => {
  it('takes back the last seal so that the next line gets its seq and links to the same predecessor', () => {
    // Prepare
    const chain = writer();
    chain.seal('{"n":1}');
    const after1 = chain.lastHash;
    chain.seal('{"n":2}'); // refused by the transport
    // Act
    const taken = chain.unseal();
    const line = chain.seal('{"n":3}');
    // Assess
    expect(taken).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ n: 3, chain_seq: 2 });
    const parts = splitSealedLine(line.slice(0, -1))!;
    expect(parts.hash).toBe(chainHash(after1, parts.unsealed));
  });

  it('takes back one seal only, nothing before the first, and nothing a checkpoint covers', () => {
    const chain = writer();
    expect(chain.unseal()).toBe(false);
    chain.seal('{"n":1}');
    chain.seal('{"n":2}');
    expect(chain.unseal()).toBe(true);
    expect(chain.unseal()).toBe(false);
    expect(chain.lastSeq).toBe(1);
    chain.seal('{"n":2}');
    chain.checkpoint(0);
    expect(chain.unseal()).toBe(false);
    expect(chain.lastSeq).toBe(2);
  });
});

describe('ChainWriter.checkpoint', () => {
  it('covers everything sealed so far, counts the records since the last checkpoint, and signs', () => {
    // Prepare
    const signer = createChainSigner({ chainKey: KEY }, {});
    const chain = writer({ signer });
    chain.seal('{"n":1}');
    chain.seal('{"n":2}');
    const time = Date.UTC(2026, 10, 26, 9, 5, 7, 42);
    // Act
    const first = chain.checkpoint(time)!;
    chain.seal('{"n":3}');
    const second = chain.checkpoint(time + 1)!;
    // Assess
    expect(first).toMatchObject({ chain_id: CHAIN_ID, stream: 'Audit', table: 'audit', last_seq: 2, record_count: 2, signature_alg: 'hmac-sha256', key_id: signer.keyId });
    expect(second).toMatchObject({ last_seq: 3, last_hash: chain.lastHash, record_count: 1 });
    const { signature, ...claims } = first;
    expect(signature).toBe(signer.sign(checkpointMessage({ ...claims, event_time: '2026-11-26 09:05:07.042' })));
  });

  it('returns undefined when nothing was sealed since the last checkpoint', () => {
    const chain = writer();
    expect(chain.checkpoint(0)).toBeUndefined();
    chain.seal('{"n":1}');
    expect(chain.checkpoint(0)).toMatchObject({ last_seq: 1, signature_alg: 'none', key_id: '', signature: '' });
    expect(chain.checkpoint(1)).toBeUndefined();
    expect(chain.uncheckpointed).toBe(0);
  });
});

describe('ChainWriter.cancelCheckpoint', () => {
  it('makes the next checkpoint cover the records of the cancelled one, so no checkpoint looks removed', () => {
    // Prepare
    const chain = writer();
    chain.seal('{"n":1}');
    chain.seal('{"n":2}');
    const refused = chain.checkpoint(1)!;
    // Act
    const cancelled = chain.cancelCheckpoint(refused);
    chain.seal('{"n":3}');
    const next = chain.checkpoint(2)!;
    // Assess
    expect(cancelled).toBe(true);
    expect(next).toMatchObject({ last_seq: 3, record_count: 3 });
  });

  it('does not cancel a checkpoint that a later one followed, nor another chain\'s', () => {
    const chain = writer();
    chain.seal('{"n":1}');
    const first = chain.checkpoint(1)!;
    chain.seal('{"n":2}');
    const second = chain.checkpoint(2)!;
    expect(chain.cancelCheckpoint(first)).toBe(false);
    expect(chain.cancelCheckpoint({ ...second, chain_id: '019abc12-3def-7123-8456-789abcdef013' })).toBe(false);
    expect(chain.uncheckpointed).toBe(0);
  });
});
