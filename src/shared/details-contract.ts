import { z } from 'zod';
import { event, request } from './contract-spec';
import {
  objectEditSchema,
  tagSetSchema,
  type BucketDetails,
  type CustomerKeyStatus,
  type ObjectDetails,
} from './details';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const key = z.string().min(1).max(1024);
const keys = z.array(key).min(1, 'Select a file first.').max(10_000);
const versionId = z.string().min(1).max(1024).optional();

/** Request channels of the details panel (object and bucket properties, metadata, tags, encryption). */
export const detailsRequests = {
  /** One HEAD plus tags and ACL (each shown as unavailable, with why, where the service lacks it). */
  'details.object': request<ObjectDetails>()(z.object({ accountId, bucket, key, versionId }).strict()),
  /** Edits headers, metadata and storage class by CopyObject onto itself (REPLACE), keeping all else. */
  'details.editObjects': request<{ operationId: string }>()(
    z.object({ accountId, bucket, keys, edit: objectEditSchema }).strict(),
  ),
  /** Replaces the tag set of each object (an empty set deletes the tags). */
  'details.setTags': request<{ operationId: string }>()(
    z.object({ accountId, bucket, keys, tags: tagSetSchema }).strict(),
  ),
  'details.bucket': request<BucketDetails>()(z.object({ accountId, bucket }).strict()),
  'details.setVersioning': request<BucketDetails>()(
    z.object({ accountId, bucket, status: z.enum(['enabled', 'suspended']) }).strict(),
  ),
  /** Counts the objects and bytes under a prefix (on request only: it lists every key). */
  'details.folderSize': request<{ objects: number; bytes: number }>()(
    z.object({ accountId, bucket, prefix: z.string().max(1024) }).strict(),
  ),
  /** The first bytes of a text file for the preview (ranged GET; `truncated` when there is more). */
  'details.previewText': request<{ text: string; truncated: boolean }>()(
    z
      .object({
        accountId,
        bucket,
        key,
        versionId,
        maxBytes: z
          .number()
          .int()
          .min(1)
          .max(1024 * 1024)
          .default(256 * 1024),
      })
      .strict(),
  ),
  /** A short-lived URL the panel streams an image, PDF, audio or video from (never downloaded whole). */
  'details.previewUrl': request<{ url: string }>()(z.object({ accountId, bucket, key, versionId }).strict()),
  'sse.status': request<CustomerKeyStatus>()(z.object({ accountId }).strict()),
  /**
   * Stores a customer key (base64 of 32 bytes) in the keychain. The UI generates one with
   * crypto.getRandomValues and shows it once before saving: the key never comes back from main.
   */
  'sse.setKey': request<CustomerKeyStatus>()(
    z
      .object({
        accountId,
        key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'An SSE-C key is 32 bytes, given as 44 characters of base64.'),
      })
      .strict(),
  ),
  'sse.removeKey': request<CustomerKeyStatus>()(z.object({ accountId }).strict()),
} as const;

/** Event channels of the details panel. */
export const detailsEvents = {
  /** An object's properties changed (an edit finished): a panel showing it reloads. */
  'details.changed': event<{ accountId: string; bucket: string; keys: string[] }>(),
} as const;
