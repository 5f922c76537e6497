// Starts the fake Firehose server (contenders/fake-server.mjs) in its own process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { BENCH_DIR } from './spawn.mjs';

/** Credentials the SDK signs with (the fake does not check them). */
export const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

/**
 * Starts the fake Firehose server process with `{ latencyMs, down }`. Resolves to its endpoint, `report()` (what it
 * received so far) and `stop()`.
 */
export async function startServerProcess(options = {}) {
  const child = spawn(process.execPath, [`${BENCH_DIR}contenders/fake-server.mjs`, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the fake Firehose server exited');
    return JSON.parse(value);
  };
  const { endpoint } = await next();
  return {
    endpoint,
    clientConfig: { endpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS },
    async report() {
      child.stdin.write('report\n');
      return next();
    },
    async stop() {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
