// Owns the byte format of write-ahead segments: one frame per line, `<crc32 as 8 hex> <payload>\n`, where the CRC-32
// covers the payload's bytes. Payloads: `s<ref> <stream names as JSON>` declares a stream for the segment's later
// records; `r<ref> <time> <stored line>` is one record, the stored line byte for byte (without its `\n`);
// `l<ref> <time> <stored line>` is the stream's latest line, already delivered: state, never delivered again.
import { crc32 } from 'node:zlib';
import type { StreamNames } from '../names.js';

/** Bytes before a frame's payload: 8 hex digits and a space. */
const HEAD = 9;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const HEX8 = /^[0-9a-f]{8}$/;
const KIND_STREAM = 0x73; // s
const KIND_RECORD = 0x72; // r
const KIND_LAST = 0x6c; // l

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/** A reusable buffer that frames are written into before their one `write` call (no allocation per record). */
export class FrameBuffer {
  #buffer = Buffer.allocUnsafe(64 * 1024);
  #head = '';
  #headRef = -1;
  #headTime = -1;

  /** The buffer the last frame was written into. */
  get buffer(): Buffer {
    return this.#buffer;
  }

  /** The buffer, at least `bytes` long (grown, never shrunk below 64 KiB; a huge one is dropped after use). */
  take(bytes: number): Buffer {
    if (this.#buffer.length < bytes) this.#buffer = Buffer.allocUnsafe(Math.max(bytes, this.#buffer.length * 2));
    return this.#buffer;
  }

  /** Releases a buffer grown past 1 MiB (one huge record must not pin its memory). */
  trim(): void {
    if (this.#buffer.length > 1024 * 1024) this.#buffer = Buffer.allocUnsafe(64 * 1024);
  }

  /** `r<ref> <time> `, made once per stream and millisecond. */
  head(ref: number, time: number): string {
    if (ref !== this.#headRef || time !== this.#headTime) {
      this.#head = `r${ref} ${time} `;
      this.#headRef = ref;
      this.#headTime = time;
    }
    return this.#head;
  }
}

function seal(buffer: Buffer, end: number): number {
  let crc = crc32(buffer.subarray(HEAD, end)) >>> 0;
  for (let i = 7; i >= 0; i--, crc >>>= 4) buffer[i] = HEX_DIGITS[crc & 15]!;
  buffer[8] = SPACE;
  buffer[end] = NEWLINE;
  return end + 1;
}

/**
 * Writes the frame of one record into `frames.buffer`; returns the frame's length. `line` is the stored line (ending
 * with `\n`, which the frame's own newline replaces).
 *
 * @example
 * ```ts
 * const length = encodeRecordFrame(frames, 0, Date.now(), line);
 * writeSync(fd, frames.buffer, 0, length);
 * ```
 */
export function encodeRecordFrame(frames: FrameBuffer, ref: number, time: number, line: string): number {
  return encodeLineFrame(frames, frames.head(ref, time), line);
}

/**
 * Writes a "last line" frame into `frames.buffer`: a stream's latest stored line, kept so that a hash chain can be
 * continued, but never delivered again (the record itself was delivered). Returns the frame's length.
 *
 * @example
 * ```ts
 * const length = encodeLastFrame(frames, 0, record.time, record.line);
 * ```
 */
export function encodeLastFrame(frames: FrameBuffer, ref: number, time: number, line: string): number {
  return encodeLineFrame(frames, `l${ref} ${time} `, line);
}

function encodeLineFrame(frames: FrameBuffer, head: string, line: string): number {
  const buffer = frames.take(HEAD + head.length + line.length * 3 + 1);
  let end = HEAD + buffer.write(head, HEAD, 'latin1');
  end += buffer.write(line, end, 'utf8');
  if (buffer[end - 1] === NEWLINE) end -= 1;
  return seal(buffer, end);
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
  | { readonly kind: 'record'; readonly ref: number; readonly time: number; readonly line: string }
  | { readonly kind: 'last'; readonly ref: number; readonly time: number; readonly line: string };

/**
 * Reads a segment's frames one at a time (memory: the segment's bytes and one line), checking each one's CRC-32.
 * A final line without its newline is a torn write (dropped); any other line that is not a valid frame is counted
 * as corrupt and skipped.
 *
 * @example
 * ```ts
 * const reader = new SegmentReader(readFileSync(path));
 * for (let frame = reader.next(); frame !== undefined; frame = reader.next()) handle(frame);
 * reader.corrupt; reader.tornBytes;
 * ```
 */
export class SegmentReader {
  readonly #data: Buffer;
  #at = 0;
  /** Complete lines that are not valid frames (a wrong checksum or shape): damage, reported. */
  corrupt = 0;
  /** Bytes after the last newline (a write cut by a crash or a power cut), known once `next()` returned undefined. */
  tornBytes = 0;

  constructor(data: Buffer) {
    this.#data = data;
  }

  /** The next valid frame, or undefined at the end. */
  next(): Frame | undefined {
    const data = this.#data;
    for (;;) {
      const newline = data.indexOf(NEWLINE, this.#at);
      if (newline === -1) {
        this.tornBytes = data.length - this.#at;
        return undefined;
      }
      const start = this.#at;
      this.#at = newline + 1;
      const frame = newline - start > HEAD && data[start + 8] === SPACE ? checkedFrame(data, start, newline) : undefined;
      if (frame !== undefined) return frame;
      this.corrupt += 1;
    }
  }
}

/** What {@link parseSegment} found in one segment. */
export interface ParsedSegment {
  readonly frames: Frame[];
  readonly corrupt: number;
  readonly tornBytes: number;
}

/**
 * Every frame of a segment at once (see {@link SegmentReader}).
 *
 * @example
 * ```ts
 * const { frames, corrupt, tornBytes } = parseSegment(readFileSync(path));
 * ```
 */
export function parseSegment(data: Buffer): ParsedSegment {
  const reader = new SegmentReader(data);
  const frames: Frame[] = [];
  for (let frame = reader.next(); frame !== undefined; frame = reader.next()) frames.push(frame);
  return { frames, corrupt: reader.corrupt, tornBytes: reader.tornBytes };
}

function parsePayload(data: Buffer, start: number, end: number): Frame | undefined {
  const kind = data[start];
  const firstSpace = data.indexOf(SPACE, start);
  if (firstSpace === -1 || firstSpace >= end) return undefined;
  const ref = Number(data.toString('latin1', start + 1, firstSpace));
  if (!Number.isSafeInteger(ref) || ref < 0) return undefined;
  if (kind === KIND_STREAM) {
    try {
      return { kind: 'stream', ref, names: JSON.parse(data.toString('utf8', firstSpace + 1, end)) as unknown };
    } catch {
      return undefined;
    }
  }
  if (kind !== KIND_RECORD && kind !== KIND_LAST) return undefined;
  const secondSpace = data.indexOf(SPACE, firstSpace + 1);
  if (secondSpace === -1 || secondSpace >= end) return undefined;
  const time = Number(data.toString('latin1', firstSpace + 1, secondSpace));
  if (!Number.isSafeInteger(time)) return undefined;
  const line = `${data.toString('utf8', secondSpace + 1, end)}\n`;
  return kind === KIND_RECORD ? { kind: 'record', ref, time, line } : { kind: 'last', ref, time, line };
}

function checkedFrame(data: Buffer, start: number, end: number): Frame | undefined {
  const hex = data.toString('latin1', start, start + 8);
  if (!HEX8.test(hex) || Number.parseInt(hex, 16) !== crc32(data.subarray(start + HEAD, end)) >>> 0) return undefined;
  return parsePayload(data, start + HEAD, end);
}
