import { z } from 'zod';
import {
  conflictChoiceSchema,
  uploadOptionsSchema,
  type TransferSnapshot,
  type TransferState,
} from '../../../shared/transfers';

/**
 * A part of a multipart upload the server confirmed: its ETag, and the MD5 we computed (base64)
 * where the upload sends Content-MD5 (uploads with a checksum per part, SHA-256 or CRC32, do not).
 */
const finishedPartSchema = z.object({
  partNumber: z.number().int().min(1).max(10_000),
  etag: z.string(),
  md5: z.string().optional(),
  size: z.number().int().min(0),
  /** A flexible checksum the service returned for the part (AWS adds CRC32 by default), sent back on completion. */
  checksum: z.object({ name: z.string(), value: z.string() }).optional(),
});

/** A part of a multipart upload, as journaled. */
export type FinishedPart = z.infer<typeof finishedPartSchema>;

/** What an upload needs to run, and to resume after a restart. */
const uploadSpecSchema = z.object({
  kind: z.literal('upload'),
  /** The file read from: the person's own file, or a file in a web-mode spool. Never deleted by the app. */
  sourcePath: z.string(),
  /** Set for web mode's uploads: the spool the file is in (the app's own temporary copy). */
  spoolId: z.string().optional(),
  /** An empty folder, uploaded as a zero-byte "name/" key. */
  folderMarker: z.boolean(),
  /** The key asked for, before a "keep both" rename. */
  wantedKey: z.string(),
  /** True once the key conflict was settled (so a resumed upload never renames again). */
  keyResolved: z.boolean(),
  onConflict: conflictChoiceSchema,
  options: uploadOptionsSchema,
  /** The source's size and modification time when the upload began: a change means start over. */
  fileSize: z.number().nullable(),
  fileMtimeMs: z.number().nullable(),
  /**
   * When CreateMultipartUpload was sent (ISO 8601), until its upload id is in the journal. A crash
   * (or a lost answer, retried) in between leaves an upload the journal never knew: the next start
   * aborts this key's uploads begun since then, so none is left behind on the server.
   */
  multipartRequestedAt: z.string().optional(),
  multipart: z
    .object({
      uploadId: z.string(),
      partSize: z.number().int().min(1),
      parts: z.array(finishedPartSchema),
      /** Created with x-amz-checksum-algorithm SHA256: every part must carry its SHA-256 (base64 in `checksum`). */
      sha256: z.boolean().optional(),
      /**
       * Created with x-amz-checksum-algorithm CRC32 and type FULL_OBJECT: every part carries its
       * CRC32 (base64 in `checksum`), and the completion the whole object's, made from them.
       */
      crc32: z.boolean().optional(),
    })
    .nullable(),
});

/** An upload's journaled details. */
export type UploadSpec = z.infer<typeof uploadSpecSchema>;

/** What a download needs to run, and to resume after a restart. */
const downloadSpecSchema = z.object({
  kind: z.literal('download'),
  versionId: z.string().optional(),
  targetDir: z.string(),
  /**
   * Set for downloads a browser asked for (web mode): the real path of the downloads root they
   * must stay in, checked again (symbolic links resolved) before anything is written.
   */
  confinedTo: z.string().optional(),
  /** The object's path below the target folder, made safe (see safe-path.ts). */
  segments: z.array(z.string()),
  /** A key ending in '/': a folder to create. */
  folderMarker: z.boolean(),
  onConflict: conflictChoiceSchema,
  /** True once the final local path is settled ("keep both" numbering done). */
  pathResolved: z.boolean(),
  /** The temporary file in the target folder, renamed to the final path once complete and verified. */
  tempPath: z.string().nullable(),
  /**
   * The temporary file, hard-linked at the final path ("keep both", "skip"), removed only once
   * the journal says the download finished: a crash before that must find the file in place
   * (the same file under two names) rather than fetch it again under a "keep both" number.
   */
  leftover: z.string().optional(),
  /** What the object was when the download began: a change on the server means start over. */
  etag: z.string().nullable(),
  size: z.number().nullable(),
  lastModified: z.string().nullable(),
  /** The object is encrypted with the account's customer key (SSE-C). */
  customerKey: z.boolean(),
  /** Ranged GETs: the chunk size, and which chunks are on disk (flushed) already. */
  chunkSize: z.number().int().min(1).nullable(),
  doneChunks: z.array(z.number().int().min(0)),
});

/** A download's journaled details. */
export type DownloadSpec = z.infer<typeof downloadSpecSchema>;

