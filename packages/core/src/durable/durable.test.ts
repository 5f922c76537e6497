import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStream } from '../defineStream.js';
import { isFiatError } from '../errors.js';
import { tempDir } from '../test-helpers/lake.js';
import { ValidatedLog } from '../ValidatedLog.js';
import { DURABLE_NOT_LOADED } from '../wal/registry.js';

// This file imports '@fiat/core/durable' (./index.js) only in its last test: vitest runs each file in its own module
// graph, so the write-ahead log is not registered before.
const Orders = defineStream({ name: 'Orders', schema: z.object({ order_id: z.string() }) });

let dir: string;
beforeEach(async () => {
  dir = await tempDir('fiat-durable-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function configure(): ValidatedLog {
  return ValidatedLog.configure('local', {
    app: 'shop', email: 'team@example.com', streams: [Orders], lakeDir: join(dir, 'lake'), durability: 'disk', walDir: join(dir, 'wal'),
  });
}

describe("'@fiat/core/durable'", () => {
  it("is needed for durability 'disk': without it configure throws CONFIG_INVALID naming the import", () => {
    let error: unknown;
    try {
      configure();
    } catch (caught) {
      error = caught;
    }
    expect(isFiatError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toBe(DURABLE_NOT_LOADED);
    expect(DURABLE_NOT_LOADED).toContain("import '@fiat/core/durable'");
  });

  it('is not needed in memory mode, the default', async () => {
    const logger = ValidatedLog.configure('local', { app: 'shop', email: 'team@example.com', streams: [Orders], lakeDir: join(dir, 'lake') });
    logger.log(Orders, { order_id: 'o1' });
    await logger.close();
  });

  it("once imported, makes durability 'disk' work: each record is in the write-ahead log when log() returns", async () => {
    await import('./index.js');
    const logger = configure();
    logger.log(Orders, { order_id: 'o1' });
    expect(logger.stats().wal?.records).toBe(1);
    expect(readdirSync(join(dir, 'wal', 'shop')).some((f) => f.endsWith('.wal'))).toBe(true);
    await logger.close();
  });
});
