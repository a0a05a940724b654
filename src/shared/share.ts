import { z } from 'zod';
import { cannedAcls } from './transfers';

/** SigV4 presigned URLs live at most 7 days. */
export const MAX_LINK_SECONDS = 7 * 24 * 60 * 60;

/** The expiry presets the share dialog offers, in seconds. */
export const expiryPresets = [
  { label: '15 minutes', seconds: 15 * 60 },
  { label: '1 hour', seconds: 60 * 60 },
  { label: '1 day', seconds: 24 * 60 * 60 },
  { label: '7 days', seconds: MAX_LINK_SECONDS },
] as const;

/** A link's lifetime in seconds: at least 1 second, at most 7 days. */
export const expirySecondsSchema = z
  .number({ message: 'Give the link a lifetime in seconds.' })
  .int('Give the lifetime in whole seconds.')
  .min(1, 'A link must live at least 1 second.')
  .max(MAX_LINK_SECONDS, 'A link can live at most 7 days (a limit of S3 signatures).');

/** A link the app made; kept in the links list (it carries a signature, never a secret key). */
export interface ShareLink {
  id: string;
  kind: 'get' | 'put' | 'post';
  bucket: string;
  /** The key (GET, PUT) or key prefix (POST). */
  key: string;
  url: string;
  /** ISO 8601: when the link stops working (the earlier of its expiry and the credentials' expiry). */
  expiresAt: string;
  /** Why it ends then: its own expiry, or the temporary credentials it was signed with. */
  limitedBy: 'expiry' | 'credentials';
  /** Warnings for the person (an SSE-C object cannot be shared by link, …). */
  notes: string[];
  /** ISO 8601. */
  createdAt: string;
}

/** A presigned POST: the URL and form fields, and a ready-to-use HTML form. */
export interface PostPolicyLink extends ShareLink {
  kind: 'post';
  fields: Record<string, string>;
  htmlForm: string;
}

/** Options of a download link. */
export const getLinkOptionsSchema = z
  .object({
    /** Adds response-content-disposition: attachment, under this file name (or the key's name when empty). */
    forceDownload: z.boolean().default(false),
    downloadName: z.string().max(255).optional(),
    /** Adds response-content-type. */
    contentType: z.string().max(255).optional(),
    versionId: z.string().min(1).max(1024).optional(),
  })
  .strict();

/** Options of an upload link. */
export const putLinkOptionsSchema = z
  .object({
    contentType: z.string().max(255).optional(),
    acl: z.enum(cannedAcls).default('private'),
  })
  .strict();

/** What the links of an object other than presigned ones are. */
export interface ObjectUrls {
  /** s3://bucket/key */
  s3Uri: string;
  /** The plain (unsigned) URL, which works only if the object is publicly readable. */
  publicUrl: string;
  /** Whether anyone may read it, as far as the ACL says; null where the service does not say. */
  publiclyReadable: boolean | null;
}

/** Whether a bucket lets the drop box's upload page (opened from a file or a data: link) POST to it. */
export interface DropBoxCors {
  /** allowed: a browser lets the page upload; blocked: it does not; unknown: the check got no answer. */
  state: 'allowed' | 'blocked' | 'unknown';
  /** What was found, in words. */
  text: string;
  /** Whether the app can offer to add its CORS rule (blocked, and the service was not found to lack bucket rules). */
  canAddRule: boolean;
  /** Why the rule cannot be added, in words, where the service showed it takes no bucket CORS rules. */
  cannotAddReason?: string;
  /** The rule the app would add, exactly, in words. */
  rule: string;
}

/**
 * A drop box: a POST policy for uploads under a folder, and the self-contained upload page that
 * uses it. The page holds the policy, its signature and the credential scope, never a secret key.
 */
export interface DropBoxLink extends ShareLink {
  kind: 'post';
  page: {
    html: string;
    /** The name the saved page is offered under ("upload-to-photos.html"). */
    fileName: string;
  };
  /** The page as a data: URL, or null where it is too long to paste into a message (`dataUrlNote` says so). */
  dataUrl: string | null;
  /** What to know about the data: URL (how to open it, or why there is none). */
  dataUrlNote: string;
  cors: DropBoxCors;
}

/** The two ACLs "Make public" and "Make private" set. */
export const objectAccessValues = ['public-read', 'private'] as const;
