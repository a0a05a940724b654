import { GetObjectTaggingCommand, type S3Client, type Tag } from '@aws-sdk/client-s3';
import type { LifecyclePreview } from '../../../shared/bucket-rules';
import { objectPages } from '../s3/object-pages';

/** The most objects a preview lists before it says "at least". */
export const PREVIEW_MAX_LISTED = 100_000;

/** The most GetObjectTagging requests a preview sends (one per object) before it says "at least". */
export const PREVIEW_MAX_TAG_READS = 1_000;

/** How many tag reads run at once. */
const TAG_READS_AT_ONCE = 8;

/** What a preview counts, and how it reports and stops. */
export interface PreviewRequest {
  bucket: string;
  prefix: string;
  tags: readonly { key: string; value: string }[];
  signal: AbortSignal;
  /** Called as the count grows (the caller throttles). */
  progress(listed: number, matched: number): void;
  maxListed?: number;
  maxTagReads?: number;
  pageSize?: number;
}

/** True where an object's tags hold every tag of the filter. */
function hasEveryTag(objectTags: readonly Tag[], wanted: PreviewRequest['tags']): boolean {
  return wanted.every((w) => objectTags.some((t) => t.Key === w.key && (t.Value ?? '') === w.value));
}

/**
 * Counts the objects a lifecycle rule's filter matches now: every object under the prefix
 * (ListObjectsV2, bounded), and where the filter names tags, each object's tags (one
 * GetObjectTagging each, at most `maxTagReads`). It stops at its bounds, saying where, or when
 * the signal aborts, answering with what it counted: a preview, not a promise.
 */
export async function previewLifecycleMatches(client: S3Client, request: PreviewRequest): Promise<LifecyclePreview> {
  const maxListed = request.maxListed ?? PREVIEW_MAX_LISTED;
  const maxTagReads = request.maxTagReads ?? PREVIEW_MAX_TAG_READS;
  let listed = 0;
  let matched = 0;
  let tagReads = 0;
  let capped: LifecyclePreview['capped'] = null;
  const pages = objectPages(
    client,
    { bucket: request.bucket, prefix: request.prefix, ...(request.pageSize ? { pageSize: request.pageSize } : {}) },
    { signal: request.signal, onCancel: 'return', what: `listing of s3://${request.bucket}/${request.prefix}` },
  );
  try {
    walk: for await (const page of pages) {
      for (let start = 0; start < page.length; start += TAG_READS_AT_ONCE) {
        if (request.signal.aborted) break walk;
        const batch = page.slice(start, start + TAG_READS_AT_ONCE);
        if (listed + batch.length > maxListed) {
          capped = 'listing';
          break walk;
        }
        if (request.tags.length === 0) {
          listed += batch.length;
          matched += batch.length;
        } else {
          if (tagReads + batch.length > maxTagReads) {
            capped = 'tag-reads';
            break walk;
          }
          tagReads += batch.length;
          const found = await Promise.all(
            batch.map(async (object) => {
              const tags = await client.send(new GetObjectTaggingCommand({ Bucket: request.bucket, Key: object.Key }), {
                abortSignal: request.signal,
              });
              return hasEveryTag(tags.TagSet ?? [], request.tags);
            }),
          );
          listed += batch.length;
          matched += found.filter(Boolean).length;
        }
        request.progress(listed, matched);
      }
    }
  } catch (error) {
    // A cancel aborts the request in flight: what was counted until then is the answer.
    if (!request.signal.aborted) throw error;
  }
  return { matched, listed, capped, cancelled: request.signal.aborted };
}
