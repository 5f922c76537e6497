import { mkdtemp, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { writeLakeFile } from '@fiat/core';
import { startFakeS3Server, type FakeS3Server } from './server.js';

let server: FakeS3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(files: Record<string, string>): Promise<{ client: S3Client; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'fiat-s3-'));
  for (const [key, text] of Object.entries(files)) await writeLakeFile(dir, key, Buffer.from(text));
  server = await startFakeS3Server({ dir, bucket: 'lake' });
  const client = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  return { client, dir };
}

describe('startFakeS3Server with the real S3Client', () => {
  it('lists the objects under a prefix in key order, page by page', async () => {
    // Prepare
    const { client } = await start({
      'audit/dt=2026-11-27/b.gz': 'b',
      'audit/dt=2026-11-26/a.gz': 'a',
      'audit/dt=2026-11-26/c.gz': 'cc',
      'other/x.gz': 'x',
    });
    // Act
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client, pageSize: 2 }, { Bucket: 'lake', Prefix: 'audit/' })) {
      pages += 1;
      keys.push(...(page.Contents ?? []).map((o) => `${o.Key}:${o.Size}`));
    }
    // Assess
    expect(keys).toEqual(['audit/dt=2026-11-26/a.gz:1', 'audit/dt=2026-11-26/c.gz:2', 'audit/dt=2026-11-27/b.gz:1']);
    expect(pages).toBe(2);
  });

  it('honours start-after and the delimiter', async () => {
    const { client } = await start({ 'audit/dt=2026-11-26/a.gz': 'a', 'audit/dt=2026-11-27/b.gz': 'b', 'audit/dt=2026-11-28/c.gz': 'c' });
    const after = await client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'audit/', StartAfter: 'audit/dt=2026-11-27' }));
    expect(after.Contents?.map((o) => o.Key)).toEqual(['audit/dt=2026-11-27/b.gz', 'audit/dt=2026-11-28/c.gz']);
    const folders = await client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'audit/', Delimiter: '/' }));
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['audit/dt=2026-11-26/', 'audit/dt=2026-11-27/', 'audit/dt=2026-11-28/']);
    expect(folders.Contents ?? []).toEqual([]);
  });

  it('gets an object byte for byte, and answers NoSuchKey and NoSuchBucket as S3 does', async () => {
    // Prepare
    const { client } = await start({ 'audit/dt=2026-11-26/a.gz': 'héllo\n' });
    // Act
    const object = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'audit/dt=2026-11-26/a.gz' }));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'audit/dt=2026-11-26/a.gz' }));
    // Assess
    expect(await object.Body!.transformToString()).toBe('héllo\n');
    expect(head.ContentLength).toBe(7);
    await expect(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'audit/missing.gz' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(client.send(new ListObjectsV2Command({ Bucket: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(server!.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetObject 200', 'HeadObject 200', 'GetObject 404', 'Unsupported 404']);
  });

  it('stores what PutObject sends as a file of the folder', async () => {
    const { client, dir } = await start({});
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'audit/dt=2026-11-26/new.gz', Body: Buffer.from('line\n') }));
    expect(await readFile(join(dir, 'audit/dt=2026-11-26/new.gz'), 'utf8')).toBe('line\n');
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'lake' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['audit/dt=2026-11-26/new.gz']);
  });

  it('refuses keys that would leave the folder', async () => {
    // Prepare
    await start({});
    // Act: encoded dots survive URL normalisation and reach the key.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server!.port, method: 'PUT', path: '/lake/a/%2e%2e/%2e%2e/x' }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end('x');
    });
    // Assess
    expect(status).toBe(400);
    expect(body).toContain('<Code>InvalidArgument</Code>');
  });
});
