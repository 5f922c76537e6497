import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditFields, LOGGER_OPTIONS } from '../lib/records.mjs';
import { verifyOutput } from '../lib/verify.mjs';

let dir;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-pino-gzip-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the pino gzip worker transport (the hot-path peer)', () => {
  it('writes every line into one gzip file that is complete when the transport closes', async () => {
    // Prepare
    const target = fileURLToPath(new URL('./pino-gzip-transport.mjs', import.meta.url));
    const transport = pino.transport({ target, options: { destination: join(dir, 'out.ndjson.gz') } });
    await once(transport, 'ready');
    const logger = pino({ base: LOGGER_OPTIONS }, transport);
    // Act
    for (let i = 0; i < 5000; i++) logger.info(auditFields(i));
    const closed = once(transport, 'close');
    transport.end();
    await closed;
    // Assess
    expect(await verifyOutput(dir, { expectedLines: 5000, shape: 'pino', size: 'audit' })).toMatchObject({ files: 1, lines: 5000 });
  });
});
