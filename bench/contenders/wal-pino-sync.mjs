// Durable mode's yardstick: pino writing synchronously to a plain file, pino.destination({ dest, sync: true }) — one
// write(2) per record before logger.info() returns (like Fiat's disk mode, the line is in the page cache: it survives
// SIGKILL; unlike it, nothing is fdatasync'd while logging). The clock stops when the file is closed and fsync'd.
import { runHot } from '../lib/hot-driver.mjs';
import { openPinoFile } from '../lib/pino-file.mjs';

await runHot((dir) => openPinoFile(dir, { sync: true }));
