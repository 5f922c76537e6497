/**
 * Decodes an `aws-chunked` request body (what the SDK sends for streaming uploads with trailing checksums):
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` repeated, ending with a zero-size chunk and optional trailers.
 *
 * @example
 * ```ts
 * decodeAwsChunked(Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-crc32:…\r\n\r\n')).toString(); // 'abc'
 * ```
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd === -1) break;
    const size = Number.parseInt(body.toString('latin1', offset, lineEnd).split(';')[0]!, 16);
    if (!Number.isInteger(size) || size === 0) break;
    const start = lineEnd + 2;
    parts.push(body.subarray(start, start + size));
    offset = start + size + 2;
  }
  return Buffer.concat(parts);
}
