import type { CliContext } from './command.js';

/** A CLI context that captures output, for tests. */
export function captureContext(cwd: string, env: Record<string, string | undefined> = {}): CliContext & { out: string; err: string } {
  const context = {
    cwd,
    env,
    out: '',
    err: '',
    stdout: (text: string) => {
      context.out += text;
    },
    stderr: (text: string) => {
      context.err += text;
    },
  };
  return context;
}
