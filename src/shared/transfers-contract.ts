import { z } from 'zod';
import { event, request } from './contract-spec';
import {
  conflictChoiceSchema,
  transferSettingsSchema,
  uploadOptionsSchema,
  uploadSourceSchema,
  type DownloadsRoot,
  type OrphanedUpload,
  type TransferBatchOutcome,
  type TransferSettings,
  type TransferSnapshot,
} from './transfers';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const prefix = z.string().max(1024);
const transferIds = z.array(z.string().uuid()).max(100_000).optional();

/** Request channels of the transfer queue (uploads, downloads and copies between accounts), spread into the contract. */
export const transferRequests = {
  /** Every transfer the queue knows (after a restart too), for the panel's first render. */
  'transfers.list': request<TransferSnapshot[]>()(z.object({}).strict()),
  /** Opens a spool: web mode then PUTs each file's bytes to /spool/<spoolId>/<relative path> (token-authenticated). */
  'transfers.openSpool': request<{ spoolId: string }>()(z.object({}).strict()),
  /** Which target keys of an upload already exist, so the UI can ask replace / skip / keep both first. */
  'transfers.uploadConflicts': request<{ existing: string[]; total: number }>()(
    z.object({ accountId, bucket, prefix, source: uploadSourceSchema }).strict(),
  ),
  /** Queues files and folders for upload under a prefix; returns at once. */
  'transfers.upload': request<{ batchId: string; count: number }>()(
    z
      .object({
        accountId,
        bucket,
        prefix,
        source: uploadSourceSchema,
        onConflict: conflictChoiceSchema,
        options: uploadOptionsSchema.default({
          acl: 'private',
          metadata: {},
          encryption: { mode: 'none' },
        }),
      })
      .strict(),
  ),
  /**
   * Queues files and folders (keys ending in '/', recursively) for download into a local folder.
   * From a browser (web mode) the folder must be inside the downloads root.
   */
  'transfers.download': request<{ batchId: string }>()(
    z
      .object({
        accountId,
        bucket,
        items: z.array(z.string().min(1).max(1024)).min(1, 'Select something to download.').max(10_000),
        /** A specific version of a single file (from "Show versions"). */
        versionId: z.string().min(1).max(1024).optional(),
        targetDir: z.string().min(1, 'Choose a folder to download to.').max(4096),
        onConflict: conflictChoiceSchema.default('keep-both'),
      })
      .strict(),
  ),
  /**
   * Drag-out (Electron): downloads the files to a temporary folder through the queue, then
   * starts the OS drag with them; at most 20 files, not-supported in web mode.
   */
  'transfers.dragOut': request<{ files: number }>()(
    z
      .object({
        accountId,
        bucket,
        keys: z
          .array(
            z
              .string()
              .min(1)
              .max(1024)
              .refine((key) => !key.endsWith('/'), 'Only files can be dragged out.'),
          )
          .min(1)
          .max(20, 'Drag at most 20 files at once; use Download for more.'),
      })
      .strict(),
  ),
  /**
   * Copies or moves files and folders (keys ending in '/', recursively) from one account's
   * bucket to another account's, through the queue: the bytes stream through the app (ranged
   * GETs feeding the parts of a multipart upload), resumable, verified, cancellable. A move
   * deletes each source only after its copy is verified.
   */
  'transfers.copyAcross': request<{ batchId: string; count: number }>()(
    z
      .object({
        mode: z.enum(['copy', 'move']),
        source: z
          .object({
            accountId,
            bucket,
            items: z.array(z.string().min(1).max(1024)).min(1, 'Select something to copy.').max(10_000),
          })
          .strict(),
        target: z.object({ accountId, bucket, prefix }).strict(),
        onConflict: conflictChoiceSchema.default('keep-both'),
      })
      .strict(),
  ),
  /** Pauses the given transfers, or all when `ids` is absent. */
  'transfers.pause': request<{ paused: number }>()(z.object({ ids: transferIds }).strict()),
  /** Resumes the given paused transfers, or all. */
  'transfers.resume': request<{ resumed: number }>()(z.object({ ids: transferIds }).strict()),
  /** Cancels transfers (an upload's multipart upload is aborted on the server). */
  'transfers.cancel': request<{ cancelled: number }>()(z.object({ ids: transferIds }).strict()),
  /** Queues failed or cancelled transfers again. */
  'transfers.retry': request<{ retried: number }>()(z.object({ ids: transferIds }).strict()),
  /** Forgets finished, skipped and cancelled transfers. */
  'transfers.clearFinished': request<{ cleared: number }>()(z.object({}).strict()),
  /** Shows a finished download (or an upload's source) in the OS file manager; Electron only. */
  'transfers.reveal': request<{ revealed: boolean }>()(z.object({ id: z.string().uuid() }).strict()),
  /** Where downloads go unless the person chooses: the OS Downloads folder. */
  'transfers.defaultDownloadDir': request<{ path: string }>()(z.object({}).strict()),
  /** The native folder picker (Electron); `path` null when cancelled or in web mode. */
  'transfers.chooseFolder': request<{ path: string | null; supported: boolean }>()(z.object({}).strict()),
  /** The downloads root: downloads a browser (web mode) asks for stay inside it. */
  'transfers.downloadsRoot': request<DownloadsRoot>()(z.object({}).strict()),
  /**
   * Changes the downloads root through the native folder picker, or back to the OS Downloads
   * folder (`reset`). Desktop app only: a browser must not choose where it may write.
   */
  'transfers.chooseDownloadsRoot': request<DownloadsRoot>()(z.object({ reset: z.boolean().optional() }).strict()),
  'transfers.settings': request<TransferSettings>()(z.object({}).strict()),
  'transfers.saveSettings': request<TransferSettings>()(z.object({ settings: transferSettingsSchema }).strict()),
  /** Unfinished multipart uploads in a bucket; not-supported where the service cannot list them. */
  'transfers.orphanedUploads': request<OrphanedUpload[]>()(z.object({ accountId, bucket }).strict()),
  'transfers.abortOrphaned': request<{ aborted: number }>()(
    z
      .object({
        accountId,
        bucket,
        uploads: z
          .array(z.object({ key: z.string().min(1).max(1024), uploadId: z.string().min(1).max(1024) }).strict())
          .min(1)
          .max(10_000),
      })
      .strict(),
  ),
} as const;

/** Event channels of the transfer queue. */
export const transferEvents = {
  /** Transfers whose snapshot changed since the last event (at most about ten a second), and ids forgotten. */
  'transfers.changed': event<{ transfers: TransferSnapshot[]; removed: string[] }>(),
  'transfers.batchFinished': event<TransferBatchOutcome>(),
} as const;
