import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One object of the fake bucket: a file under its folder. */
export interface FakeS3Object {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
  readonly etag: string;
}

/** The query of a ListObjectsV2 request. */
export interface ListQuery {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  readonly startAfter?: string;
  readonly continuationToken?: string;
}

/** Files written here before being renamed into place (by the lake writers) are not objects. */
const HIDDEN_FOLDER = '_tmp';

/**
 * The ETag of a file: S3 gives the MD5 of the bytes; the fake derives one from size and modification time so that
 * listing never reads the files. Quoted, as S3 sends it.
 */
export function fakeEtag(size: number, mtimeMs: number): string {
  return `"${createHash('md5').update(`${size}:${mtimeMs}`).digest('hex')}"`;
}

/** Every file under `dir`, as S3 objects, sorted by key (S3 sorts by the key's UTF-8 bytes). */
export async function listFolder(dir: string): Promise<FakeS3Object[]> {
  const out: FakeS3Object[] = [];
  const walk = async (sub: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const key = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) {
        if (key !== HIDDEN_FOLDER) await walk(key);
      } else if (entry.isFile()) {
        const info = await stat(join(dir, key));
        out.push({ key, size: info.size, lastModified: info.mtime, etag: fakeEtag(info.size, info.mtimeMs) });
      }
    }
  };
  await walk('');
  return out.sort((a, b) => compareKeys(a.key, b.key));
}

/** One page of a listing: objects, common prefixes, and where the next page starts. */
export interface ListPage {
  readonly contents: readonly FakeS3Object[];
  readonly commonPrefixes: readonly string[];
  readonly nextToken?: string;
}

/** Applies ListObjectsV2's prefix, start-after, continuation token, delimiter and max-keys to sorted objects. */
export function listPage(objects: readonly FakeS3Object[], query: ListQuery): ListPage {
  const after = query.continuationToken !== undefined ? Buffer.from(query.continuationToken, 'base64url').toString('utf8') : query.startAfter;
  const contents: FakeS3Object[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  for (const object of objects) {
    if (!object.key.startsWith(query.prefix) || (after !== undefined && compareKeys(object.key, after) <= 0)) continue;
    const rest = object.key.slice(query.prefix.length);
    const cut = query.delimiter ? rest.indexOf(query.delimiter) : -1;
    if (cut !== -1) {
      const common = query.prefix + rest.slice(0, cut + query.delimiter!.length);
      if (commonPrefixes.at(-1) === common) {
        last = object.key;
        continue;
      }
      if (contents.length + commonPrefixes.length === query.maxKeys) return { contents, commonPrefixes, nextToken: token(last) };
      commonPrefixes.push(common);
    } else {
      if (contents.length + commonPrefixes.length === query.maxKeys) return { contents, commonPrefixes, nextToken: token(last) };
      contents.push(object);
    }
    last = object.key;
  }
  return { contents, commonPrefixes };
}

/** S3's key order: by UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function token(key: string | undefined): string | undefined {
  return key === undefined ? undefined : Buffer.from(key, 'utf8').toString('base64url');
}

/** Escapes text for an XML element. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The `ListBucketResult` XML of one page, as S3 answers ListObjectsV2. */
export function listResultXml(bucket: string, query: ListQuery, page: ListPage): string {
  const element = (name: string, value: string | number | undefined): string => (value === undefined ? '' : `<${name}>${xmlText(String(value))}</${name}>`);
  const contents = page.contents
    .map(
      (o) =>
        `<Contents>${element('Key', o.key)}${element('LastModified', o.lastModified.toISOString())}${element('ETag', o.etag)}${element('Size', o.size)}<StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const prefixes = page.commonPrefixes.map((p) => `<CommonPrefixes>${element('Prefix', p)}</CommonPrefixes>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `${element('Name', bucket)}${element('Prefix', query.prefix)}${element('Delimiter', query.delimiter)}${element('StartAfter', query.startAfter)}` +
    `${element('ContinuationToken', query.continuationToken)}${element('NextContinuationToken', page.nextToken)}` +
    `${element('KeyCount', page.contents.length + page.commonPrefixes.length)}${element('MaxKeys', query.maxKeys)}` +
    `<IsTruncated>${page.nextToken !== undefined}</IsTruncated>${contents}${prefixes}</ListBucketResult>`
  );
}
