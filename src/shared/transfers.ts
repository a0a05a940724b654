import { z } from 'zod';

/**
 * Which way a transfer goes: up from this computer, down to it, or from one account's bucket to
 * another's (a cross-account copy or move, streamed through the app).
 */
export type TransferDirection = 'upload' | 'download' | 'copy';

/**
 * Where a transfer is in its life. `retrying` waits out a backoff after a transient error;
 * `skipped` met an existing key with "skip"; the last four are final.
 */
export type TransferState =
  'queued' | 'running' | 'paused' | 'retrying' | 'finished' | 'skipped' | 'failed' | 'cancelled';

/** States after which a transfer never runs again (unless retried by hand). */
export const finalTransferStates: readonly TransferState[] = ['finished', 'skipped', 'failed', 'cancelled'];

/**
 * How a transfer was checked against what the service stored: its additional checksum
 * (x-amz-checksum-sha256, or x-amz-checksum-crc32 for uploads over TLS and objects others
 * wrote), its ETag as an MD5 (of the part MD5s), or only its size where the service guarantees
 * neither.
 */
export type TransferVerification = 'checksum' | 'md5' | 'size';

/** One file's transfer as the transfers panel shows it; sent in batches at most about ten times a second. */
export interface TransferSnapshot {
  id: string;
  /** Transfers queued by one request (a drop, a download) share a batch. */
  batchId: string;
  /**
   * Where the batch goes: "bucket/prefix/" for uploads, the local folder for downloads. The
   * panel names a batch by what lies directly below it ("album", "3 files").
   */
  batchDestination?: string | undefined;
  direction: TransferDirection;
  accountId: string;
  bucket: string;
  /** The object's key (for an upload, the key it is written to, after "keep both" renaming). */
  key: string;
  /**
   * The local file: the source of an upload, the final path of a download. For a copy between
   * accounts, where it comes from: "account name: bucket/key".
   */
  localPath: string;
  /** What the panel shows: the file's name. */
  name: string;
  state: TransferState;
  /** null while not known yet (a download before its HEAD). */
  bytesTotal: number | null;
  bytesDone: number;
  /** Bytes per second over the last few seconds; 0 when idle. */
  bytesPerSecond: number;
  /** null when it cannot be estimated. */
  secondsLeft: number | null;
  /** How many times it was retried after a transient error. */
  retries: number;
  /**
   * Why it failed (final), or the transient error it is retrying after: `message` in words (what
   * happened, what to do), `detail` the technical facts shown behind "Details".
   */
  error: { code: string; message: string; detail?: string | undefined } | null;
  /** Something the person should know: "saved as report (1).pdf", "key made safe: a_b". */
  note: string | null;
  /** How a finished upload was checked against what the service stored (absent until then, and for downloads). */
  verifiedBy?: TransferVerification | undefined;
  /** ISO 8601. */
  createdAt: string;
  finishedAt: string | null;
}

/** A batch that ended: what the panel and a desktop notification say. */
export interface TransferBatchOutcome {
  batchId: string;
  direction: TransferDirection;
  finished: number;
  skipped: number;
  failed: number;
  cancelled: number;
  /** One sentence: "Uploaded 12 files to photos/2024/ (1 failed)." */
  summary: string;
}

/** Canned ACLs a person may choose for an upload; private unless they choose otherwise. */
export const cannedAcls = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const;

/** Storage classes offered for uploads and edits (a service may accept only some). */
export const storageClasses = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'GLACIER_IR',
  'DEEP_ARCHIVE',
] as const;

/** A user metadata key: sent as x-amz-meta-<key>, so HTTP token characters only, no spaces, ASCII. */
export const metadataKeySchema = z
  .string()
  .min(1, 'A metadata key cannot be empty.')
  .max(128, 'A metadata key has at most 128 characters.')
  .regex(
    /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/,
    'A metadata key may contain only ASCII letters, digits and - _ . (no spaces or accents).',
  );

