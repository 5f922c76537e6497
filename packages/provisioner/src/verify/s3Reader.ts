import { Readable } from 'node:stream';
import type { GetObjectCommand as GetObjectCommandType, S3Client } from '@aws-sdk/client-s3';
import { gunzipped, lineChunks, type LineChunk } from './lineChunks.js';
import { inRange, sortKeys, type LakeReader, type PartitionRange } from './reader.js';

/**
 * Reads the objects of a bucket verbatim with ListObjectsV2 (every page) and GetObject: the keys under a prefix in
 * the `dt=` partitions asked for (starting the listing after the earlier partitions), gunzipped when they end with
 * `.gz`. The SDK is loaded by the caller; this module imports only its types.
 *
 * @example
 * ```ts
 * const { S3Client } = await import('@aws-sdk/client-s3');
 * const reader = await s3LakeReader(new S3Client({ region: 'eu-west-1' }), 'my-lake');
 * ```
 */
export async function s3LakeReader(client: S3Client, bucket: string): Promise<LakeReader> {
  const { GetObjectCommand, paginateListObjectsV2 } = await import('@aws-sdk/client-s3');
  return {
    location: `s3://${bucket}`,
    async list(prefix: string, range: PartitionRange): Promise<string[]> {
      const keys: string[] = [];
      const startAfter = range.from !== undefined ? { StartAfter: `${prefix}dt=${range.from}` } : {};
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix, ...startAfter })) {
        for (const object of page.Contents ?? []) if (object.Key !== undefined && inRange(object.Key, range)) keys.push(object.Key);
      }
      return sortKeys(keys);
    },
    read(key: string): AsyncIterable<LineChunk> {
      return readObject(client, bucket, key, GetObjectCommand);
    },
  };
}

async function* readObject(
  client: S3Client,
  bucket: string,
  key: string,
  GetObjectCommand: typeof GetObjectCommandType,
): AsyncGenerator<LineChunk> {
  const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (Body === undefined) return;
  const stream = Body instanceof Readable ? Body : Readable.fromWeb(Body.transformToWebStream() as never);
  yield* lineChunks(key.endsWith('.gz') ? gunzipped(stream) : stream);
}
