import { describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { COMMANDS } from './commandList.js';

describe('the command list', () => {
  it('names and summarises each command exactly as its module does', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });

  it('fiat --help lists every command with its summary', async () => {
    let out = '';
    const code = await main(['--help'], { cwd: '/', env: {}, stdout: (text) => void (out += text), stderr: () => undefined });
    expect(code).toBe(0);
    for (const entry of COMMANDS) expect(out).toContain(`  ${entry.name.padEnd(14)} ${entry.summary}`);
  });
});
