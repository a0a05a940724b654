import { createHash } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { AppFailure } from '../app-failure';
import { httpStatusOf } from '../s3/classify-s3-error';

/** Where a save goes, and what the person last saw there. */
export interface SaveTarget {
  bucket: string;
  key: string;
  /** The ETag of the version the session read or last wrote; the save goes up only over it (null: only where nothing is). */
  expectedEtag: string | null;
}

/** What a conditional save came to. */
export type SaveResult =
  | { kind: 'stored'; etag: string; versionId: string | null }
  /** The object changed (or was deleted) on the server since: nothing was written. */
  | { kind: 'changed'; serverEtag: string | null; serverModifiedAt: string | null };

/** What the session knows of the service: whether PUT honours If-Match (learned from its answers). */
export interface ConditionalWrites {
  ifMatch: 'try' | 'unsupported';
}

/** ETags compared without their quotes (services differ in sending them). */
export function sameEtag(a: string | null | undefined, b: string | null | undefined): boolean {
  const bare = (etag: string | null | undefined) => (etag ?? '').replace(/^W\//, '').replace(/"/g, '');
  return bare(a) !== '' && bare(a) === bare(b);
}

/** The headers a save keeps from the object it replaces: a PUT sets them anew, so they are sent again. */
function keptHeaders(head: HeadObjectCommandOutput) {
  return {
    ...(head.ContentType ? { ContentType: head.ContentType } : {}),
    ...(head.CacheControl ? { CacheControl: head.CacheControl } : {}),
    ...(head.ContentDisposition ? { ContentDisposition: head.ContentDisposition } : {}),
    ...(head.ContentEncoding ? { ContentEncoding: head.ContentEncoding } : {}),
    ...(head.ContentLanguage ? { ContentLanguage: head.ContentLanguage } : {}),
    ...(head.Metadata && Object.keys(head.Metadata).length > 0 ? { Metadata: head.Metadata } : {}),
    ...(head.StorageClass && head.StorageClass !== 'STANDARD' ? { StorageClass: head.StorageClass } : {}),
    ...(head.ServerSideEncryption ? { ServerSideEncryption: head.ServerSideEncryption } : {}),
    ...(head.SSEKMSKeyId ? { SSEKMSKeyId: head.SSEKMSKeyId } : {}),
  };
}

/** The object's current HEAD, or undefined where it is gone. */
async function headOrGone(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key }),
      signal ? { abortSignal: signal } : {},
    );
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    throw error;
  }
}

/** A refused save, with what the server holds now. */
function changed(head: HeadObjectCommandOutput | undefined): SaveResult {
  return {
    kind: 'changed',
    serverEtag: head?.ETag ?? null,
    serverModifiedAt: head?.LastModified?.toISOString() ?? null,
  };
}

/**
 * Uploads a saved file over an object only if the object is still the version the person opened.
 * The object's HEAD is compared first (every service answers HEAD), then the PUT carries
 * `If-Match` with the same ETag (`If-None-Match: *` where it should not exist), so a change between the two is refused by the service itself
 * (412) where it supports conditional writes; a service that answers NotImplemented or 501 to
 * If-Match is remembered in `writes` and asked without it (the HEAD compare still stands). The
 * object's content type, metadata, storage class and server-side encryption are sent again,
 * since a PUT replaces them. The stored bytes are checked: Content-MD5 on the way, and the
 * answer's ETag where the service's ETags are MD5s.
 */
