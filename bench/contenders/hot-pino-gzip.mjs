// Hot path, pino with a gzip worker transport: pino.transport({ target: ./pino-gzip-transport.mjs }) — pino
// serializes on the main thread, its worker thread gzips (level 1) into one NDJSON.gz file, fsync'd before close.
// The clock stops when the transport has flushed, closed the file and its worker has exited ('close').
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

const target = fileURLToPath(new URL('./pino-gzip-transport.mjs', import.meta.url));

await runHot(async (dir) => {
  await mkdir(dir, { recursive: true });
  const transport = pino.transport({ target, options: { destination: join(dir, 'out.ndjson.gz'), level: 1 } });
  await once(transport, 'ready');
  const logger = pino({ base: LOGGER_OPTIONS }, transport);
  return {
    log: (fields) => logger.info(fields),
    close: async () => {
      // pino unrefs its worker: hold the event loop open while waiting for it, as a running server would.
      const keepAlive = setInterval(() => undefined, 1000);
      const closed = once(transport, 'close');
      transport.end();
      await closed;
      clearInterval(keepAlive);
    },
  };
});
