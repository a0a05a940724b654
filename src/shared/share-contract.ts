import { z } from 'zod';
import { request } from './contract-spec';
import {
  expirySecondsSchema,
  getLinkOptionsSchema,
  putLinkOptionsSchema,
  type ObjectUrls,
  type PostPolicyLink,
  type ShareLink,
} from './share';
import { cannedAcls } from './transfers';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const key = z.string().min(1).max(1024);

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
        maxSizeBytes: z
          .number()
          .int()
          .min(1, 'The size limit must be at least 1 byte.')
          .max(5 * 1024 ** 3, 'A POST upload is at most 5 GiB.'),
        expiresInSeconds: expirySecondsSchema,
        contentType: z.string().max(255).optional(),
        acl: z.enum(cannedAcls).default('private'),
      })
      .strict(),
  ),
  /** The s3:// URI and the plain public URL of an object, and whether it is publicly readable. */
  'share.urls': request<ObjectUrls>()(z.object({ accountId, bucket, key }).strict()),
  /** The links made so far (newest first), expired ones included until cleared. */
  'share.history': request<ShareLink[]>()(z.object({}).strict()),
  'share.clearHistory': request<{ cleared: number }>()(z.object({}).strict()),
} as const;
