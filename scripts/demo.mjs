// npm run demo: the seed's Audit walkthrough on the embedded local lake, then SQL over what it wrote, then
// `fiat verify` over its hash chain (Audit records are chained by default).
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Audit } from '@fiat/audit';
import { collectStreams, formatTable, loadConfig, openLocalLake } from '@fiat/provisioner';

const CALLS = 3000;
const config = await loadConfig({ cwd: process.cwd(), env: process.env });
await rm(config.lakeDir, { recursive: true, force: true });

const tasks = {
  _add: ({ x, y }) => x + y,
  _divide: ({ x, y }) => {
    if (y === 0) throw new RangeError('division by zero');
    return x / y;
  },
  fetch_invoice: async ({ id }) => {
    await new Promise((resolve) => setImmediate(resolve));
    if (id % 10 === 0) throw new Error(`invoice ${id} not found`);
    return { id, total: id * 1.5, lines: [{ sku: `sku-${id}`, qty: 1 }] };
  },
  rename_user: ({ id, name }) => ({ id, name: name.toUpperCase() }),
};

const logger = Audit.configure('local', {
  app: 'audit',
  email: 'rich@example.com',
  tags: { environment: 'non-prod', team: 'NTA' },
  lakeDir: config.lakeDir,
});

// The seed's walkthrough, exactly.
const _add = (x, y) => x + y;
const audit = logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
audit.logOutput({ output: _add(1, 2) });

// Then a few thousand calls through logger.run, some of which throw.
const expected = { start: 1, output: 1, error: 0 };
const names = Object.keys(tasks);
for (let i = 1; i < CALLS; i++) {
  const task = names[i % names.length];
  // rename_user is called with a secret (api_token): the Audit stream masks keys like it before anything is stored.
  const args = task === 'fetch_invoice' ? { id: i } : task === 'rename_user' ? { id: i, name: `user${i}`, api_token: `tok-${i}-secret` } : { x: i, y: i % 7 };
  expected.start += 1;
  try {
    await logger.run(task, args, () => tasks[task](args), { ticket_id: `nta-${1000 + (i % 50)}` });
    expected.output += 1;
  } catch {
    expected.error += 1;
  }
}
const report = await logger.close();
const stats = logger.stats();
console.log(
  `Logged ${stats.logged} audit records from ${CALLS} calls (${expected.error} threw); ` +
    `${report.delivered} delivered to ${stats.transport.objects} lake file(s) under ${config.lakeDir}\n`,
);

const lake = await openLocalLake(config.lakeDir, await collectStreams(config));
let failed = false;
try {
  const queries = [
    ['Calls per task and phase', 'SELECT task, phase, count(*) AS n FROM audit GROUP BY task, phase ORDER BY task, phase'],
    [
      'json_extract over task_args: the largest x passed to _add',
      `SELECT max(CAST(json_extract_scalar(task_args, '$.x') AS BIGINT)) AS max_x, count(*) AS starts FROM audit WHERE task = '_add' AND phase = 'start'`,
    ],
    [
      'Secrets in task_args are masked before they are stored (api_token)',
      `SELECT task_args FROM audit WHERE task = 'rename_user' AND phase = 'start' ORDER BY event_id LIMIT 2`,
    ],
    [
      'Starts joined to their outputs by audit_id (slowest five)',
      `SELECT s.task, s.ticket_id, o.output, round(o.duration_ms, 3) AS duration_ms
         FROM audit s JOIN audit o ON o.audit_id = s.audit_id AND o.phase = 'output'
        WHERE s.phase = 'start' ORDER BY o.duration_ms DESC, s.event_id LIMIT 5`,
    ],
  ];
  for (const [title, sql] of queries) {
    const result = await lake.query(sql);
    console.log(`${title}:\n${formatTable(result)}`);
  }
  const { rows } = await lake.query('SELECT phase, count(*) AS n FROM audit GROUP BY phase');
  const counted = Object.fromEntries(rows.map((r) => [r.phase, r.n]));
  for (const phase of ['start', 'output', 'error']) {
    if ((counted[phase] ?? 0) !== expected[phase]) {
      console.error(`demo: expected ${expected[phase]} '${phase}' records in the lake, found ${counted[phase] ?? 0}`);
      failed = true;
    }
  }
  const leaked = await lake.query(`SELECT count(*) AS n FROM audit WHERE task_args LIKE '%-secret%' OR output LIKE '%-secret%'`);
  if (leaked.rows[0].n !== 0) {
    console.error(`demo: ${leaked.rows[0].n} record(s) hold an api_token that should have been masked`);
    failed = true;
  }
  const joined = await lake.query(
    `SELECT count(*) AS n FROM audit s JOIN audit e ON e.audit_id = s.audit_id AND e.phase <> 'start' WHERE s.phase = 'start'`,
  );
  if (joined.rows[0].n !== CALLS) {
    console.error(`demo: expected ${CALLS} starts joined to an output or error, found ${joined.rows[0].n}`);
    failed = true;
  }
} finally {
  lake.close();
}

// The trail is tamper-evident: every record is sealed into the logger's hash chain and close() wrote its checkpoint.
const fiatBin = fileURLToPath(new URL('../packages/provisioner/bin/fiat.js', import.meta.url));
const verify = spawnSync(process.execPath, [fiatBin, 'verify', 'Audit', '--lake-dir', config.lakeDir], { encoding: 'utf8' });
console.log(`fiat verify Audit:\n${verify.stdout}`);
if (verify.status !== 0 || !verify.stdout.includes(`1 chain(s), ${(2 * CALLS).toLocaleString('en-US')} record(s)`)) {
  console.error(`demo: fiat verify exited with ${verify.status}:\n${verify.stderr}`);
  failed = true;
}
if (failed) process.exit(1);
console.log(`Done. Try: npx fiat query "SELECT task, count(*) AS n FROM audit GROUP BY task", then npx fiat verify`);