export async function putIfUnchanged(
  client: S3Client,
  target: SaveTarget,
  bytes: Buffer,
  writes: ConditionalWrites,
  options: { etagsAreMd5: boolean; signal?: AbortSignal },
): Promise<SaveResult> {
  const { bucket, key, expectedEtag } = target;
  const head = await headOrGone(client, bucket, key, options.signal);
  if (expectedEtag === null ? head !== undefined : !head || !sameEtag(head.ETag, expectedEtag)) return changed(head);
  if (head?.SSECustomerAlgorithm) {
    throw new AppFailure(
      'not-supported',
      'This file is encrypted with a customer key (SSE-C): edit it by downloading and uploading it with the key.',
    );
  }
  const md5 = createHash('md5').update(bytes).digest();
  const put = (ifMatch: boolean) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.length,
        ContentMD5: md5.toString('base64'),
        ...(head ? keptHeaders(head) : {}),
        ...(ifMatch ? (head?.ETag ? { IfMatch: head.ETag } : { IfNoneMatch: '*' }) : {}),
      }),
      options.signal ? { abortSignal: options.signal } : {},
    );
  let stored;
  try {
    stored = await put(writes.ifMatch === 'try');
  } catch (error) {
    const status = httpStatusOf(error);
    const name = (error as { name?: string }).name;
    if (status === 412 || name === 'PreconditionFailed') return changed(await headOrGone(client, bucket, key));
    if (writes.ifMatch === 'try' && (status === 501 || name === 'NotImplemented')) {
      writes.ifMatch = 'unsupported';
      stored = await put(false);
    } else {
      throw error;
    }
  }
  const etag = stored.ETag ?? '';
  const plainMd5Etag = /^"?[0-9a-f]{32}"?$/i.test(etag);
  if (options.etagsAreMd5 && plainMd5Etag && !head?.SSEKMSKeyId && !sameEtag(etag, md5.toString('hex'))) {
    throw new AppFailure('internal', 'The service stored different bytes than the app sent. Save the file again.', {
      detail: `ETag ${etag}, MD5 sent ${md5.toString('hex')}`,
    });
  }
  return { kind: 'stored', etag, versionId: stored.VersionId ?? null };
}

/** "report.txt" → "report (edited).txt", then "report (edited 2).txt" …: where a save goes when kept as a copy. */
export function copyKeyFor(key: string, attempt: number): string {
  const slash = key.lastIndexOf('/') + 1;
  const folder = key.slice(0, slash);
  const name = key.slice(slash);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${folder}${stem} (edited${attempt > 1 ? ` ${attempt}` : ''})${ext}`;
}

/**
 * Saves the bytes as a new object next to `key` ("name (edited).ext", numbered when taken), never
 * over anything: each name is looked up first, and the PUT carries `If-None-Match: *` where the
 * service takes it. Returns the key written.
 */
export async function putAsCopy(
  client: S3Client,
  bucket: string,
  key: string,
  bytes: Buffer,
  writes: ConditionalWrites,
  signal?: AbortSignal,
): Promise<string> {
  const md5 = createHash('md5').update(bytes).digest('base64');
  const original = await headOrGone(client, bucket, key, signal);
  for (let attempt = 1; attempt <= 100; attempt += 1) {
    const copyKey = copyKeyFor(key, attempt);
    if (await headOrGone(client, bucket, copyKey, signal)) continue;
    const put = (ifNoneMatch: boolean) =>
      client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: copyKey,
          Body: bytes,
          ContentLength: bytes.length,
          ContentMD5: md5,
          ...(original?.ContentType ? { ContentType: original.ContentType } : {}),
          ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
    try {
      await put(writes.ifMatch === 'try');
    } catch (error) {
      const status = httpStatusOf(error);
      const name = (error as { name?: string }).name;
      if (status === 412 || name === 'PreconditionFailed') continue;
      if (writes.ifMatch === 'try' && (status === 501 || name === 'NotImplemented')) {
        writes.ifMatch = 'unsupported';
        await put(false);
      } else {
        throw error;
      }
    }
    return copyKey;
  }
  throw new AppFailure(
    'conflict',
    `Every name from "${copyKeyFor(key, 1)}" to "${copyKeyFor(key, 100)}" is taken. Save the copy under another name.`,
  );
}

/** What the server holds at a key now: its ETag and version, or undefined where nothing is. */
export async function currentVersion(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<{ etag: string; versionId: string | null } | undefined> {
  const head = await headOrGone(client, bucket, key, signal);
  return head ? { etag: head.ETag ?? '', versionId: head.VersionId ?? null } : undefined;
}
