// 11. Redaction on the hot path: the Audit stream as shipped (its secret keys masked at any depth of task_args and
// output) against the same logger with `redact: false`, and a stream using every redaction kind (hash, mask,
// truncate, drop, a path and detectors in a free-form field) against the same stream with none declared. Same
// records, local lake, hash chain off, fresh processes, rounds alternating; every output read back and checked
// (the redacted stream's lines hold the stored forms and none of the originals). Goal: the Audit default costs at
// most 10% (audit_default ≥ 0.9× audit_off).
import { join } from 'node:path';
import { alternate } from '../lib/rounds.mjs';
import { checkRedactedLine } from '../lib/redact-records.mjs';
import { runContender } from '../lib/spawn.mjs';
import { ratioSpread, spread } from '../lib/stats.mjs';
import { progress, ROUNDS, scaled, withScratch } from '../lib/suite.mjs';
import { verifyOutput } from '../lib/verify.mjs';

const CONTENDERS = [
  { name: 'audit_default', table: 'audit' },
  { name: 'audit_off', table: 'audit' },
  { name: 'every_kind', table: 'redact_bench', declared: true },
  { name: 'every_kind_off', table: 'redact_bench', declared: false },
];

async function redactRun(contender, { records, warmup }) {
  return withScratch(contender.name, async (dir) => {
    const out = join(dir, 'out');
    const result = await runContender('hot-fiat-redact', { size: 'audit', records, warmup, out, variant: contender.name });
    const also = contender.declared === undefined ? undefined : (line) => checkRedactedLine(line, contender.declared);
    const output = await verifyOutput(join(out, contender.table), { expectedLines: records, shape: 'stored', size: 'audit', also });
    return { ...result, ...output, rps: records / result.seconds };
  });
}

/** Runs the redaction comparison; returns the `redaction` section of results.json. */
export async function runRedactSuite() {
  const records = scaled(200_000, 1000);
  const warmup = Math.round(records / 10);
  const runs = await alternate(
    ROUNDS,
    CONTENDERS.map((c) => ({ name: c.name, run: () => redactRun(c, { records, warmup }) })),
    (m, r) => progress('redaction', m, { rps: Math.round(r.rps) }),
  );
  const contenders = {};
  for (const { name } of CONTENDERS) {
    contenders[name] = { rps: spread(runs[name].map((r) => r.rps)), line_bytes: runs[name][0].line_bytes, peak_rss_mb: spread(runs[name].map((r) => r.peak_rss_mb)) };
  }
  const ratios = ratioSpread(runs.audit_default.map((r) => r.rps), runs.audit_off.map((r) => r.rps));
  const everyKind = ratioSpread(runs.every_kind.map((r) => r.rps), runs.every_kind_off.map((r) => r.rps));
  return { records, goal: 0.9, ratio: ratios.median, ratios, met: ratios.median >= 0.9, every_kind_ratios: everyKind, contenders };
}
