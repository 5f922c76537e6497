// Hot path, pino asynchronous to a plain file, as pino documents it: pino.destination({ dest, sync: false,
// minLength: 4096 }) — uncompressed NDJSON. The clock stops when the destination has flushed and closed and the
// file is fsync'd (as every other contender's output is).
import { runHot } from '../lib/hot-driver.mjs';
import { openPinoFile } from '../lib/pino-file.mjs';

await runHot((dir) => openPinoFile(dir, { sync: false, minLength: 4096 }));
