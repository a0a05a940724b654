import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectVersion, VersionListing } from '../../../shared/objects';
import { boundedPages } from './bounded-pages';
import { classifyS3Error } from './classify-s3-error';
import { copySource } from './copy-objects';

/**
 * Lists the versions and delete markers of one key, newest first, only when asked (never
 * during browsing). A service without versioning says so instead of failing. The listing is
 * bounded (boundedPages) and stops, failing as cancelled, once `signal` aborts.
 */
export async function listVersions(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<VersionListing> {
  let status: string | undefined;
  try {
    status = (await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
  } catch (error) {
    if (classifyS3Error(error)?.code === 'not-supported') {
      return {
        supported: false,
        reason: 'This service does not keep versions of objects.',
        bucketVersioning: 'off',
        versions: [],
      };
    }
    throw error;
  }
  const pages = boundedPages<ObjectVersion, { KeyMarker: string; VersionIdMarker?: string }>(
    async (marker) => {
      const page = await client.send(
        new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, ...marker }),
        signal ? { abortSignal: signal } : {},
      );
      const items: ObjectVersion[] = [];
      for (const v of page.Versions ?? []) {
        if (v.Key !== key) continue;
        items.push({
          versionId: v.VersionId ?? 'null',
          isLatest: v.IsLatest ?? false,
          isDeleteMarker: false,
          size: v.Size ?? 0,
          lastModified: v.LastModified?.toISOString() ?? null,
          etag: v.ETag ?? null,
          storageClass: v.StorageClass ?? null,
        });
      }
      for (const m of page.DeleteMarkers ?? []) {
        if (m.Key !== key) continue;
        items.push({
          versionId: m.VersionId ?? 'null',
          isLatest: m.IsLatest ?? false,
          isDeleteMarker: true,
          size: 0,
          lastModified: m.LastModified?.toISOString() ?? null,
          etag: null,
          storageClass: null,
        });
      }
      // Past our key once the page lists another key (one that merely shares the prefix): later
      // pages only hold such keys. Not judged by NextKeyMarker, which MinIO makes opaque
      // ("a.txt[minio_cache:v2,return:]" sorts after "a.txt" while more of its versions follow).
      const pastKey = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].some((v) => v.Key !== key);
      const next = page.NextKeyMarker
        ? {
            KeyMarker: page.NextKeyMarker,
            ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}),
          }
        : undefined;
      return { items, truncated: page.IsTruncated === true && !pastKey, next };
    },
    { what: `version listing of ${key}`, ...(signal ? { signal } : {}), onCancel: 'throw' },
  );
  const versions: ObjectVersion[] = [];
  for await (const page of pages) versions.push(...page);
  versions.sort(
    (a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? '') || Number(b.isLatest) - Number(a.isLatest),
  );
  return {
    supported: true,
    reason: null,
    bucketVersioning: status === 'Enabled' ? 'enabled' : status === 'Suspended' ? 'suspended' : 'off',
    versions,
  };
}

/** Restores a version by copying it over the current one (a new version; history is kept). */
export async function restoreVersion(
  client: S3Client,
  bucket: string,
  key: string,
  versionId: string,
): Promise<string | null> {
  const output = await client.send(
    new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: copySource(bucket, key, versionId) }),
  );
  return output.VersionId ?? null;
}

/** Deletes one version (or delete marker) for good. */
export async function deleteVersion(client: S3Client, bucket: string, key: string, versionId: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
}
