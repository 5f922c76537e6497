// Runs contenders and peers, each in a fresh Node process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `node …args` in a fresh process. Resolves to its stdout, stderr, exit code, the milliseconds from spawn to
 * exit (`wall_ms`) and from spawn to its first byte on stdout (`first_byte_ms`). Rejects when it exits non-zero.
 */
export function runNode(args, { env = {}, cwd = BENCH_DIR, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
    // FIAT_CHAIN_KEY cleared: a key in the caller's shell would make some contenders sign checkpoints and others not.
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, FIAT_CHAIN_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let firstByte;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk) => {
      firstByte ??= ms();
      out.push(chunk);
    });
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wall = ms();
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ').slice(0, 300)} exited with ${code ?? signal}:\n${stderr.slice(-4000)}`));
        return;
      }
      resolve({ stdout, stderr, code, wall_ms: wall, first_byte_ms: firstByte ?? wall });
    });
  });
}

/** Runs bench/contenders/<name>.mjs with `params` (JSON in argv[2]); resolves to its result line plus `wall_ms`. */
export async function runContender(name, params, options = {}) {
  const { nodeArgs = [], ...rest } = options;
  const run = await runNode([...nodeArgs, `${BENCH_DIR}contenders/${name}.mjs`, JSON.stringify(params)], rest);
  const last = run.stdout.trim().split('\n').at(-1);
  return { ...JSON.parse(last), wall_ms: run.wall_ms };
}
