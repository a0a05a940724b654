import { createHash } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AppFailure } from '../app-failure';
import { sameEtag } from './conditional-put';

/** Files above this size are not edited in place: a save is read whole to be hashed and sent in one PUT. */
export const MAX_EDIT_BYTES = 256 * 1024 * 1024;

/** What the session records of the copy it fetched. */
export interface FetchedCopy {
  path: string;
  etag: string;
  versionId: string | null;
  sha256: string;
}

/**
 * A key's last segment as a file name that stays inside the session's folder: separators,
 * control characters and the names '.' and '..' cannot escape it, and a long name keeps its end
 * (the extension decides which app opens it).
 */
export function localNameFor(key: string): string {
  const last = key.slice(key.lastIndexOf('/') + 1);
  // eslint-disable-next-line no-control-regex
  let name = last.replace(/[\u0000-\u001f\u007f\\/:*?"<>|\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, '_');
  name = name.replace(/[. ]+$/, '');
  if (name === '' || name === '.' || name === '..') name = 'file';
  while (Buffer.byteLength(name) > 200) name = name.slice(1);
  return name;
}

/**
 * Fetches one object into `folder` for editing: one GET (its answer names the ETag and version of
 * exactly these bytes), written under a temporary name and renamed when whole. The bytes are
 * checked by their size, and by their MD5 where the service's single-part ETags are MD5s and the
 * ETag has that form (not SSE-KMS). Refuses objects over MAX_EDIT_BYTES.
 */
export async function downloadForEdit(
  client: S3Client,
  source: { bucket: string; key: string },
  folder: string,
  options: { etagsAreMd5: boolean; signal?: AbortSignal },
): Promise<FetchedCopy> {
  const answer = await client.send(
    new GetObjectCommand({ Bucket: source.bucket, Key: source.key }),
    options.signal ? { abortSignal: options.signal } : {},
  );
  if (answer.SSECustomerAlgorithm) {
    throw new AppFailure(
      'not-supported',
      'This file is encrypted with a customer key (SSE-C): edit it by downloading and uploading it with the key.',
    );
  }
  if ((answer.ContentLength ?? 0) > MAX_EDIT_BYTES) {
    answer.Body?.transformToWebStream()
      .cancel()
      .catch(() => undefined);
    throw new AppFailure(
      'not-supported',
      `Files over ${MAX_EDIT_BYTES / 1024 / 1024} MiB are not edited in place. Download the file, edit it, then upload it.`,
    );
  }
  const bytes = Buffer.from((await answer.Body?.transformToByteArray()) ?? new Uint8Array());
  if (answer.ContentLength !== undefined && bytes.length !== answer.ContentLength) {
    throw new AppFailure('network', 'The download was cut short. Try again.', {
      detail: `${bytes.length} of ${answer.ContentLength} bytes`,
    });
  }
  const etag = answer.ETag ?? '';
  const md5 = createHash('md5').update(bytes).digest('hex');
  const md5Form = /^"?[0-9a-f]{32}"?$/i.test(etag);
  if (options.etagsAreMd5 && md5Form && !answer.SSEKMSKeyId && !sameEtag(etag, md5)) {
    throw new AppFailure('network', 'The downloaded bytes do not match the object. Try again.', {
      detail: `ETag ${etag}, MD5 of the bytes ${md5}`,
    });
  }
  const path = join(folder, localNameFor(source.key));
  const partial = join(folder, `.${localNameFor(source.key)}.s3fm-part`);
  try {
    await writeFile(partial, bytes, { mode: 0o600 });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return {
    path,
    etag,
    versionId: answer.VersionId ?? null,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
