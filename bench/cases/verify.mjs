// 8. Verify (run by suites/verify.mjs): `fiat verify` over a chained local lake of 1,000,000 audit records (1 MiB files, a checkpoint after
// each), timed from spawn to exit as a user runs it daily; goal ≥ 1,000,000 records per minute on one core. Also
// the hash itself: one-shot crypto.hash (Node ≥ 20.12) against createHash, per record.
import { spawnSync } from 'node:child_process';
import { createHash, hash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ChainWriter, FiatCheckpoint, GENESIS_HASH, lakeObjectKey, uuidv7, writeLakeFile } from '@fiat/core';
import { Audit } from '@fiat/schemas';
import { auditFields, LOGGER_OPTIONS } from '../lib/records.mjs';

const N = Number(process.env.BENCH_VERIFY_RECORDS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_VERIFY_RUNS ?? 3);
const FILE_BYTES = 1024 * 1024;
const here = fileURLToPath(new URL('.', import.meta.url));
const fiatBin = resolve(here, '../../packages/provisioner/bin/fiat.js');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Writes the chained lake: files of about 1 MiB, as the local transport cuts them, each followed by a checkpoint. */
async function writeLake(lakeDir) {
  const chain = new ChainWriter({ stream: Audit.name, table: Audit.names.table });
  const envelope = { ...LOGGER_OPTIONS, eventId: '', eventTime: 0 };
  const start = Date.UTC(2026, 10, 26);
  let parts = [];
  let bytes = 0;
  let files = 0;
  const sample = [];
  const writeFile = async (time) => {
    await writeLakeFile(lakeDir, lakeObjectKey(Audit.names, time), gzipSync(parts.join(''), { level: 1 }));
    const line = FiatCheckpoint.encode(chain.checkpoint(time), { ...envelope, eventId: uuidv7(time), eventTime: time });
    await writeLakeFile(lakeDir, lakeObjectKey(FiatCheckpoint.names, time), gzipSync(line));
    parts = [];
    bytes = 0;
    files += 1;
  };
  for (let i = 0; i < N; i++) {
    const time = start + i * 10;
    const line = chain.seal(Audit.encode(auditFields(i), { ...envelope, eventId: uuidv7(time), eventTime: time }));
    if (sample.length < 200_000) sample.push(line.slice(0, line.lastIndexOf(',"chain_hash"')) + '}');
    parts.push(line);
    bytes += line.length;
    if (bytes >= FILE_BYTES) await writeFile(start + i * 10);
  }
  if (parts.length > 0) await writeFile(start + N * 10);
  return { files, sample };
}

function perRecordNs(sample, fn) {
  const t0 = process.hrtime.bigint();
  let previous = GENESIS_HASH;
  for (const unsealed of sample) previous = fn(previous, unsealed);
  return Number(process.hrtime.bigint() - t0) / sample.length;
}

const lakeDir = await mkdtemp(join(tmpdir(), 'fiat-bench-verify-'));
const { files, sample } = await writeLake(lakeDir);
const oneShotNs = median([0, 1, 2].map(() => perRecordNs(sample, (p, u) => hash('sha256', p + u, 'hex'))));
const createHashNs = median([0, 1, 2].map(() => perRecordNs(sample, (p, u) => createHash('sha256').update(p + u).digest('hex'))));

const runs = [];
for (let run = 0; run < RUNS; run++) {
  const t0 = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [fiatBin, 'verify', 'Audit', '--lake-dir', lakeDir, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (result.status !== 0) throw new Error(`fiat verify failed (${result.status}): ${result.stderr}`);
  const chain = JSON.parse(result.stdout).chains[0];
  if (chain.verified !== N) throw new Error(`verified ${chain.verified} of ${N} records`);
}
await rm(lakeDir, { recursive: true, force: true });
const ms = median(runs);
process.stdout.write(`${JSON.stringify({
  verify: {
    records: N,
    files,
    fiat_verify_ms: Math.round(ms),
    records_per_minute: Math.round((N / ms) * 60_000),
    hash_one_shot_ns: Math.round(oneShotNs),
    hash_create_hash_ns: Math.round(createHashNs),
  },
})}\n`);
