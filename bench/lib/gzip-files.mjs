// Writes NDJSON lines as gzip files the way Fiat's local transport does — lines copied into off-heap chunks, a file
// sealed every 1 MiB of uncompressed lines, gzip on libuv's thread pool, written under _tmp/, fsync'd, renamed into
// place, folder fsync'd — without validation or encoding. The ceiling contender uses it.
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);
const CHUNK_BYTES = 256 * 1024;

async function syncPath(path) {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAtomic(dir, name, data) {
  const tmp = join(dir, '_tmp', `${name}.partial`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, name));
  await syncPath(dir);
}

/** A writer of gzip NDJSON files into `dir`: write(line) synchronously, close() when done (all files in place). */
export async function createGzipFileWriter(dir, { fileBytes = 1024 * 1024, level = 1 } = {}) {
  await mkdir(join(dir, '_tmp'), { recursive: true });
  const inFlight = new Set();
  let parts = [];
  let current = Buffer.alloc(0);
  let offset = 0;
  let bytes = 0;
  let files = 0;

  function seal() {
    const contents = Buffer.concat(offset > 0 ? [...parts, current.subarray(0, offset)] : parts, bytes);
    parts = [];
    current = Buffer.alloc(0);
    offset = 0;
    bytes = 0;
    const name = `part-${String(files++).padStart(6, '0')}.gz`;
    const job = gzip(contents, { level })
      .then((data) => writeAtomic(dir, name, data))
      .finally(() => inFlight.delete(job));
    inFlight.add(job);
  }

  return {
    write(line) {
      if (offset + line.length * 3 > current.length) {
        if (offset > 0) parts.push(current.subarray(0, offset));
        current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
        offset = 0;
      }
      const written = current.write(line, offset);
      offset += written;
      bytes += written;
      if (bytes >= fileBytes) seal();
    },
    async close() {
      if (bytes > 0) seal();
      await Promise.all([...inFlight]);
    },
  };
}
