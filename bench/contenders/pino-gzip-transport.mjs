// A pino transport (loaded by pino.transport in its worker thread): NDJSON lines gzip'd into one file.
// Options: { destination: path, level: gzip level, default 1 }. The file is fsync'd before it is closed
// (createWriteStream's `flush`), and the returned stream emits 'close' only after that.
import { createWriteStream } from 'node:fs';
import { pipeline, Writable } from 'node:stream';
import { createGzip } from 'node:zlib';

export default function gzipFileTransport({ destination, level = 1 }) {
  const gzip = createGzip({ level });
  const file = createWriteStream(destination, { flush: true });
  const finished = new Promise((resolve) => pipeline(gzip, file, resolve));
  return new Writable({
    write(chunk, _encoding, callback) {
      if (gzip.write(chunk)) callback();
      else gzip.once('drain', callback);
    },
    final(callback) {
      gzip.end();
      finished.then((error) => callback(error));
    },
  });
}
