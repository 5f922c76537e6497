import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CHAIN_KEY_ENV, ChainKeyring, FiatError, type VerifyReport } from '@fiat/core';
import { EXIT, UsageError, type CliContext, type Command } from '../command.js';
import type { FiatConfig } from '../config.js';
import type { LakeStream } from '../localLake.js';
import { createS3Client } from '../s3.js';
import { collectStreams, findStream } from '../streams.js';
import { formatVerifyReport } from '../verify/formatReport.js';
import { localLakeReader } from '../verify/localReader.js';
import { count, createProgress } from '../progress.js';
import type { LakeReader } from '../verify/reader.js';
import { runVerify } from '../verify/runVerify.js';
import { s3LakeReader } from '../verify/s3Reader.js';
import { requireKey, targetOption } from './shared.js';

const CHECKPOINT_STREAM = 'FiatCheckpoint';

/**
 * `fiat verify [<Stream>]`: recompute every hash chain of the lake (local or S3) and check its checkpoints.
 *
 * @example
 * ```ts
 * await main(['verify', 'Audit', '--since', '2026-11-01', '--json']);
 * ```
 */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check the hash chains and signed checkpoints of the lake: modified, missing, truncated or reordered records',
  usage:
    'fiat verify [<Stream>] [--target local|s3] [--since yyyy-MM-dd] [--public-key FILE]… [--key-file FILE] [--open-tail SECONDS] [--json]',
  examples: [
    'fiat verify                                   # every chained stream (integrity: chain) of the local lake',
    'FIAT_CHAIN_KEY=… fiat verify Audit --since 2026-11-01',
    'fiat verify Audit --target s3 --public-key checkpoint-key.pub.pem --json',
  ],
  options: {
    target: { type: 'string' },
    since: { type: 'string' },
    json: { type: 'boolean' },
    'key-file': { type: 'string' },
    'public-key': { type: 'string', multiple: true },
    'open-tail': { type: 'string' },
  },
  async run(positionals, values, context, config) {
    if (positionals.length > 1) throw new UsageError(`verify takes at most one stream name, got ${positionals.length}`);
    const target = targetOption(values.target, ['local', 's3'] as const);
    const since = sinceOption(values.since);
    const openTailMs = openTailOption(values['open-tail']);
    const resolved = await config();
    const { streams, checkpoints } = await chosenStreams(resolved, positionals[0]);
    const keyring = new ChainKeyring(await keysFrom(values, context));
    const { reader, close } = await openReader(target, resolved, context);
    const progress = createProgress(context, { intervalMs: 1000 });
    let report: VerifyReport;
    try {
      report = await runVerify({
        reader,
        streams: streams.map((s) => s.names),
        checkpoints: checkpoints.names,
        ...(since !== undefined ? { since } : {}),
        verifier: { keys: keyring, strictOrder: target === 'local', openTailMs },
        ...(context.stderrIsTTY === true ? { onProgress: (files, lines) => progress.update(`verifying: ${count(files)} files, ${count(lines)} lines`) } : {}),
      });
    } finally {
      progress.done();
      close();
    }
    context.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report, reader.location));
    return verdict(report, positionals[0], context);
  },
};

function verdict(report: VerifyReport, named: string | undefined, context: CliContext): number {
  if (report.chains.length === 0) {
    const where = named === undefined ? 'any stream' : `stream ${named}`;
    context.stderr(`fiat verify: no chained record or checkpoint found in ${where}\n`);
    return named === undefined && report.ok ? EXIT.OK : EXIT.FAILED;
  }
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

async function chosenStreams(config: FiatConfig, name: string | undefined): Promise<{ streams: LakeStream[]; checkpoints: LakeStream }> {
  const all = await collectStreams(config);
  const checkpoints = findStream(all, CHECKPOINT_STREAM)!;
  const candidates = all.filter((s) => s !== checkpoints);
  // Without a name: every stream whose definition is chained (unchained streams hold nothing to verify).
  if (name === undefined) return { streams: candidates.filter((s) => s.definition.integrity === 'chain'), checkpoints };
  const stream = findStream(candidates, name);
  if (stream === undefined) throw new UsageError(`unknown chained stream '${name}' (known: ${candidates.map((s) => s.definition.name).join(', ')})`);
  return { streams: [stream], checkpoints };
}

function sinceOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const time = Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`--since must be a date yyyy-MM-dd, got '${text}'`);
  }
  return text;
}

function openTailOption(value: unknown): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(String(value))) throw new UsageError(`--open-tail must be a whole number of seconds, got '${String(value)}'`);
  return Number(value) * 1000;
}

async function keysFrom(values: Record<string, unknown>, context: CliContext): Promise<{ hmacKeys: string[]; publicKeys: string[] }> {
  const read = async (file: string, what: string): Promise<string> => {
    try {
      return await readFile(resolve(context.cwd, file), 'utf8');
    } catch (cause) {
      throw new FiatError('CONFIG_INVALID', `cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`, { cause });
    }
  };
  const hmacKeys: string[] = [];
  const fromEnv = context.env[CHAIN_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') hmacKeys.push(fromEnv);
  const keyFile = values['key-file'] as string | undefined;
  if (keyFile !== undefined) hmacKeys.push((await read(keyFile, '--key-file')).replace(/\r?\n$/, ''));
  const publicKeys = await Promise.all(((values['public-key'] as string[] | undefined) ?? []).map((file) => read(file, '--public-key')));
  return { hmacKeys, publicKeys };
}

async function openReader(target: 'local' | 's3', config: FiatConfig, context: CliContext): Promise<{ reader: LakeReader; close: () => void }> {
  if (target === 'local') return { reader: localLakeReader(config.lakeDir), close: () => undefined };
  const bucket = requireKey(config, 'bucket', 'verify --target s3');
  const client = await createS3Client(config, context.env);
  return { reader: await s3LakeReader(client, bucket), close: () => client.destroy() };
}
