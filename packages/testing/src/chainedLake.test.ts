import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createChainSigner, verifyChains } from '@fiat/core';
import { writeChainedLake } from './chainedLake.js';

describe('writeChainedLake', () => {
  it('writes a chain and its checkpoints that verify', async () => {
    // Prepare
    const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-chained-'));
    const key = 'k'.repeat(32);
    // Act
    const lake = await writeChainedLake({ lakeDir, records: 10, perFile: 4, signer: createChainSigner({ chainKey: key }, {}) });
    // Assess
    const read = async (keys: readonly string[], stream: string) =>
      Promise.all(keys.map(async (source) => ({ source, stream, text: gunzipSync(await readFile(join(lakeDir, source))).toString('utf8') })));
    const report = await verifyChains(
      { checkpoints: await read(lake.checkpointFiles, 'FiatCheckpoint'), records: await read(lake.files, 'Audit') },
      { keys: { hmacKeys: [key] }, strictOrder: true },
    );
    expect(lake.files).toHaveLength(3);
    expect(lake.files[0]).toMatch(/^audit\/dt=2026-11-26\/fiat-audit-1-2026-11-26-09-00-00-[0-9a-f-]+\.gz$/);
    expect(lake.checkpointFiles[2]).toMatch(/^_fiat_checkpoint\/dt=2026-11-26\/fiat-checkpoint-1-2026-11-26-09-00-02-/);
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({ chainId: lake.chainId, records: 10, verified: 10, checkpoints: { valid: 3, lastSeq: 10 } });
  });
});