/**
 * What a copy between accounts needs to run, and to resume after a restart: where it comes from,
 * what the source was when it began (every ranged GET asks If-Match its ETag), the target's
 * multipart upload with its confirmed parts, and whether the copy was verified (a move deletes
 * its source only after that, also after a restart in between).
 */
const copySpecSchema = z.object({
  kind: z.literal('copy'),
  mode: z.enum(['copy', 'move']),
  source: z.object({ accountId: z.string(), bucket: z.string(), key: z.string() }),
  /** The key asked for at the target, before a "keep both" rename. */
  wantedKey: z.string(),
  keyResolved: z.boolean(),
  onConflict: conflictChoiceSchema,
  /** A key ending in '/': an empty folder, written as a zero-byte key. */
  folderMarker: z.boolean(),
  /** The source's ETag and size when the copy began: a change means the copy is refused. */
  sourceEtag: z.string().nullable(),
  sourceSize: z.number().nullable(),
  /** The source is encrypted with its account's customer key (SSE-C): its GETs carry that key. */
  sourceCustomerKey: z.boolean(),
  /** See the upload's multipartRequestedAt: an upload begun but never journaled is aborted. */
  multipartRequestedAt: z.string().optional(),
  multipart: z
    .object({
      uploadId: z.string(),
      partSize: z.number().int().min(1),
      parts: z.array(finishedPartSchema),
      sha256: z.boolean().optional(),
      /** As an upload's (see uploadSpecSchema). */
      crc32: z.boolean().optional(),
    })
    .nullable(),
  /** The target holds a verified copy: a move's next step is deleting the source, nothing else. */
  copied: z.boolean(),
});

/** A cross-account copy's journaled details. */
export type CopySpec = z.infer<typeof copySpecSchema>;

const transferStates = [
  'queued',
  'running',
  'paused',
  'retrying',
  'finished',
  'skipped',
  'failed',
  'cancelled',
] as const satisfies readonly TransferState[];

/** One transfer as the journal keeps it: what the panel shows (without rates), and how to run it. */
const transferRecordSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  direction: z.enum(['upload', 'download', 'copy']),
  accountId: z.string(),
  bucket: z.string(),
  key: z.string(),
  localPath: z.string(),
  name: z.string(),
  state: z.enum(transferStates),
  bytesTotal: z.number().nullable(),
  bytesDone: z.number(),
  retries: z.number().int(),
  error: z.object({ code: z.string(), message: z.string(), detail: z.string().optional() }).nullable(),
  note: z.string().nullable(),
  verifiedBy: z.enum(['checksum', 'md5', 'size']).optional(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  spec: z.discriminatedUnion('kind', [uploadSpecSchema, downloadSpecSchema, copySpecSchema]),
});

/** One transfer as the queue keeps it. */
export type TransferRecord = z.infer<typeof transferRecordSchema>;

/** A group of transfers queued by one request: the unit of "batch finished" and of a spool's life. */
const transferBatchSchema = z.object({
  id: z.string(),
  direction: z.enum(['upload', 'download', 'copy']),
  accountId: z.string(),
  bucket: z.string(),
  /** Where it goes: "bucket/prefix" for uploads and copies, the local folder for downloads. */
  destination: z.string(),
  /** A copy batch that moves: its sources are deleted once each copy is verified. */
  move: z.boolean().optional(),
  spoolId: z.string().optional(),
  /** ISO 8601: when it was queued, or last retried (a notification is sent for batches over ~10 s). */
  startedAt: z.string(),
  /** Whether transfers.batchFinished was sent for its current run. */
  announced: z.boolean(),
});

/** A batch as the journal keeps it. */
export type TransferBatch = z.infer<typeof transferBatchSchema>;

/** The journal file's contents. */
export const journalSchema = z.object({
  version: z.literal(1),
  transfers: z.array(transferRecordSchema),
  batches: z.array(transferBatchSchema),
});

/** The journal file's contents. */
export type JournalData = z.infer<typeof journalSchema>;

/** Whether a transfer is in a final state (never runs again unless retried by hand). */
export function isFinal(state: TransferState): boolean {
  return state === 'finished' || state === 'skipped' || state === 'failed' || state === 'cancelled';
}

/** The record as the panel sees it, with the current rate. */
export function snapshotOf(
  record: TransferRecord,
  rate: { bytesPerSecond: number; secondsLeft: number | null },
): TransferSnapshot {
  const { spec: _spec, ...shown } = record;
  return { ...shown, error: record.error ? { ...record.error } : null, ...rate };
}
