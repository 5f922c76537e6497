import { readdirSync } from 'node:fs';
import type * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveStreamNames } from '../names.js';
import { readLakeLines, tempDir } from '../test-helpers/lake.js';
import { createLocalTransport } from './local.js';

/** Gates on the background write's rename and on the folder fsync after it, to stop it exactly there. */
const gates = vi.hoisted(() => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open, reached: false };
  };
  return { rename: gate(), syncDir: gate(), reset(): void {
    Object.assign(this.rename, gate());
    Object.assign(this.syncDir, gate());
  } };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      gates.rename.reached = true;
      await gates.rename.opened;
      return actual.rename(from, to);
    },
    // syncDirectory opens the folder with 'r' after the rename.
    open: async (path: string, flags?: string) => {
      if (flags === 'r') {
        gates.syncDir.reached = true;
        await gates.syncDir.opened;
      }
      return actual.open(path, flags);
    },
  };
});

const names = resolveStreamNames('Orders');
const records = Array.from({ length: 30 }, (_, i) => ({
  names,
  line: `${JSON.stringify({ event_id: `id-${i}`, i, pad: 'x'.repeat(100) })}\n`,
  eventId: `id-${i}`,
  time: Date.UTC(2026, 10, 26),
}));

afterEach(() => {
  gates.rename.open();
  gates.syncDir.open();
  gates.reset();
});

describe('local transport: flushSync takes over a background write that is renaming its file', () => {
  it.each([
    ['before the rename: flushSync renames the durable temporary file itself', 'rename'],
    ['after the rename, before the folder fsync: flushSync sees the file in place', 'syncDir'],
  ] as const)('%s — every record once', async (_label, stop) => {
    // Prepare
    const lakeDir = await tempDir();
    const lake = createLocalTransport({ lakeDir });
    for (const record of records) lake.write(record);
    const flushed = lake.flush();
    if (stop === 'syncDir') gates.rename.open();
    await vi.waitUntil(() => gates[stop].reached, { timeout: 20_000 });
    // Act
    lake.flushSync();
    // Assess: the file is in place before the background write goes on.
    expect(readdirSync(join(lakeDir, 'orders'), { recursive: true }).map(String).filter((f) => f.endsWith('.gz'))).toHaveLength(1);
    expect(lake.stats()).toMatchObject({ received: 30, delivered: 30, pending: 0, failed: 0, syncWrites: 0 });
    gates.rename.open();
    gates.syncDir.open();
    await flushed;
    await lake.close();
    expect((await readLakeLines(lakeDir, 'orders/')).map((l) => l.i)).toEqual(records.map((_, i) => i));
    expect(lake.stats()).toMatchObject({ delivered: 30, failed: 0 });
    expect(readdirSync(join(lakeDir, '_tmp'))).toEqual([]);
  });
});
