// The goals of issue 9, each judged on a figure of results.json (the median over rounds where there are rounds).

const get = (results, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), results);

/** Every goal: what it is, where its figure is in results.json, and the target. */
export const GOALS = [
  { label: 'Hot path, 260 B record: Fiat ÷ pino with the gzip worker transport', path: 'hot_path.ratio', op: '>=', target: 1.0, unit: '×' },
  { label: 'Hot path, 2 KB record: Fiat ÷ pino with the gzip worker transport', path: 'hot_path.sizes.2k.ratios.pino_gzip.median', op: '>=', target: 1.0, unit: '×' },
  ...['200', '2048', '20480', '204800'].map((size) => ({
    label: `Scale, ${Number(size) >= 1024 ? `${Number(size) / 1024} KB` : `${size} B`} record: Fiat ÷ the stringify + gzip ceiling`,
    path: `scale.sizes.${size}.throughput_ratio.median`,
    op: '>=',
    target: 0.9,
    unit: '×',
  })),
  { label: 'Latency: p99 of one log() call, 260 B record', path: 'hot_path.log_p99_us', op: '<=', target: 15, unit: ' µs' },
  { label: 'Firehose path at 20 ms per call: Fiat ÷ the hand-written producer', path: 'naive.ratio', op: '>=', target: 2, unit: '×' },
  { label: 'Cold start with the real SDK: Fiat ÷ the SDK alone', path: 'cold_start.ratio', op: '<=', target: 1.2, unit: '×' },
  { label: 'Query, 1M records: fiat query ÷ the hand-written DuckDB query', path: 'query.ratio', op: '<=', target: 1.1, unit: '×' },
  { label: 'Query: time to first row of fiat query, 10k records', path: 'query.first_row_ms_10k', op: '<', target: 300, unit: ' ms' },
  ...[16, 64, 256].map((mb, i) => ({
    label: `Outage peak RSS at maxBufferBytes ${mb} MiB (real SDK, default retry budget) ≤ ${mb} + 100 MB`,
    path: `memory.outages.${i}.outage_peak_rss_mb`,
    op: '<=',
    target: mb + 100,
    unit: ' MB',
  })),
  { label: 'Outage: records lost (every record in the spool)', path: 'memory.outages.1.lost', op: '<=', target: 0, unit: '' },
  { label: 'Billing: billed ÷ raw bytes with packing', path: 'billing.packed_ratio', op: '<=', target: 1.05, unit: '', digits: 4 },
  { label: 'Hot path, 260 B record: hash chain on ÷ off', path: 'chain.ratio', op: '>=', target: 0.8, unit: '×' },
  { label: 'fiat verify, 1M local records: records per minute, one core', path: 'verify.records_per_minute', op: '>=', target: 1_000_000, unit: '' },
  { label: "Durable mode: durability 'disk' ÷ pino.destination({ sync: true }) (records/s)", path: 'durability.ratio_pino_sync', op: '>=', target: 1.0, unit: '×' },
  { label: 'Hot path, 260 B record: Audit redaction default ÷ redact: false', path: 'redaction.ratio', op: '>=', target: 0.9, unit: '×' },
];

const OPS = { '>=': (a, b) => a >= b, '<=': (a, b) => a <= b, '<': (a, b) => a < b };

/** The goals with their measured value and whether each is met (goals without a figure yet are left out). */
export function judgeGoals(results) {
  return GOALS.flatMap((goal) => {
    const value = get(results, goal.path);
    if (typeof value !== 'number') return [];
    return [{ ...goal, value, met: OPS[goal.op](value, goal.target) }];
  });
}
