// Hot path, pino asynchronous to a plain file, as pino documents it: pino.destination({ dest, sync: false,
// minLength: 4096 }) — uncompressed NDJSON. The clock stops when the destination has flushed and closed and the
// file is fsync'd (as every other contender's output is).
import { once } from 'node:events';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

await runHot(async (dir) => {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'out.ndjson');
  const destination = pino.destination({ dest: path, sync: false, minLength: 4096 });
  await once(destination, 'ready');
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
