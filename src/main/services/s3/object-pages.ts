import { ListObjectsV2Command, type _Object, type S3Client } from '@aws-sdk/client-s3';
import { boundedPages, type BoundedPagesOptions } from './bounded-pages';

/** Which keys a walk lists: every object below a prefix, recursively (no delimiter). */
export interface ObjectWalk {
  bucket: string;
  prefix: string;
  /** Keys per page (S3's default and most is 1,000). */
  pageSize?: number;
}

/**
 * Every object below a prefix, one ListObjectsV2 page at a time, through boundedPages: a
 * service that keeps answering "truncated" with the same continuation token, or with empty
 * pages that lead nowhere, gets a clear error instead of being asked for ever. The signal (of
 * the operation, or of the request whose client may leave) also aborts the request in flight.
 */
export function objectPages(
  client: S3Client,
  walk: ObjectWalk,
  options: Omit<BoundedPagesOptions, 'what'> & { what?: string },
): AsyncGenerator<_Object[]> {
  return boundedPages<_Object, string>(
    async (token) => {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: walk.bucket,
          Prefix: walk.prefix,
          ...(walk.pageSize ? { MaxKeys: walk.pageSize } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
        options.signal ? { abortSignal: options.signal } : {},
      );
      return { items: page.Contents ?? [], truncated: page.IsTruncated === true, next: page.NextContinuationToken };
    },
    { ...options, what: options.what ?? `listing of s3://${walk.bucket}/${walk.prefix}` },
  );
}
