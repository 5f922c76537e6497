// Verifies a contender's output after its run: every file read back (gunzipped when .gz), lines counted, no partial
// last line, nothing left in _tmp/, and a spread of sample lines decoded and compared with the records logged.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { fieldsFor, LOGGER_OPTIONS, poolIndexOf } from './records.mjs';

const SAMPLES = 64;
const STORED_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function outputFiles(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (path.split('/').includes('_tmp')) throw new Error(`a temporary file was left behind: ${path}`);
    if (path.split('/').includes('_fiat_checkpoint')) continue; // the chain's checkpoints (suites/chain.mjs verifies them)
    if (entry.name.endsWith('.gz') || entry.name.endsWith('.ndjson')) found.push(path);
  }
  if (found.length === 0) throw new Error(`no output files in ${dir}`);
  return found.sort();
}

function lineStarts(text) {
  const starts = [];
  for (let at = 0; at < text.length; ) {
    starts.push(at);
    const nl = text.indexOf(10, at);
    if (nl === -1) throw new Error('the last line has no newline (partial write)');
    at = nl + 1;
  }
  return starts;
}

const same = (actual, expected, what) => {
  if (!isDeepStrictEqual(actual, expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
};

/**
 * Checks one decoded line against the record logged: `shape` 'stored' is Fiat's stored form (envelope, free-form
 * task_args as JSON text), 'pino' is pino's line (level, time, base fields, the object as given).
 */
export function checkLine(shape, size, line) {
  const expected = fieldsFor(size, poolIndexOf(line.audit_id));
  for (const key of ['app', 'email', 'tags']) same(line[key], LOGGER_OPTIONS[key], key);
  for (const key of ['audit_id', 'phase', 'task', 'ticket_id']) same(line[key], expected[key], key);
  if (shape === 'pino') {
    same(line.level, 30, 'level');
    same(typeof line.time, 'number', 'typeof time');
    same(line.task_args, expected.task_args, 'task_args');
    return;
  }
  if (!UUID.test(line.event_id)) throw new Error(`event_id ${JSON.stringify(line.event_id)} is not a UUID`);
  if (!STORED_TIME.test(line.event_time)) throw new Error(`event_time ${JSON.stringify(line.event_time)} is not yyyy-MM-dd HH:mm:ss.SSS`);
  same(JSON.parse(line.task_args), expected.task_args, 'task_args (JSON text)');
}

/**
 * Reads back every output file under `dir` and checks `expectedLines` lines in all, and sample lines decoded with
 * `checkLine(shape, size, …)` (and `also(line)` when given). Returns what was found: files, lines, bytes on disk, uncompressed bytes per line.
 */
export async function verifyOutput(dir, { expectedLines, shape, size, also }) {
  const files = await outputFiles(dir);
  const perFile = Math.max(1, Math.ceil(SAMPLES / files.length));
  let lines = 0;
  let diskBytes = 0;
  let textBytes = 0;
  let sampled = 0;
  for (const file of files) {
    const raw = await readFile(file);
    const text = file.endsWith('.gz') ? gunzipSync(raw) : raw;
    diskBytes += (await stat(file)).size;
    textBytes += text.length;
    const starts = lineStarts(text);
    lines += starts.length;
    for (let s = 0; s < perFile && starts.length > 0; s++) {
      const at = starts[Math.floor((s * (starts.length - 1)) / Math.max(1, perFile - 1))];
      const line = JSON.parse(text.subarray(at, text.indexOf(10, at)).toString('utf8'));
      checkLine(shape, size, line);
      also?.(line);
      sampled += 1;
    }
  }
  if (lines !== expectedLines) throw new Error(`${dir}: ${lines} lines, expected ${expectedLines}`);
  return { files: files.length, lines, sampled, disk_bytes: diskBytes, line_bytes: Math.round(textBytes / lines) };
}

/** Reads every spool file under `dir` (NDJSON per delivery stream) and counts lines and distinct event_ids. */
export async function verifySpool(dir, expected) {
  const ids = new Set();
  let lines = 0;
  let checkpointLines = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (!entry.isFile() || path.split('/').includes('_tmp')) continue;
    // The Audit hash chain's checkpoints are spooled too, in their own delivery stream's folder: counted apart.
    if (path.split('/').includes('fiat-checkpoint')) {
      checkpointLines += (await readFile(path)).toString('utf8').split('\n').filter((line) => line !== '').length;
      continue;
    }
    const text = (await readFile(path)).toString('utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines += 1;
      const record = JSON.parse(line);
      ids.add(record.event_id);
      if (lines % 10_007 === 1) checkLine('stored', 'audit', record);
    }
  }
  if (ids.size !== expected) throw new Error(`the spool holds ${ids.size} distinct records, expected ${expected}`);
  return { spooled_lines: lines, spooled_distinct: ids.size, lost: expected - ids.size, checkpoint_lines: checkpointLines };
}
