// The results section of BENCHMARKS.md, generated from results.json only (so words and numbers cannot drift).
import { judgeGoals } from './goals.mjs';

const NAMES = {
  fiat: 'Fiat, local lake (Audit defaults: hash chain, secret-key masking)',
  pino_gzip: 'pino + gzip-1 worker transport (NDJSON.gz)',
  pino_file: 'pino async to a plain file (NDJSON)',
  ceiling: 'ceiling: JSON.stringify + gzip-1, no validation',
  hand: 'hand-written: ajv + PutRecordBatch ×500, 4 in flight',
};

/** A number for a table: 3 significant figures, thousands separated. */
export function num(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** "median (min–max)" of a spread. */
export function sp(s, unit = '') {
  if (s == null) return '–';
  return s.n > 1 ? `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})` : `${num(s.median)}${unit}`;
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function runLine(section) {
  const run = section?.run;
  if (run === undefined) return '';
  return `_Run ${run.date.slice(0, 16).replace('T', ' ')} UTC, ${num(run.seconds)} s; 1-min load average during the run ${sp(run.load_avg)}._`;
}

function goals(results) {
  const op = { '>=': '≥', '<=': '≤', '<': '<' };
  const target = (g) => (g.unit === '×' ? g.target.toFixed(1) : num(g.target));
  const value = (g) => (g.digits ? g.value.toFixed(g.digits) : num(g.value));
  const rows = judgeGoals(results).map((g) => [g.label, `${value(g)}${g.unit}`, `${op[g.op]} ${target(g)}${g.unit}`, g.met ? 'met' : '**not met**']);
  return ['### Goals (issue 9), judged on the medians', '', table(['goal', 'measured (median)', 'target', ''], rows)].join('\n');
}

function hot(section) {
  const parts = ['### 1. Hot path: local lake vs pino (fresh processes, rounds alternating)', '', runLine(section)];
  for (const [key, size] of Object.entries(section.sizes)) {
    const label = key === 'audit' ? 'the ~260-byte audit record' : 'the 2 KB record';
    parts.push('', `**${label}**, ${num(size.records)} records per run:`, '');
    const rows = Object.entries(size.contenders).map(([name, c]) => [
      NAMES[name],
      sp(c.rps),
      sp(c.mb_per_s),
      num(c.line_bytes),
      `${num(c.files)} / ${num(c.disk_mb)} MB`,
      sp(c.peak_rss_mb),
      c.faults_per_mb ? num(c.faults_per_mb.median) : '–',
      name === 'fiat' ? '' : sp(size.ratios[name], '×'),
    ]);
    parts.push(table(['contender', 'records/s', 'MB/s (lines)', 'bytes/line', 'files / on disk', 'peak RSS MB', 'main-thread page faults / MB', 'Fiat ÷ this'], rows));
    parts.push('', `pino + gzip worker ÷ ceiling: ${sp(size.ratios.pino_gzip_to_ceiling, '×')}.`);
  }
  const lat = section.latency;
  if (lat) {
    parts.push('', `### 6. Latency of one log() call (${num(lat.records)} timed calls after ${num(lat.warmup)} untimed, HDR histogram; median over rounds (min–max))`, '');
    const rows = ['fiat', 'pino_gzip'].filter((n) => lat[n]).map((n) => [NAMES[n], sp(lat[n].p50_us), sp(lat[n].p99_us), sp(lat[n].p999_us), sp(lat[n].max_us)]);
    parts.push(table(['contender', 'p50 µs', 'p99 µs', 'p99.9 µs', 'max µs'], rows));
  }
  return parts.join('\n');
}

function firehose(section, billing) {
  const parts = [`### 2. Firehose path: ${num(section.records)} records, fake Firehose server answering after ${section.latency_ms} ms per call`, '', runLine(section), ''];
  const rows = Object.entries(section.contenders).map(([name, c]) => [
    name === 'fiat' ? 'Fiat, Firehose transport (defaults)' : NAMES.hand,
    sp(c.rps),
    num(c.calls),
    num(c.firehose_records),
    `${num(c.billed_mb)} MB`,
    num(c.billed_to_raw),
    sp(c.peak_rss_mb),
  ]);
  parts.push(table(['contender', 'records/s', 'PutRecordBatch calls', 'Firehose records', 'billed', 'billed ÷ raw', 'peak RSS MB'], rows));
  parts.push('', `Fiat ÷ hand-written (records/s): **${sp(section.ratios, '×')}**.`);
  if (billing) {
    parts.push('', `Billing (${num(billing.records)} records, in-memory fake): billed ÷ raw bytes **${billing.packed_ratio.toFixed(4)}** with packing, ${num(billing.unpacked_ratio)} without; ${num(billing.calls_per_100k)} vs ${num(billing.unpacked_calls_per_100k)} PutRecordBatch calls per 100,000 records (${num(billing.raw_bytes_per_record)} B per record).`);
  }
  return parts.join('\n');
}

function query(section) {
  const parts = ['### 3. Query: `fiat query` vs the hand-written DuckDB query (same read_json arguments), whole processes', '', runLine(section), ''];
  const rows = Object.values(section.sizes).map((s) => [num(s.records), num(s.files), sp(s.scan.fiat_ms), sp(s.scan.duckdb_ms), sp(s.scan.ratio, '×'), sp(s.first_row.fiat_ms), sp(s.first_row.duckdb_ms), sp(s.first_row.ratio, '×')]);
  parts.push(table(['records', 'files', 'scan: fiat ms', 'scan: DuckDB ms', 'scan ratio', 'first row: fiat ms', 'first row: DuckDB ms', 'first-row ratio'], rows));
  const st = section.startup;
  if (st) {
    parts.push('', `Where \`fiat query\`'s start-up goes (its steps in its order, ${num(Object.values(section.sizes)[0].records)}-record lake, \`SELECT * … LIMIT 1\`; median (min–max) ms; json extension: ${st.json_extension}):`, '');
    const labels = {
      process_start: 'Node start-up to the first line of the script',
      import_cli: 'import the CLI (its entry and command list)',
      import_duckdb: 'require the bundled @duckdb/node-api (dist/duckdb-node-api.cjs, native binding), start DuckDBInstance.create',
      import_rest: "import the query command's modules (provisioner, core, schemas) while DuckDB creates its instance",
      config_and_streams: 'read config, collect streams',
      duckdb_instance: 'wait for the instance (the rest of DuckDBInstance.create) + connect',
      glob_lake_files: 'look for lake files (readdir per stream, concurrently)',
      macros_and_views: 'Trino-compatible macros and CREATE VIEW per stream, one DuckDB call (binds read_json)',
      query: 'run the query, read the row',
      print_and_close: 'print, close DuckDB',
    };
    parts.push(table(['step', 'ms'], Object.entries(st.ms).map(([k, v]) => [labels[k] ?? k, sp(v)])));
    parts.push('', `Whole process (spawn to exit) ${sp(st.wall_ms)} ms; \`fiat query\` itself, spawn to first row: ${sp(st.cli_first_row_ms)} ms.`);
  }
  return parts.join('\n');
}

function cold(section) {
  return [
    `### 4. Cold start with the real SDK (${section.runs} alternating pairs of fresh processes, spawn to exit)`,
    '',
    runLine(section),
    '',
    table(['side', 'ms'], [
      ['Fiat: import @fiat/audit, configure Firehose, log one record, close (two PutRecordBatch calls: the record, and the checkpoint of its hash chain)', sp(section.fiat_ms)],
      ['SDK alone: import @aws-sdk/client-firehose, one PutRecordBatch', sp(section.sdk_ms)],
      ['**Fiat ÷ SDK**', `**${sp(section.ratios, '×')}**`],
    ]),
  ].join('\n');
}

function memory(section) {
  const rows = section.outages.map((o) => [
    `${o.max_buffer_mb} MiB`,
    o.client === 'sdk' ? 'real SDK, server drops every connection' : 'a client refusing every call (no SDK)',
    num(o.outage_peak_rss_mb),
    num(o.limit_mb),
    num(o.seconds),
    `${num(o.spooled_distinct)} / ${num(o.lost)}`,
  ]);
  const b = section.burst;
  return [
    `### 5. Memory: ${num(section.records)} records during a Firehose outage (default retry budget), and a synchronous burst`,
    '',
    runLine(section),
    '',
    table(['maxBufferBytes', 'client', 'peak RSS MB', 'goal MB', 'seconds', 'in the spool / lost'], rows),
    '',
    b ? `Local lake, ${num(b.records)} records logged in one synchronous loop: RSS ${num(b.baseline_rss_mb)} MB before, ${num(b.after_loop_rss_mb)} MB after the loop, peak ${num(b.burst_peak_rss_mb)} MB (${num(b.files)} files written at close).` : '',
  ].join('\n');
}

function scale(section) {
  const rows = Object.entries(section.sizes).map(([size, s]) => [
    Number(size) >= 1024 ? `${Number(size) / 1024} KB` : `${size} B`,
    num(s.line_bytes),
    num(s.records),
    sp(s.fiat.rps),
    sp(s.ceiling.rps),
    `**${sp(s.throughput_ratio, '×')}**`,
    sp(s.fiat.peak_rss_mb),
    sp(s.ceiling.peak_rss_mb),
    sp(s.rss_ratio, '×'),
  ]);
  return [
    '### 7. Scale: Fiat vs the ceiling by record size (fields as JSON)',
    '',
    runLine(section),
    '',
    table(['size', 'bytes/line', 'records', 'Fiat rec/s', 'ceiling rec/s', 'Fiat ÷ ceiling', 'Fiat RSS MB', 'ceiling RSS MB', 'RSS ratio'], rows),
  ].join('\n');
}

/** The whole generated results section (markdown). */
function integrity(chain, verify) {
  const parts = ['### 9. Tamper evidence: the Audit hash chain on the hot path, and `fiat verify`'];
  if (chain?.contenders) {
    parts.push(runLine(chain), '', `${num(chain.records)} audit records per run, local lake; on: every record sealed, an HMAC-signed checkpoint every 10,000 records and at close(), every output checked with \`fiat verify\`; off: \`integrity: { Audit: 'none' }\`.`, '');
    const rows = Object.entries(chain.contenders).map(([name, c]) => [name.replace('_', ' '), sp(c.rps), num(c.line_bytes), num(c.checkpoints), sp(c.p50_us), sp(c.p99_us), sp(c.peak_rss_mb)]);
    parts.push(table(['chain', 'records/s', 'bytes/line', 'checkpoint files', 'log() p50 µs', 'log() p99 µs', 'peak RSS MB'], rows));
    parts.push('', `Chain on ÷ off (records/s): **${sp(chain.ratios, '×')}**.`);
  }
  if (verify?.records_per_minute) {
    parts.push('', `\`fiat verify\` over ${num(verify.records)} chained records in ${num(verify.files)} lake files: ${num(verify.fiat_verify_ms)} ms, **${num(verify.records_per_minute)} records per minute** on one core (SHA-256 of one record: ${num(verify.hash_one_shot_ns)} ns one-shot, ${num(verify.hash_create_hash_ns)} ns with createHash).`);
  }
  return parts.join('\n');
}

function durability(section) {
  const tp = section.throughput;
  const parts = ['### 10. Durable mode: `durability: \'disk\'` (write-ahead log, group commit) vs pino writing synchronously', runLine(section), ''];
  parts.push(`${num(tp.records)} audit records per run. Peers: pino with \`pino.destination({ sync: true })\` (a write() per line, no fsync) and Fiat's default memory mode; Fiat's disk mode appends each line to its write-ahead log before log() returns and fdatasyncs every \`walSyncMs\` (default 5 ms).`, '');
  const rows = Object.entries(tp.contenders).map(([name, c]) => [name.replace(/_/g, ' '), sp(c.rps), num(c.verified_lines)]);
  parts.push(table(['contender', 'records/s', 'lines verified'], rows));
  parts.push('', `Disk mode ÷ pino sync: **${sp(tp.ratios.pino_sync, '×')}**; disk ÷ memory mode: ${sp(tp.ratios.fiat_memory, '×')}; ${sp(tp.fiat_disk_fsyncs_per_s)} fdatasyncs per second.`);
  const lat = section.latency;
  if (lat) {
    const latRows = Object.entries(lat).filter(([, v]) => typeof v === 'object').map(([name, v]) => [name.replace(/_/g, ' '), sp(v.p50_us), sp(v.p99_us), sp(v.p999_us), sp(v.max_us)]);
    parts.push('', `log() latency (${num(lat.records)} timed calls after ${num(lat.warmup)} untimed):`, '', table(['contender', 'p50 µs', 'p99 µs', 'p99.9 µs', 'max µs'], latRows));
  }
  if (section.wal_sync_ms) {
    const sweepRows = Object.entries(section.wal_sync_ms).map(([ms, v]) => [ms, num(v.records), sp(v.rps), sp(v.fsyncs_per_s), num(v.records_per_fsync), num(v.p50_us), num(v.p99_us)]);
    parts.push('', '`walSyncMs` sweep (disk mode alone):', '', table(['walSyncMs', 'records', 'records/s', 'fdatasyncs/s', 'records per fdatasync', 'p50 µs', 'p99 µs'], sweepRows));
  }
  return parts.join('\n');
}

function redaction(section) {
  const parts = ['### 11. Redaction on the hot path', runLine(section), ''];
  parts.push(`${num(section.records)} audit records per run, local lake, hash chain off. \`audit_default\`: the Audit stream as shipped (secret keys masked at any depth of task_args and output) vs \`audit_off\`: \`redact: false\`. \`every_kind\`: a stream with a hashed, a masked, a truncated and a dropped field and a path and the email and JWT detectors in task_args, vs \`every_kind_off\`: the same stream and records without redaction. Every output read back; the redacted lines checked to hold the stored forms and none of the originals.`, '');
  const rows = Object.entries(section.contenders).map(([name, c]) => [name, sp(c.rps), num(c.line_bytes), sp(c.peak_rss_mb)]);
  parts.push(table(['contender', 'records/s', 'bytes/line', 'peak RSS MB'], rows));
  parts.push('', `Audit default ÷ off: **${sp(section.ratios, '×')}**; every kind ÷ none: ${sp(section.every_kind_ratios, '×')}.`);
  return parts.join('\n');
}

export function resultsMarkdown(results) {
  const parts = [
    `Machine: ${results.cpus} × ${results.cpu_model}, ${num(results.mem_gb)} GiB, ${results.platform}, Node ${results.node}. ` +
      `Every figure is the median over ${results.rounds} round${results.rounds === 1 ? '' : 's'} with (min–max), each contender in a fresh process.` +
      (results.bench_scale !== 1 ? ` **Trial run: record counts scaled by ${results.bench_scale}; not for publication.**` : ''),
    ...(results.memory_probe
      ? [
          '',
          `Copying 1 MiB into a fresh buffer takes ${num(results.memory_probe.fresh_mib_ms)} ms on this machine (${num(results.memory_probe.fresh_mib_faults)} page faults), into a reused one ${num(results.memory_probe.reused_mib_ms)} ms ` +
            '(`bench/contenders/probe-memory.mjs`): code that allocates fresh buffers pays the difference (see *main-thread page faults / MB* and *Where the time goes*).',
        ]
      : []),
    '',
    goals(results),
  ];
  if (results.hot_path?.sizes) parts.push('', hot(results.hot_path));
  if (results.naive?.contenders) parts.push('', firehose(results.naive, results.billing));
  if (results.query?.sizes) parts.push('', query(results.query));
  if (results.cold_start?.ratios) parts.push('', cold(results.cold_start));
  if (results.memory?.outages) parts.push('', memory(results.memory));
  if (results.scale?.sizes) parts.push('', scale(results.scale));
  if (results.chain?.contenders || results.verify?.records_per_minute) parts.push('', integrity(results.chain, results.verify));
  if (results.durability?.throughput) parts.push('', durability(results.durability));
  if (results.redaction?.contenders) parts.push('', redaction(results.redaction));
  for (const [key, value] of Object.entries(results)) if (value?.error) parts.push('', `**${key} failed:** ${value.error}`);
  return parts.join('\n');
}

const PROFILE_LABELS = {
  fiat_260b: 'Fiat, local lake, 260 B records',
  pino_gzip_260b: "pino + gzip worker transport, 260 B records (pino's main thread)",
  ceiling_260b: 'ceiling, 260 B records',
  fiat_200kb: 'Fiat, local lake, 200 KB records',
  ceiling_200kb: 'ceiling, 200 KB records',
  fiat_query_startup: '`fiat query "SELECT * FROM audit LIMIT 1"`, 10k-record lake, whole process',
};

/** The generated profile tables: main-thread self time by kind and the top functions, per profile. */
export function profilesMarkdown(profiles) {
  if (profiles == null || profiles.error) return profiles?.error ? `**profile failed:** ${profiles.error}` : '_No profiles yet: `node bench/run.mjs profile`._';
  const parts = [runLine(profiles)];
  for (const [name, p] of Object.entries(profiles)) {
    if (name === 'run') continue;
    const window = p.records ? `${num(p.records)} records, the clock's window only` : 'spawn to exit';
    parts.push('', `**${PROFILE_LABELS[name] ?? name}** (${window}: ${num(p.total_ms)} ms, ${num(p.samples)} samples). Self time by kind: ${Object.entries(p.kinds).map(([k, v]) => `${k} ${num(v)} %`).join(', ')}.`, '');
    parts.push(table(['function', 'where', '% of busy'], p.top.slice(0, 8).map((f) => [`\`${f.fn}\``, f.at ? `\`${f.at}\`` : '', num(f.busy_pct)])));
    if (p.modules_loaded) parts.push('', `Modules loaded: ${Object.entries(p.modules_loaded).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  }
  return parts.join('\n');
}

/**
 * The root README's performance paragraph, from results.json (`node bench/render.mjs --readme` prints it): every
 * claim at its median with its (min–max) over rounds, and its peer's configuration.
 */
export function readmeMarkdown(r) {
  const lines = ['Measured side by side with what users would use instead (`npm run bench`; method, peers and every table in', '[BENCHMARKS.md](BENCHMARKS.md)); medians over three rounds of fresh processes, (min–max) in brackets, on a 2-core machine:', ''];
  const hot = r.hot_path?.sizes;
  if (hot) {
    lines.push(
      `- **${sp(hot.audit.ratios.pino_gzip, '×')}** the throughput of pino with a gzip level-1 worker transport writing NDJSON.gz (pino's own \`pino.transport\`), on ~260-byte audit records — while validating, enveloping, masking secret keys, sealing every record into the Audit stream's SHA-256 hash chain (its defaults) and writing gzip files in the lake layout (${sp(hot['2k'].ratios.pino_gzip, '×')} on 2 KB records; ${sp(hot.audit.ratios.ceiling, '×')} the throughput of a plain \`JSON.stringify\` + gzip-1 file writer without validation);`,
      `- p99 of one \`log()\` call: **${num(r.hot_path.latency.fiat.p99_us.median)} µs** (${num(r.hot_path.latency.fiat.p99_us.min)}–${num(r.hot_path.latency.fiat.p99_us.max)}; pino with the gzip worker transport: ${num(r.hot_path.latency.pino_gzip.p99_us.median)} µs);`,
    );
  }
  if (r.chain?.ratios) lines.push(`- the hash chain's share of that: chain on ÷ off **${sp(r.chain.ratios, '×')}** records/s; the default secret-key masking: ${sp(r.redaction?.ratios, '×')} of \`redact: false\`;`);
  if (r.verify?.records_per_minute) lines.push(`- \`fiat verify\` checks **${num(r.verify.records_per_minute)}** chained records per minute on one core;`);
  if (r.durability?.throughput) lines.push(`- \`durability: 'disk'\` (each record in a write-ahead log before \`log()\` returns, group commit with the default \`walSyncMs\` of 5 ms; ${num(r.durability.throughput.fiat_disk_fsyncs_per_s?.median)} fdatasyncs per second measured): **${sp(r.durability.throughput.ratios.pino_sync, '×')}** the records/s of pino with \`pino.destination({ sync: true })\` (which fsyncs only at close);`);
  if (r.naive?.contenders) {
    const { fiat, hand } = r.naive.contenders;
    lines.push(`- **${sp(r.naive.ratios, '×')}** the records/s of a hand-written producer (ajv against the published JSON Schema, \`PutRecordBatch\` of 500 records, 4 calls in flight, failed records resent, real SDK) through Firehose at ${r.naive.latency_ms} ms per call, with ${num(fiat.calls)} calls instead of ${num(hand.calls)} for ${num(r.naive.records)} records;`);
  }
  if (r.billing) lines.push(`- **${r.billing.packed_ratio.toFixed(4)}** billed ÷ raw bytes with packing (one Firehose record per event costs **${num(r.billing.unpacked_ratio)}×**);`);
  if (r.cold_start?.ratios) lines.push(`- **${sp(r.cold_start.ratios, '×')}** the cold start of importing the AWS SDK and sending one \`PutRecordBatch\`, both with the real SDK (Fiat sends two: the record, and its hash chain's checkpoint);`);
  if (r.query?.sizes) {
    const big = r.query.sizes['1000000'];
    lines.push(`- \`fiat query\` takes **${sp(big.scan.ratio, '×')}** the time of the same query written by hand for DuckDB with the same \`read_json\` arguments, over 1,000,000 lake records; its first row comes after ${sp(r.query.sizes['10000'].first_row.fiat_ms, ' ms')} on a 10,000-record lake (DuckDB alone: ${sp(r.query.sizes['10000'].first_row.duckdb_ms, ' ms')});`);
  }
  if (r.memory?.outages) {
    const sdk = r.memory.outages.filter((o) => o.client === 'sdk');
    lines.push(`- peak RSS during a Firehose outage, 1,000,000 records, default retry budget: ${sdk.map((o) => `**${num(o.outage_peak_rss_mb)} MB** at \`maxBufferBytes\` ${o.max_buffer_mb} MiB`).join(', ')}; every record in the spool.`);
  }
  const missed = judgeGoals(r).filter((g) => !g.met);
  if (missed.length > 0) lines.push('', `Goals not yet met (BENCHMARKS.md has the figures): ${missed.map((g) => g.label).join('; ')}.`);
  return lines.join('\n');
}
