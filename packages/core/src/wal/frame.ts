// Owns the byte format of write-ahead segments: one frame per line, `<crc32 as 8 hex> <payload>\n`, where the CRC-32
// covers the payload's bytes. Payloads: `s<ref> <stream names as JSON>` declares a stream for the segment's later
// records; `r<ref> <time> <stored line>` is one record, the stored line byte for byte (without its `\n`).
import { crc32 } from 'node:zlib';
import type { StreamNames } from '../names.js';

/** Bytes before a frame's payload: 8 hex digits and a space. */
const HEAD = 9;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const HEX8 = /^[0-9a-f]{8}$/;

/** A reusable buffer that frames are written into before their one `write` call. */
export class FrameBuffer {
  #buffer = Buffer.allocUnsafe(64 * 1024);

  /** The buffer, at least `bytes` long (grown, never shrunk below 64 KiB; a huge one is dropped after use). */
  take(bytes: number): Buffer {
    if (this.#buffer.length < bytes) this.#buffer = Buffer.allocUnsafe(Math.max(bytes, this.#buffer.length * 2));
    return this.#buffer;
  }

  /** Releases a buffer grown past 1 MiB (one huge record must not pin its memory). */
  trim(): void {
    if (this.#buffer.length > 1024 * 1024) this.#buffer = Buffer.allocUnsafe(64 * 1024);
  }
}

function seal(buffer: Buffer, end: number): number {
  buffer.write((crc32(buffer.subarray(HEAD, end)) >>> 0).toString(16).padStart(8, '0'), 0, 'latin1');
  buffer[8] = SPACE;
  buffer[end] = NEWLINE;
  return end + 1;
}

/**
 * Writes the frame of one record into `frames`' buffer; returns the buffer and the frame's length. `line` is the
 * stored line (ending with `\n`, which the frame's own newline replaces).
 *
 * @example
 * ```ts
 * const { buffer, length } = encodeRecordFrame(frames, 0, Date.now(), line);
 * writeSync(fd, buffer, 0, length);
 * ```
 */
export function encodeRecordFrame(frames: FrameBuffer, ref: number, time: number, line: string): { buffer: Buffer; length: number } {
  const head = `r${ref} ${time} `;
  const buffer = frames.take(HEAD + head.length + line.length * 3 + 1);
  let end = HEAD + buffer.write(head, HEAD, 'latin1');
  end += buffer.write(line, end, 'utf8');
  if (buffer[end - 1] === NEWLINE) end -= 1;
  return { buffer, length: seal(buffer, end) };
}

/**
 * The frame declaring stream `ref` of a segment.
 *
 * @example
 * ```ts
 * encodeStreamFrame(0, resolveStreamNames('Audit')).toString(); // '1a2b3c4d s0 {"stream":"Audit",…}\n'
 * ```
 */
export function encodeStreamFrame(ref: number, names: StreamNames): Buffer {
  const payload = `s${ref} ${JSON.stringify({ stream: names.stream, table: names.table, prefix: names.prefix, deliveryStream: names.deliveryStream })}`;
  const buffer = Buffer.allocUnsafe(HEAD + Buffer.byteLength(payload) + 1);
  const end = HEAD + buffer.write(payload, HEAD, 'utf8');
  return buffer.subarray(0, seal(buffer, end));
}

/** One frame read back. */
export type Frame =
  | { readonly kind: 'stream'; readonly ref: number; readonly names: unknown }
  | { readonly kind: 'record'; readonly ref: number; readonly time: number; readonly line: string };

/** What {@link parseSegment} found in one segment. */
export interface ParsedSegment {
  readonly frames: Frame[];
  /** Complete lines that are not valid frames (a wrong checksum or shape): damage, reported. */
  readonly corrupt: number;
  /** Bytes after the last newline: a write cut by a crash or a power cut, expected and dropped. */
  readonly tornBytes: number;
}

function parsePayload(data: Buffer, start: number, end: number): Frame | undefined {
  const kind = data[start];
  const firstSpace = data.indexOf(SPACE, start);
  if (firstSpace === -1 || firstSpace >= end) return undefined;
  const ref = Number(data.toString('latin1', start + 1, firstSpace));
  if (!Number.isSafeInteger(ref) || ref < 0) return undefined;
  if (kind === 0x73) {
    try {
      return { kind: 'stream', ref, names: JSON.parse(data.toString('utf8', firstSpace + 1, end)) as unknown };
    } catch {
      return undefined;
    }
  }
  if (kind !== 0x72) return undefined;
  const secondSpace = data.indexOf(SPACE, firstSpace + 1);
  if (secondSpace === -1 || secondSpace >= end) return undefined;
  const time = Number(data.toString('latin1', firstSpace + 1, secondSpace));
  if (!Number.isSafeInteger(time)) return undefined;
  return { kind: 'record', ref, time, line: `${data.toString('utf8', secondSpace + 1, end)}\n` };
}

/**
 * Reads a segment's frames, checking each one's CRC-32. A final line without its newline is a torn write (dropped);
 * any other line that is not a valid frame is counted as corrupt and skipped.
 *
 * @example
 * ```ts
 * const { frames, corrupt, tornBytes } = parseSegment(readFileSync(path));
 * ```
 */
export function parseSegment(data: Buffer): ParsedSegment {
  const frames: Frame[] = [];
  let corrupt = 0;
  let at = 0;
  for (;;) {
    const newline = data.indexOf(NEWLINE, at);
    if (newline === -1) break;
    const frame = newline - at > HEAD && data[at + 8] === SPACE ? checkedFrame(data, at, newline) : undefined;
    if (frame === undefined) corrupt += 1;
    else frames.push(frame);
    at = newline + 1;
  }
  return { frames, corrupt, tornBytes: data.length - at };
}

function checkedFrame(data: Buffer, start: number, end: number): Frame | undefined {
  const hex = data.toString('latin1', start, start + 8);
  if (!HEX8.test(hex) || Number.parseInt(hex, 16) !== crc32(data.subarray(start + HEAD, end)) >>> 0) return undefined;
  return parsePayload(data, start + HEAD, end);
}
