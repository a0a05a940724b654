import type { S3Client } from '@aws-sdk/client-s3';
import { objectPages } from '../s3/object-pages';

/** An object below the sync's prefix, by its path below it. */
export interface RemoteObject {
  path: string;
  size: number;
  mtimeMs: number;
  etag: string;
}

/**
 * The objects below a prefix in S3's order, one ListObjectsV2 page (1,000 keys) in memory at a
 * time, through the bounded pager. Folder markers (keys ending in '/') are not files and are passed over.
 */
export async function* walkRemoteTree(
  client: S3Client,
  where: { bucket: string; prefix: string; pageSize?: number },
  signal?: AbortSignal,
): AsyncGenerator<RemoteObject> {
  const pages = objectPages(
    client,
    { bucket: where.bucket, prefix: where.prefix, ...(where.pageSize ? { pageSize: where.pageSize } : {}) },
    { ...(signal ? { signal } : {}), onCancel: 'throw' },
  );
  for await (const page of pages) {
    for (const object of page) {
      if (object.Key === undefined || object.Key.endsWith('/')) continue;
      yield {
        path: object.Key.slice(where.prefix.length),
        size: object.Size ?? 0,
        mtimeMs: object.LastModified?.getTime() ?? 0,
        etag: (object.ETag ?? '').replaceAll('"', ''),
      };
    }
  }
}
