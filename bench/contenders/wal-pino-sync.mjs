// Durable mode's yardstick: pino writing synchronously to a plain file, pino.destination({ dest, sync: true }) — one
// write(2) per record before logger.info() returns (like Fiat's disk mode, the line is in the page cache: it survives
// SIGKILL; unlike it, nothing is fdatasync'd while logging). The clock stops when the file is closed and fsync'd.
import { once } from 'node:events';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

await runHot(async (dir) => {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'out.ndjson');
  const destination = pino.destination({ dest: path, sync: true });
  const logger = pino({ base: LOGGER_OPTIONS }, destination);
  return {
    log: (fields) => logger.info(fields),
    close: async () => {
      const closed = once(destination, 'close');
      destination.end();
      await closed;
      const handle = await open(path, 'r');
      await handle.sync();
      await handle.close();
    },
  };
});
