import { z } from 'zod';
import { event, request } from './contract-spec';
import { syncSpecSchema, type SyncPair, type SyncPreviewSummary, type SyncRowPage, type SyncRunStarted } from './sync';

const previewId = z.string().uuid();

/** Request channels of folder sync, spread into the contract. */
export const syncRequests = {
  /**
   * Compares a local folder and a bucket prefix (a streaming merge of both sorted listings, and
   * the state after the last sync of the pair) and keeps the rows in main; nothing changes yet.
   * In web mode the local folder must be inside the downloads root.
   */
  'sync.preview': request<SyncPreviewSummary>()(
    /** The id is the caller's, so it can follow `sync.progress` and cancel before the answer comes. */
    z.object({ previewId, spec: syncSpecSchema }).strict(),
  ),
  /** Stops a comparison still running. */
  'sync.cancelPreview': request<{ cancelled: boolean }>()(z.object({ previewId }).strict()),
  /** One page of a preview's rows, in path order. */
  'sync.previewRows': request<SyncRowPage>()(
    z
      .object({
        previewId,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000).default(200),
        /** Only the conflict rows (listed apart in the dialog). */
        conflictsOnly: z.boolean().default(false),
      })
      .strict(),
  ),
  /**
   * Runs a preview: transfers through the transfer queue (one batch, resumed after a restart),
   * deletes only for rows ticked in a preview that asked for them. `toggled` lists the rows whose
   * tick the person changed from the preview's default.
   */
  'sync.run': request<SyncRunStarted>()(
    z.object({ previewId, toggled: z.array(z.number().int().min(0)).max(200_000).default([]) }).strict(),
  ),
  /** Forgets a preview that will not run (the dialog closed). */
  'sync.discardPreview': request<{ discarded: boolean }>()(z.object({ previewId }).strict()),
  /** The saved sync pairs. */
  'sync.pairs': request<SyncPair[]>()(z.object({}).strict()),
  /** Saves a pair (a new one without `id`), for running again with one click. */
  'sync.savePair': request<SyncPair>()(
    z.object({ id: z.string().uuid().optional(), name: z.string().min(1).max(200), spec: syncSpecSchema }).strict(),
  ),
  'sync.removePair': request<{ removed: boolean }>()(z.object({ id: z.string().uuid() }).strict()),
} as const;

/** Event channels of folder sync. */
export const syncEvents = {
  /** How many paths a running comparison has gone through (a few times a second). */
  'sync.progress': event<{ previewId: string; compared: number }>(),
  /** A run's transfers and deletes all ended, and the state of the pair was recorded for the next sync. */
  'sync.runFinished': event<{ runId: string; summary: string }>(),
} as const;
