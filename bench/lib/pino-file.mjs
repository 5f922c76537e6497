// pino writing NDJSON to one plain file, for the contenders that compare with it: a sink for the hot-path driver whose
// close() waits until the destination has flushed and closed, then fsyncs the file (as every contender's output is).
import { once } from 'node:events';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { LOGGER_OPTIONS } from './records.mjs';

/** Opens `<dir>/out.ndjson` with `pino.destination({ dest, ...destinationOptions })`; returns `{ log, close }`. */
export async function openPinoFile(dir, destinationOptions) {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'out.ndjson');
  const destination = pino.destination({ dest: path, ...destinationOptions });
  if (!destinationOptions.sync) await once(destination, 'ready');
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
}
