import { z } from 'zod';
import { metadataKeySchema, storageClasses, userMetadataSchema } from './transfers';

/** A feature the service may lack: the value, or why it is not there. */
export type Availability<T> = { available: true; value: T } | { available: false; reason: string };

/** An object's properties as the details panel shows them (one HEAD, plus tags and ACL). */
export interface ObjectDetails {
  bucket: string;
  key: string;
  size: number;
  /** ISO 8601. */
  lastModified: string | null;
  etag: string | null;
  contentType: string | null;
  storageClass: string;
  versionId: string | null;
  encryption: {
    /** 'AES256', 'aws:kms', 'aws:kms:dsse', or null for none. */
    algorithm: string | null;
    kmsKeyId: string | null;
    /** Encrypted with a customer key (SSE-C): readable only with that key. */
    customerKey: boolean;
  };
  /** A flexible checksum stored with the object, where present. */
  checksum: { algorithm: string; value: string } | null;
  /** x-amz-meta-* without the prefix. */
  metadata: Record<string, string>;
  cacheControl: string | null;
  contentDisposition: string | null;
  contentEncoding: string | null;
  contentLanguage: string | null;
  /** ISO 8601. */
  expires: string | null;
  tags: Availability<{ key: string; value: string }[]>;
  acl: Availability<{ owner: string | null; grants: { grantee: string; permission: string }[] }>;
}

/** A bucket's properties for the details panel. */
export interface BucketDetails {
  name: string;
  region: string | null;
  versioning: Availability<'enabled' | 'suspended' | 'never-enabled'>;
  defaultEncryption: Availability<{ algorithm: string; kmsKeyId: string | null } | null>;
}

/**
 * User metadata for an edit: userMetadataSchema's rules, but a bad key is reported with the key
 * schema's own words under its name (zod's record says only "Invalid key in record").
 */
export const editMetadataSchema = z
  .record(z.string(), z.string())
  .superRefine((metadata, context) => {
    for (const key of Object.keys(metadata)) {
      const checked = metadataKeySchema.safeParse(key);
      if (!checked.success) {
        context.addIssue({ code: 'custom', path: [key], message: checked.error.issues[0]?.message ?? 'Invalid key.' });
      }
    }
  })
  .pipe(userMetadataSchema);

/** What a metadata edit may change; absent fields keep their current value (tags and encryption too). */
export const objectEditSchema = z
  .object({
    contentType: z.string().max(255).optional(),
    cacheControl: z.string().max(1024).optional(),
    contentDisposition: z.string().max(1024).optional(),
    contentEncoding: z.string().max(255).optional(),
    contentLanguage: z.string().max(255).optional(),
    /** ISO 8601, or '' to remove. */
    expires: z.string().max(64).optional(),
    /** Replaces all user metadata when given. */
    metadata: editMetadataSchema.optional(),
    storageClass: z.enum(storageClasses).optional(),
  })
  .strict();

/** A metadata edit. */
export type ObjectEdit = z.infer<typeof objectEditSchema>;

/** S3 allows at most 10 tags per object; keys up to 128 and values up to 256 Unicode characters. */
export const MAX_OBJECT_TAGS = 10;

/** The characters S3 allows in tag keys and values: letters, digits, spaces and _ . : / = + - @. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** One tag's key: 1 to 128 characters of S3's tag alphabet. */
export const tagKeySchema = z
  .string()
  .min(1, 'A tag key cannot be empty.')
  .max(128, 'A tag key has at most 128 characters.')
  .regex(TAG_CHARACTERS, 'A tag key may contain letters, digits, spaces and _ . : / = + - @.');

/** One tag's value: up to 256 characters of S3's tag alphabet. */
export const tagValueSchema = z
  .string()
  .max(256, 'A tag value has at most 256 characters.')
  .regex(TAG_CHARACTERS, 'A tag value may contain letters, digits, spaces and _ . : / = + - @.');

/** A tag set, checked against S3's limits before anything is sent. */
export const tagSetSchema = z
  .array(z.object({ key: tagKeySchema, value: tagValueSchema }).strict())
  .max(MAX_OBJECT_TAGS, `An object can have at most ${MAX_OBJECT_TAGS} tags.`)
  .refine((tags) => new Set(tags.map((t) => t.key)).size === tags.length, 'Each tag key may appear only once.');

/** The account's SSE-C customer key, as the UI may see it: never the key itself. */
export interface CustomerKeyStatus {
  hasKey: boolean;
  /** The key's MD5 (base64), which S3 also reports, so the person can tell keys apart. */
  fingerprint: string | null;
}
