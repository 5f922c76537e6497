import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 16 * 512;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;
/** ASCII codes of the lowercase hex digits. */
const DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** The id being written, as ASCII (the dashes stay in place): read out as one string per id. */
const text = Buffer.alloc(36, '-', 'latin1');

/** Writes byte `value` as two hex digits at `at` of {@link text}. */
function put(at: number, value: number): void {
  text[at] = DIGITS[value >>> 4] as number;
  text[at + 1] = DIGITS[value & 0x0f] as number;
}

let lastMs = -1;
let sequence = 0;

/** 2^48: the first millisecond count a UUIDv7 cannot hold. */
const MAX_MS = 2 ** 48;

/**
 * Returns a UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by
 * time. Within one millisecond a 12-bit counter in `rand_a` keeps ids from one process
 * increasing.
 *
 * @example
 * ```ts
 * uuidv7(); // '019abc12-3def-7123-8456-789abcdef012'
 * ```
 */
export function uuidv7(now: number = Date.now()): string {
  if (poolOffset + 16 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const o = poolOffset;
  poolOffset += 16;
  // A clock value that is no 48-bit millisecond count (microseconds, NaN, a far-future test clock) must not become
  // lastMs: every later id of the process would carry it. Such a record is refused by its own range check anyway.
  let ms = Number.isSafeInteger(now) && now >= 0 && now < MAX_MS ? now : Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = ((pool[o + 6] as number) & 0x07) << 8 | (pool[o + 7] as number); // random start, room to count
  } else {
    ms = lastMs;
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1; // counter exhausted: borrow the next millisecond, as RFC 9562 §6.2 allows
      ms = lastMs;
      sequence = 0;
    }
  }
  const high = Math.floor(ms / 0x1000000);
  const low = ms % 0x1000000;
  // Written into one reused buffer and read out once: one flat string, not ~20 concatenations of 2-digit pieces.
  put(0, (high >>> 16) & 0xff);
  put(2, (high >>> 8) & 0xff);
  put(4, high & 0xff);
  put(6, (low >>> 16) & 0xff);
  put(9, (low >>> 8) & 0xff);
  put(11, low & 0xff);
  put(14, 0x70 | (sequence >>> 8));
  put(16, sequence & 0xff);
  put(19, 0x80 | ((pool[o + 8] as number) & 0x3f));
  put(21, pool[o + 9] as number);
  for (let i = 0; i < 6; i++) put(24 + 2 * i, pool[o + 10 + i] as number);
  return text.toString('latin1', 0, 36);
}