/** User metadata (x-amz-meta-*): S3 allows 2 KiB (2,048 bytes) in all; values are sent as ASCII (encode others). */
export const userMetadataSchema = z
  .record(metadataKeySchema, z.string().max(2048))
  .refine(
    (metadata) => Object.entries(metadata).reduce((sum, [k, v]) => sum + k.length + v.length, 0) <= 2048,
    'User metadata is limited to 2 KiB in all.',
  );

/** Server-side encryption for an upload or copy. SSE-C uses the account's customer key from the keychain. */
export const encryptionChoiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('SSE-S3') }).strict(),
  z.object({ mode: z.literal('SSE-KMS'), kmsKeyId: z.string().max(2048).default('') }).strict(),
  z.object({ mode: z.literal('SSE-C') }).strict(),
]);

/** A server-side encryption choice. */
export type EncryptionChoice = z.infer<typeof encryptionChoiceSchema>;

/** Options for an upload batch; everything optional, with the service's defaults otherwise. */
export const uploadOptionsSchema = z
  .object({
    /** Overrides the type guessed from each file's name. */
    contentType: z.string().max(255).optional(),
    storageClass: z.enum(storageClasses).optional(),
    acl: z.enum(cannedAcls).default('private'),
    metadata: userMetadataSchema.default({}),
    encryption: encryptionChoiceSchema.default({ mode: 'none' }),
  })
  .strict();

/** What the person answered when target keys exist. */
export const conflictChoiceSchema = z.enum(['replace', 'skip', 'keep-both']);

/**
 * What to upload: local paths (Electron: from webUtils.getPathForFile or a native picker;
 * folders are walked, keeping their structure), or a spool that web mode filled over HTTP.
 */
export const uploadSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('paths'),
      paths: z.array(z.string().min(1).max(4096)).min(1, 'Choose something to upload.').max(10_000),
    })
    .strict(),
  z.object({ kind: z.literal('spool'), spoolId: z.string().uuid() }).strict(),
]);

/** Where an upload goes. */
export type UploadSource = z.infer<typeof uploadSourceSchema>;

/** Queue settings, in Settings → Transfers; the defaults come from `npm run bench`. */
export interface TransferSettings {
  /** Files above this size go multipart (MiB). */
  multipartThresholdMiB: number;
  /** The smallest part size (MiB); grows for huge files so that a file never needs over 10,000 parts. */
  partSizeMiB: number;
  /** Parts of one file in flight at once. */
  partsInParallel: number;
  /** Files transferred at once across the whole queue. */
  filesInParallel: number;
  /** Retries of a transient error before the transfer fails. */
  maxRetries: number;
}

/** Schema for saving transfer settings, with the limits S3 imposes. */
export const transferSettingsSchema = z
  .object({
    multipartThresholdMiB: z
      .number()
      .int()
      .min(5)
      .max(5 * 1024),
    partSizeMiB: z
      .number()
      .int()
      .min(5, 'S3 parts are at least 5 MiB.')
      .max(5 * 1024, 'S3 parts are at most 5 GiB.'),
    partsInParallel: z.number().int().min(1).max(32),
    filesInParallel: z.number().int().min(1).max(16),
    maxRetries: z.number().int().min(0).max(20),
  })
  .strict();

/**
 * The downloads root: downloads a browser asks for (web mode) must stay inside it, so a page
 * holding the token cannot write anywhere else on this computer.
 */
export interface DownloadsRoot {
  /** The folder: the OS Downloads folder, unless the person chose another in the desktop app. */
  path: string;
  /** The person chose it (false: the OS Downloads folder). */
  chosen: boolean;
  /** Downloads this client asks for must go inside it (true for a browser). */
  confined: boolean;
  /** This client may change it: only the desktop app, through its folder picker. */
  changeable: boolean;
}

/** A multipart upload left on the server (by a crash of this app or any other tool). */
export interface OrphanedUpload {
  key: string;
  uploadId: string;
  /** ISO 8601. */
  initiated: string | null;
  /** Whether this app's journal knows it (it would resume it), or it is someone else's. */
  ownedByQueue: boolean;
}
