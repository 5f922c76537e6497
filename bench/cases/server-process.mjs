import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Starts cases/fake-server.mjs (with fault injection `faults`) in a child process; resolves to its endpoint and a stop function. */
export async function startServerProcess(faults = {}) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./fake-server.mjs', import.meta.url)), JSON.stringify(faults)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += chunk;
    if (buffered.includes('\n')) break;
  }
  const { endpoint } = JSON.parse(buffered.split('\n')[0]);
  return {
    endpoint,
    async stop() {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

export const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
