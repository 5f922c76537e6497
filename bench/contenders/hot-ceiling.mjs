// Hot path, the ceiling: the lines Fiat stores (same fields, same order, free-form task_args as JSON text, a UUID and
// a 'yyyy-MM-dd HH:mm:ss.SSS' time) made with JSON.stringify and no validation, written as Fiat writes them
// (lib/gzip-files.mjs: 1 MiB files, gzip level 1 on the thread pool, fsync, rename).
import { randomUUID } from 'node:crypto';
import { createGzipFileWriter } from '../lib/gzip-files.mjs';
import { runHot } from '../lib/hot-driver.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

await runHot(async (dir) => {
  const writer = await createGzipFileWriter(dir);
  let lastMs = 0;
  let lastTime = '';
  return {
    log(fields) {
      const now = Date.now();
      if (now !== lastMs) {
        lastMs = now;
        lastTime = new Date(now).toISOString().slice(0, 23).replace('T', ' ');
      }
      const record = { event_id: randomUUID(), event_time: lastTime, ...LOGGER_OPTIONS, ...fields, task_args: JSON.stringify(fields.task_args) };
      writer.write(`${JSON.stringify(record)}\n`);
    },
    close: () => writer.close(),
  };
});
