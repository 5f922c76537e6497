// 2. Firehose path: Fiat vs the competent hand-written producer, each against its own fake Firehose server process
// answering every call after `latencyMs` (default 20 ms), 200,000 records each. The server counts what it received.
import { alternate } from '../lib/rounds.mjs';
import { startServerProcess } from '../lib/server.mjs';
import { runContender } from '../lib/spawn.mjs';
import { ratioSpread, round, spread } from '../lib/stats.mjs';
import { progress, ROUNDS, scaled, withScratch } from '../lib/suite.mjs';
import { checkLine } from '../lib/verify.mjs';

const LATENCY_MS = Number(process.env.BENCH_FIREHOSE_LATENCY_MS ?? 20);

/** One verified run: a fresh server process, the contender in a fresh process, then the server's count. */
async function firehoseRun(script, records) {
  const server = await startServerProcess({ latencyMs: LATENCY_MS });
  try {
    return await withScratch('firehose', async (spoolDir) => {
      const result = await runContender(script, { records, clientConfig: server.clientConfig, spoolDir });
      const received = await server.report();
      if (received.distinct_audit_ids !== records) throw new Error(`${script}: the server holds ${received.distinct_audit_ids} distinct records of ${records}`);
      for (const sample of received.samples) checkLine('stored', 'audit', sample);
      return { ...result, rps: records / result.seconds, server: { ...received, samples: received.samples.length } };
    });
  } finally {
    await server.stop();
  }
}

function summarise(list) {
  const { server } = list[0];
  return {
    rps: spread(list.map((r) => r.rps)),
    calls: server.calls,
    firehose_records: server.firehose_records,
    billed_mb: round(server.billed_bytes / 1e6),
    raw_mb: round(server.raw_bytes / 1e6),
    billed_to_raw: round(server.billed_bytes / server.raw_bytes),
    duplicates: server.lines - server.distinct_audit_ids,
    resent: list.reduce((n, r) => n + (r.resent ?? 0), 0),
    peak_rss_mb: spread(list.map((r) => r.peak_rss_mb)),
  };
}

/** Runs comparison 2; returns the `naive` section of results.json (naive = the competent hand-written producer). */
export async function runFirehoseSuite() {
  const records = scaled(200_000, 1000);
  const runs = await alternate(
    ROUNDS,
    [
      { name: 'fiat', run: () => firehoseRun('firehose-fiat', records) },
      { name: 'hand', run: () => firehoseRun('firehose-hand', records) },
    ],
    (m, r) => progress('firehose', m, { rps: Math.round(r.rps), calls: r.server.calls }),
  );
  const ratios = ratioSpread(runs.fiat.map((r) => r.rps), runs.hand.map((r) => r.rps));
  return { ratio: ratios.median, ratios, latency_ms: LATENCY_MS, records, contenders: { fiat: summarise(runs.fiat), hand: summarise(runs.hand) } };
}
