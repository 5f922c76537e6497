import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { writeLakeFile } from '@fiat/core';
import { decodeAwsChunked } from './awsChunked.js';
import { fakeEtag, listFolder, listPage, listResultXml, xmlText } from './listObjects.js';
import { listenLocal, readBody } from '../httpServer.js';

/** Options of {@link startFakeS3Server}. */
export interface FakeS3ServerOptions {
  /** The folder served as the bucket's objects (e.g. the fake Firehose server's `lakeDir`). Required. */
  readonly dir: string;
  /** The bucket's name; requests for other buckets get `NoSuchBucket`. Default: `'fiat-lake'`. */
  readonly bucket?: string;
  /** Port to listen on (127.0.0.1). Default: 0 (any free port). */
  readonly port?: number;
  /** Host to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string;
}

/** One request the fake answered, for assertions. */
export interface FakeS3Request {
  readonly operation: 'ListObjectsV2' | 'GetObject' | 'HeadObject' | 'PutObject' | 'Unsupported';
  readonly bucket: string;
  readonly key?: string;
  readonly status: number;
}

/** A running fake S3. */
export interface FakeS3Server {
  /** The endpoint for `new S3Client({ endpoint, forcePathStyle: true })`, e.g. `http://127.0.0.1:53127`. */
  readonly endpoint: string;
  readonly port: number;
  readonly bucket: string;
  /** Every request answered, in order. */
  readonly requests: readonly FakeS3Request[];
  close(): Promise<void>;
}

function sendXml(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'fake', ...headers });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, resource: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlText(message)}</Message><Resource>${xmlText(resource)}</Resource><RequestId>fake</RequestId></Error>`;
  sendXml(res, status, body);
}

/** A key that maps to a file inside the folder: no empty, `.` or `..` segment, no backslash. */
function safeKey(key: string): boolean {
  return key.length > 0 && !key.includes('\\') && key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks the subset of S3 that reading a lake needs — ListObjectsV2
 * (prefix, delimiter, start-after, continuation token, max-keys), GetObject, HeadObject, and PutObject for tests —
 * with path-style addressing, so the real `S3Client` (with `forcePathStyle: true`) works against it. Objects are
 * the files of `dir`, keys their paths relative to it.
 *
 * @example
 * ```ts
 * const s3 = await startFakeS3Server({ dir: '/tmp/lake', bucket: 'my-lake' });
 * const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await client.send(new ListObjectsV2Command({ Bucket: 'my-lake', Prefix: 'audit/' }));
 * await s3.close();
 * ```
 */
export async function startFakeS3Server(options: FakeS3ServerOptions): Promise<FakeS3Server> {
  const bucket = options.bucket ?? 'fiat-lake';
  const requests: FakeS3Request[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', (error as Error).message, req.url ?? '');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The raw path, not a URL's: dot segments must reach the key check instead of being resolved away.
    const [path = '/', search = ''] = (req.url ?? '/').split('?', 2);
    const url = { searchParams: new URLSearchParams(search) };
    const [first = '', ...rest] = path.slice(1).split('/');
    const name = decodeURIComponent(first);
    const key = rest.length > 0 ? rest.map(decodeURIComponent).join('/') : undefined;
    const record = (operation: FakeS3Request['operation']): void => {
      res.once('finish', () => requests.push({ operation, bucket: name, ...(key !== undefined ? { key } : {}), status: res.statusCode }));
    };
    if (name !== bucket) {
      record('Unsupported');
      sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `/${name}`);
      return;
    }
    if (key === undefined || key === '') {
      if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        record('ListObjectsV2');
        await list(url, res);
        return;
      }
      record('Unsupported');
      sendError(res, 501, 'NotImplemented', `the fake S3 does not implement ${req.method} on a bucket`, `/${name}`);
      return;
    }
    if (!safeKey(key)) {
      record('Unsupported');
      sendError(res, 400, 'InvalidArgument', 'the fake S3 maps keys to files: empty, . and .. segments are refused', `/${name}/${key}`);
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      record(req.method === 'GET' ? 'GetObject' : 'HeadObject');
      await get(key, req.method === 'HEAD', res);
      return;
    }
    if (req.method === 'PUT' && !req.headers['x-amz-copy-source']) {
      record('PutObject');
      await put(key, req, res);
      return;
    }
    record('Unsupported');
    sendError(res, 501, 'NotImplemented', `the fake S3 does not implement ${req.method} on an object`, `/${name}/${key}`);
  }

  async function list(url: { readonly searchParams: URLSearchParams }, res: ServerResponse): Promise<void> {
    const maxKeys = Number(url.searchParams.get('max-keys') ?? 1000);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) {
      sendError(res, 400, 'InvalidArgument', 'max-keys must be a non-negative integer', `/${bucket}`);
      return;
    }
    const param = (n: string): string | undefined => url.searchParams.get(n) ?? undefined;
    const query = {
      prefix: param('prefix') ?? '',
      maxKeys: Math.min(maxKeys, 1000),
      ...(param('delimiter') ? { delimiter: param('delimiter') } : {}),
      ...(param('start-after') !== undefined ? { startAfter: param('start-after') } : {}),
      ...(param('continuation-token') !== undefined ? { continuationToken: param('continuation-token') } : {}),
    };
    const page = listPage(await listFolder(options.dir), query);
    sendXml(res, 200, listResultXml(bucket, query, page));
  }

  async function get(key: string, head: boolean, res: ServerResponse): Promise<void> {
    const path = join(options.dir, key);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      if (head) {
        res.writeHead(404, { 'x-amz-request-id': 'fake' });
        res.end();
      } else sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', `/${bucket}/${key}`);
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': info.size,
      etag: fakeEtag(info.size, info.mtimeMs),
      'last-modified': info.mtime.toUTCString(),
      'x-amz-request-id': 'fake',
    });
    if (head) {
      res.end();
      return;
    }
    createReadStream(path).on('error', () => res.destroy()).pipe(res);
  }

  async function put(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = await readBody(req);
    const encoding = String(req.headers['content-encoding'] ?? '');
    const sha = String(req.headers['x-amz-content-sha256'] ?? '');
    if (encoding.includes('aws-chunked') || sha.startsWith('STREAMING-')) body = decodeAwsChunked(body);
    await writeLakeFile(options.dir, key, body);
    const info = await stat(join(options.dir, key));
    res.writeHead(200, { etag: fakeEtag(info.size, info.mtimeMs), 'content-length': 0, 'x-amz-request-id': 'fake' });
    res.end();
  }

  const listening = await listenLocal(server, options);
  return {
    endpoint: listening.endpoint,
    port: listening.port,
    bucket,
    requests,
    close: listening.close,
  };
}
