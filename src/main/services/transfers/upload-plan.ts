import { randomUUID } from 'node:crypto';
import type { UploadSource } from '../../../shared/transfers';
import { lastSegment } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import { walkDropped, walkSpool, type WalkResult } from './local-files';
import type { Spools } from './spool';
import type { TransferRecord } from './transfer-record';
import type { UploadOptions } from './upload-headers';

/** S3 keys are at most 1,024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

/** A folder prefix as keys are built from it: '' or ending in '/'. */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** One file (or empty folder) of an upload, with the key it is meant for, or why it is not uploaded. */
export interface PlannedUpload {
  path: string;
  key: string;
  size: number;
  mtimeMs: number;
  folderMarker: boolean;
  skip: string | undefined;
}

/** Walks an upload's source (dropped paths, or a web-mode spool) into keys under the prefix. */
export async function planUpload(source: UploadSource, prefix: string, spools: Spools): Promise<PlannedUpload[]> {
  let walked: WalkResult;
  if (source.kind === 'paths') {
    walked = await walkDropped(source.paths);
  } else {
    if (!spools.isOpen(source.spoolId)) {
      throw new AppFailure('invalid-input', 'Those dropped files are not available any more. Drop them again.');
    }
    walked = await walkSpool(spools.folderOf(source.spoolId));
  }
  const base = folderPrefix(prefix);
  const planned: PlannedUpload[] = [
    ...walked.entries.map((entry) => ({ ...entry, key: base + entry.relative, skip: undefined as string | undefined })),
    ...walked.skipped.map((entry) => ({
      path: entry.path,
      key: base + entry.relative,
      size: 0,
      mtimeMs: 0,
      folderMarker: false,
      skip: `Not uploaded: ${entry.reason}`,
    })),
  ];
  for (const item of planned) {
    if (!item.skip && Buffer.byteLength(item.key) > MAX_KEY_BYTES) {
      item.skip = 'Not uploaded: its key would be longer than S3 allows (1,024 bytes).';
    }
  }
  if (planned.length === 0) throw new AppFailure('invalid-input', 'There is nothing to upload: the folder is empty.');
  // The same file dropped twice (or a file and its folder) is uploaded once.
  const seen = new Set<string>();
  return planned
    .filter((item) => !seen.has(item.key) && seen.add(item.key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The queue's records for a planned upload. */
export function uploadRecords(
  planned: readonly PlannedUpload[],
  batch: { batchId: string; accountId: string; bucket: string; spoolId?: string },
  choice: { onConflict: 'replace' | 'skip' | 'keep-both'; options: UploadOptions },
  now: Date,
): TransferRecord[] {
  return planned.map((item) => ({
    id: randomUUID(),
    batchId: batch.batchId,
    direction: 'upload',
    accountId: batch.accountId,
    bucket: batch.bucket,
    key: item.key,
    localPath: item.path,
    name: lastSegment(item.key).replace(/\/$/, ''),
    state: item.skip ? 'skipped' : 'queued',
    bytesTotal: item.size,
    bytesDone: 0,
    retries: 0,
    error: null,
    note: item.skip ?? null,
    createdAt: now.toISOString(),
    finishedAt: item.skip ? now.toISOString() : null,
    spec: {
      kind: 'upload',
      sourcePath: item.path,
      ...(batch.spoolId ? { spoolId: batch.spoolId } : {}),
      folderMarker: item.folderMarker,
      wantedKey: item.key,
      keyResolved: false,
      onConflict: choice.onConflict,
      options: choice.options,
      fileSize: null,
      fileMtimeMs: null,
      multipart: null,
    },
  }));
}
