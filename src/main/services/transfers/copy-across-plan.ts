import { randomUUID } from 'node:crypto';
import { lastSegment } from '../../../shared/names';
import type { TransferRecord } from './transfer-record';
import { folderPrefix } from './upload-plan';

/** One source object of a copy between accounts: its key, its size as listed, and its path below the target folder. */
export interface PlannedCopy {
  key: string;
  size: number | null;
  relative: string;
}

/** Where a copy between accounts comes from and goes, and what it does there. */
export interface CopyAcrossBatch {
  batchId: string;
  mode: 'copy' | 'move';
  source: { accountId: string; accountName: string; bucket: string };
  target: { accountId: string; bucket: string; prefix: string };
  onConflict: 'replace' | 'skip' | 'keep-both';
}

/**
 * The queue's records for a copy between accounts: one per source object (folders were listed
 * recursively by planDownload, keeping their structure below the folder's own name), each
 * written under the target folder. The record's account, bucket and key are the target's; its
 * localPath names the source for the panel ("account: bucket/key").
 */
export function copyAcrossRecords(
  planned: readonly PlannedCopy[],
  batch: CopyAcrossBatch,
  now: Date,
): TransferRecord[] {
  const base = folderPrefix(batch.target.prefix);
  return planned.map((item) => {
    const key = base + item.relative;
    return {
      id: randomUUID(),
      batchId: batch.batchId,
      direction: 'copy',
      accountId: batch.target.accountId,
      bucket: batch.target.bucket,
      key,
      localPath: `${batch.source.accountName}: ${batch.source.bucket}/${item.key}`,
      name: lastSegment(key).replace(/\/$/, ''),
      state: 'queued',
      bytesTotal: item.size,
      bytesDone: 0,
      retries: 0,
      error: null,
      note: null,
      createdAt: now.toISOString(),
      finishedAt: null,
      spec: {
        kind: 'copy',
        mode: batch.mode,
        source: { accountId: batch.source.accountId, bucket: batch.source.bucket, key: item.key },
        wantedKey: key,
        keyResolved: false,
        onConflict: batch.onConflict,
        folderMarker: item.key.endsWith('/'),
        sourceEtag: null,
        sourceSize: item.size,
        sourceCustomerKey: false,
        multipart: null,
        copied: false,
      },
    };
  });
}
