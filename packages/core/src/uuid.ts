import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 16 * 512;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = -1;
let sequence = 0;

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
  let ms = now;
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
  return (
    HEX[(high >>> 16) & 0xff]! +
    HEX[(high >>> 8) & 0xff]! +
    HEX[high & 0xff]! +
    HEX[(low >>> 16) & 0xff]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    '-' +
    HEX[0x70 | (sequence >>> 8)]! +
    HEX[sequence & 0xff]! +
    '-' +
    HEX[0x80 | ((pool[o + 8] as number) & 0x3f)]! +
    HEX[pool[o + 9] as number]! +
    '-' +
    HEX[pool[o + 10] as number]! +
    HEX[pool[o + 11] as number]! +
    HEX[pool[o + 12] as number]! +
    HEX[pool[o + 13] as number]! +
    HEX[pool[o + 14] as number]! +
    HEX[pool[o + 15] as number]!
  );
}
