import { z } from 'zod';
import { request } from './contract-spec';
import {
  expirySecondsSchema,
  getLinkOptionsSchema,
  objectAccessValues,
  putLinkOptionsSchema,
  type DropBoxCors,
  type DropBoxLink,
  type ObjectUrls,
  type PostPolicyLink,
  type ShareLink,
} from './share';
import { cannedAcls } from './transfers';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const key = z.string().min(1).max(1024);
/** A POST upload's size limit: at least 1 byte, at most 5 GiB (S3's limit for one POST). */
const maxSizeBytes = z
  .number()
  .int()
  .min(1, 'The size limit must be at least 1 byte.')
  .max(5 * 1024 ** 3, 'A POST upload is at most 5 GiB.');

/** Request channels for share links (presigned GET, PUT and POST), spread into the contract. */
export const shareRequests = {
  /** Download links, one per key (several selected files give one link per line). */
  'share.getLinks': request<ShareLink[]>()(
    z
      .object({
        accountId,
        bucket,
        keys: z.array(key).min(1, 'Select a file to share.').max(1000),
        expiresInSeconds: expirySecondsSchema,
        options: getLinkOptionsSchema.default({ forceDownload: false }),
      })
      .strict(),
  ),
  /** An upload link for one key: whoever has it can PUT that key until it expires. */
  'share.putLink': request<ShareLink>()(
    z
      .object({
        accountId,
        bucket,
        key,
        expiresInSeconds: expirySecondsSchema,
        options: putLinkOptionsSchema.default({ acl: 'private' }),
      })
      .strict(),
  ),
  /** A presigned POST policy: uploads under a key prefix, up to a size; not-supported where the service lacks it. */
  'share.postPolicy': request<PostPolicyLink>()(
    z
      .object({
        accountId,
        bucket,
        keyPrefix: z.string().max(1024),
        maxSizeBytes,
        expiresInSeconds: expirySecondsSchema,
        contentType: z.string().max(255).optional(),
        acl: z.enum(cannedAcls).default('private'),
      })
      .strict(),
  ),
  /**
   * A drop box for a folder (or the bucket's root, prefix ''): a POST policy limited to that
   * prefix, a size and a lifetime, with a self-contained upload page that uses it, and whether
   * the bucket's CORS lets that page upload. not-supported where the service lacks POST forms.
   */
  'share.dropBox': request<DropBoxLink>()(
    z
      .object({
        accountId,
        bucket,
        prefix: z
          .string()
          .max(1024)
          .refine((p) => p === '' || p.endsWith('/'), 'A drop box is made for a folder: its prefix ends with /.'),
        maxSizeBytes,
        expiresInSeconds: expirySecondsSchema,
      })
      .strict(),
  ),
  /** Whether the bucket's CORS lets the upload page (opened from a file or a data: link) POST. */
  'share.dropBoxCors': request<DropBoxCors>()(z.object({ accountId, bucket }).strict()),
  /** Adds the narrow CORS rule the upload page needs (keeping the bucket's other rules), then checks again. */
  'share.allowDropBoxCors': request<DropBoxCors>()(z.object({ accountId, bucket }).strict()),
  /**
   * Saves a drop box's page (made in this session, named by its link id) where the person picks,
   * with the desktop app's save dialog; `saved` is null when they cancel. Desktop app only:
   * a browser downloads the page it already has.
   */
  'share.saveDropBoxPage': request<{ saved: string | null }>()(
    z.object({ linkId: z.string().min(1).max(100) }).strict(),
  ),
  /**
   * "Make public" / "Make private": sets the canned ACL public-read or private on each object
   * (folders are expanded), as a long operation; not-supported where the service keeps no ACLs.
   */
  'share.setAccess': request<{ operationId: string }>()(
    z
      .object({
        accountId,
        bucket,
        keys: z.array(key).min(1, 'Select a file first.').max(10_000),
        access: z.enum(objectAccessValues),
      })
      .strict(),
  ),
  /** The s3:// URI and the plain public URL of an object, and whether it is publicly readable. */
  'share.urls': request<ObjectUrls>()(z.object({ accountId, bucket, key }).strict()),
  /** The links made so far (newest first), expired ones included until cleared. */
  'share.history': request<ShareLink[]>()(z.object({}).strict()),
  'share.clearHistory': request<{ cleared: number }>()(z.object({}).strict()),
} as const;
