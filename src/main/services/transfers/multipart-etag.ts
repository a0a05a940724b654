import { createHash } from 'node:crypto';

/** An ETag without its quotes ("abc" → abc), lower-cased: what the service sent, comparable. */
export function plainEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '').toLowerCase();
}

/** The MD5 of some bytes, as raw bytes (parts are sent with its base64 as Content-MD5). */
export function md5(data: Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}

/**
 * The ETag S3 gives a multipart upload: the MD5 of the parts' binary MD5s, then "-" and the
 * number of parts. Computed locally and compared after CompleteMultipartUpload.
 */
export function multipartEtag(partMd5s: readonly Uint8Array[]): string {
  const hash = createHash('md5');
  for (const part of partMd5s) hash.update(part);
  return `${hash.digest('hex')}-${partMd5s.length}`;
}

/** True when an ETag looks like a multipart upload's ("…-12"): it is not the object's MD5. */
export function isMultipartEtag(etag: string): boolean {
  return /-\d+$/.test(plainEtag(etag));
}
