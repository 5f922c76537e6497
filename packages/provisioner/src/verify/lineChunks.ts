import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** Complete lines read from one file or object: their text and the number of the first one. */
export interface LineChunk {
  readonly text: string;
  readonly firstLine: number;
}

/** Lines are handed on in chunks of at least this many characters (the last chunk may be smaller). */
export const CHUNK_CHARS = 256 * 1024;

/**
 * Turns a byte stream (already gunzipped) into chunks of whole lines, decoding UTF-8 across chunk boundaries.
 * A last line without `\n` is handed on too.
 *
 * @example
 * ```ts
 * for await (const { text, firstLine } of lineChunks(createReadStream(path).pipe(createGunzip()))) verify(text, firstLine);
 * ```
 */
export async function* lineChunks(bytes: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<LineChunk> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 1;
  const take = (text: string): LineChunk => {
    const chunk = { text, firstLine: line };
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) line += 1;
    return chunk;
  };
  for await (const piece of bytes) {
    pending += typeof piece === 'string' ? piece : decoder.write(Buffer.isBuffer(piece) ? piece : Buffer.from(piece));
    if (pending.length < CHUNK_CHARS) continue;
    const cut = pending.lastIndexOf('\n');
    if (cut === -1) continue;
    yield take(pending.slice(0, cut + 1));
    pending = pending.slice(cut + 1);
  }
  pending += decoder.end();
  if (pending.length > 0) yield take(pending);
}

/**
 * `source` gunzipped, with errors of either stream (a missing file, a corrupt gzip) raised by reading the result.
 *
 * @example
 * ```ts
 * for await (const chunk of lineChunks(gunzipped(createReadStream(path)))) …;
 * ```
 */
export function gunzipped(source: Readable): Readable {
  const out = createGunzip();
  pipeline(source, out, () => undefined);
  return out;
}
