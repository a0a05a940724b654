import { z } from 'zod';

/** Which way a sync copies: from the local folder to the bucket (`upload`) or back (`download`). */
export const syncDirectionSchema = z.enum(['upload', 'download']);

/** Which way a sync copies. */
export type SyncDirection = z.infer<typeof syncDirectionSchema>;

/**
 * `mirror` makes the target equal the source (deleting extras only when asked); `update` copies
 * what is new or changed in the source and never deletes.
 */
export const syncModeSchema = z.enum(['mirror', 'update']);

/** What a sync compares: a local folder and a bucket prefix, which way, and how. */
export const syncSpecSchema = z
  .object({
    accountId: z.string().min(1).max(200),
    bucket: z.string().min(1).max(255),
    /** '' for the whole bucket, else a folder key ending in '/' (added when missing). */
    prefix: z.string().max(1024),
    localDir: z.string().min(1, 'Choose a local folder.').max(4096),
    direction: syncDirectionSchema,
    mode: syncModeSchema,
    /** Mirror only: delete what is not in the source (rows still show and can be unticked). */
    deletes: z.boolean().default(false),
  })
  .strict();

/** A sync's settings, as the person chose them. */
export type SyncSpec = z.infer<typeof syncSpecSchema>;

/** What a row proposes; `skip` and `same` rows are shown for the reason only. */
export type SyncAction = 'upload' | 'download' | 'replace' | 'delete' | 'conflict' | 'skip';

/** One side of a path as compared: size, modification time and, where it means something, its MD5. */
export interface SyncSideState {
  size: number;
  /** ISO 8601. */
  modified: string;
  /** The object's ETag (remote side only), as the service gave it. */
  etag?: string;
  /** The file's MD5 (hex), computed only where the remote ETag is a plain MD5 and the sizes match. */
  md5?: string;
}

/** One row of a sync preview. */
export interface SyncRow {
  /** The row's place in the preview (what `sync.run` names when a tick is changed). */
  index: number;
  /** The path below the folder and the prefix, '/'-separated (the key's relative part). */
  path: string;
  action: SyncAction;
  /** Why, in words: "changed locally since the last sync", "new in the bucket" … */
  reason: string;
  /** Whether the row runs unless unticked (conflicts start unticked); false for rows that cannot run. */
  ticked: boolean;
  /** Whether the person may change the tick. */
  tickable: boolean;
  local?: SyncSideState;
  remote?: SyncSideState;
}

/** Count and bytes of the rows of one action. */
export interface SyncTotal {
  count: number;
  bytes: number;
}

/** What a preview found, in totals; its rows are read page by page with `sync.previewRows`. */
export interface SyncPreviewSummary {
  previewId: string;
  spec: SyncSpec;
  /** The folder compared (resolved; in web mode inside the downloads root). */
  localDir: string;
  rows: number;
  totals: Record<SyncAction, SyncTotal>;
  /** Paths the same on both sides (not listed as rows). */
  same: number;
  /** Whether an earlier sync of this pair was found, so "changed since" could be told. */
  baseline: boolean;
  /** Whether deleting local files is possible here (the desktop app moves them to the trash). */
  localDeletes: boolean;
  /** Files on each side that were compared. */
  localFiles: number;
  remoteObjects: number;
}

/** A page of preview rows. */
export interface SyncRowPage {
  rows: SyncRow[];
  total: number;
}

/** What `sync.run` queued. */
export interface SyncRunStarted {
  runId: string;
  /** What was synced (for the activity log and the outcome's words). */
  accountId: string;
  bucket: string;
  prefix: string;
  localDir: string;
  direction: SyncDirection;
  /** The transfer batch (uploads or downloads), followed in the transfers panel; null when nothing is copied. */
  batchId: string | null;
  /** The long operation deleting objects or moving files to the trash, if any. */
  deleteOperationId: string | null;
  transfers: number;
  deletes: number;
}

/** A saved sync pair: re-run with one click (which shows the preview again). */
export const syncPairSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string().min(1, 'Give the pair a name.').max(200),
    spec: syncSpecSchema,
    lastRunAt: z.string().nullable().default(null),
  })
  .strict();

/** A saved sync pair. */
export type SyncPair = z.infer<typeof syncPairSchema>;
