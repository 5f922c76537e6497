// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per kind of code.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function where(url) {
  if (url === '') return '';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const rel = relative(REPO, path);
  const nm = rel.lastIndexOf('node_modules/');
  return nm === -1 ? rel : rel.slice(nm);
}

function kind(name, at) {
  if (name === '(garbage collector)') return 'gc';
  if (name === '(idle)') return 'idle';
  if (name === '(program)' || name === '(root)') return 'program';
  if (at.startsWith('node:')) return 'node';
  if (at.startsWith('node_modules/')) return 'dependencies';
  if (at.startsWith('packages/')) return 'fiat';
  if (at.startsWith('bench/')) return 'bench';
  return name === '' && at === '' ? 'program' : 'native';
}

/**
 * Self time of a profile by function (top `top`) and by kind: gc, idle (main thread waiting), program (V8/native
 * outside JS), node (node: internals), dependencies (node_modules), fiat (packages/), bench (the harness), native.
 * With `window` ([from, to] in µs of the monotonic clock, as process.hrtime), only the samples inside it count.
 * Shares are by sample count (a sample followed by a long pause of a loaded machine weighs as much as any other);
 * milliseconds are those shares of the window's duration.
 */
export function summariseProfile(profile, { top = 12, window } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const { samples, timeDeltas } = profile;
  let at = profile.startTime;
  let first;
  let last;
  let count = 0;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i];
    if (window !== undefined && (at < window[0] || at > window[1])) continue;
    first ??= at;
    last = at;
    count += 1;
    const { functionName, url, lineNumber } = byId.get(samples[i]).callFrame;
    const file = where(url);
    const key = `${functionName || '(anonymous)'}\t${file ? `${file}:${lineNumber + 1}` : ''}\t${kind(functionName, file)}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const msPerSample = count > 1 ? (last - first) / 1000 / (count - 1) : 0;
  const kinds = {};
  const functions = [];
  for (const [key, n] of self) {
    const [fn, file, k] = key.split('\t');
    kinds[k] = (kinds[k] ?? 0) + n;
    functions.push({ fn, at: file, kind: k, samples: n });
  }
  const busy = count - (kinds.idle ?? 0);
  return {
    samples: count,
    total_ms: round(count * msPerSample),
    busy_ms: round(busy * msPerSample),
    kinds: Object.fromEntries(Object.entries(kinds).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, round((100 * n) / count, 2)])),
    top: functions
      .filter((f) => f.kind !== 'idle')
      .sort((a, b) => b.samples - a.samples)
      .slice(0, top)
      .map(({ samples: n, ...f }) => ({ ...f, self_ms: round(n * msPerSample), busy_pct: round((100 * n) / busy, 2) })),
  };
}
