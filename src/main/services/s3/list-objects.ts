import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { AppFailure } from '../app-failure';
import { leanListObjectsV2 } from './lean-requests';
import { readListBucketResult, type ListedPage } from './list-xml';
import { displayName, type FileEntry, type FolderEntry, type ListingPage } from '../../../shared/objects';

/** What one page request asks for. */
export interface ListPageRequest {
  bucket: string;
  prefix: string;
  recursive: boolean;
  continuationToken?: string;
  pageSize: number;
  /** Aborts the request when whoever asked has gone. */
  signal?: AbortSignal;
}

/**
 * Lists one page of a folder with ListObjectsV2 (Delimiter '/' unless recursive), turning
 * common prefixes into folders and objects into files. No HEAD per object and no version
 * listing: those made other clients take minutes on large folders. The folder's own marker
 * object ("photos/" inside "photos/") is not listed as a file. A page that sends the caller
 * back to the token it came with is an error: the renderer asks page after page, and would ask
 * for that same page for ever.
 */
export async function listObjectsPage(client: S3Client, request: ListPageRequest): Promise<ListingPage> {
  const output = (await leanPage(client, request)) ?? (await sdkPage(client, request));
  const nextToken = output.IsTruncated && output.NextContinuationToken ? output.NextContinuationToken : null;
  if (nextToken !== null && nextToken === request.continuationToken) {
    throw new AppFailure(
      'internal',
      `The service answered the listing of s3://${request.bucket}/${request.prefix} with the same page again: it was stopped, so as not to ask for ever.`,
    );
  }
  const folders: FolderEntry[] = (output.CommonPrefixes ?? [])
    .map((p) => p.Prefix)
    .filter((key): key is string => typeof key === 'string')
    .map((key) => ({ kind: 'folder', key, name: displayName(key, request.prefix) }));
  const files: FileEntry[] = (output.Contents ?? [])
    .filter((o): o is typeof o & { Key: string } => typeof o.Key === 'string' && o.Key !== request.prefix)
    .map((o) => ({
      kind: 'file',
      key: o.Key,
      name: request.recursive ? o.Key.slice(request.prefix.length) : displayName(o.Key, request.prefix),
      size: o.Size ?? 0,
      lastModified: o.LastModified?.toISOString() ?? null,
      storageClass: o.StorageClass ?? null,
      etag: o.ETag ?? null,
    }));
  return {
    folders,
    files,
    nextToken,
  };
}

/** The page through the SDK: its retries, its errors, its redirects. */
function sdkPage(client: S3Client, request: ListPageRequest) {
  return client.send(
    new ListObjectsV2Command({
      Bucket: request.bucket,
      Prefix: request.prefix || undefined,
      ...(request.recursive ? {} : { Delimiter: '/' }),
      ...(request.continuationToken ? { ContinuationToken: request.continuationToken } : {}),
      MaxKeys: request.pageSize,
      // Keys come back raw; URL encoding is an option that some servers apply inconsistently.
    }),
    request.signal ? { abortSignal: request.signal } : {},
  );
}

/**
 * The page as one plain signed request, read by the app's own reader (lean-requests.ts,
 * list-xml.ts); undefined when the SDK should list it instead (see leanListObjectsV2), or when
 * the answer is not one the reader takes.
 */
export async function leanPage(client: S3Client, request: ListPageRequest): Promise<ListedPage | undefined> {
  const xml = await leanListObjectsV2(
    client,
    request.bucket,
    {
      prefix: request.prefix,
      delimiter: request.recursive ? undefined : '/',
      continuationToken: request.continuationToken || undefined,
      maxKeys: request.pageSize,
    },
    request.signal,
  );
  return xml === undefined ? undefined : readListBucketResult(xml);
}
