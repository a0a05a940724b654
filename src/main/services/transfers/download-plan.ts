import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { lastSegment, parentOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import { objectPages } from '../s3/object-pages';
import { distinctPaths, fitPathLength, pathInside, safeRelativePath, type PathRules } from './safe-path';
import type { TransferRecord } from './transfer-record';

/** More objects than one download request may queue. */
const MAX_OBJECTS = 100_000;

/** One object of a download: its key, size, and its path below the target folder (or why it is refused). */
interface PlannedDownload {
  key: string;
  size: number | null;
  relative: string;
}

/** Lists every object below a folder key (no delimiter: recursively), page by page, within the walk's bounds. */
async function listBelow(
  client: S3Client,
  walk: { bucket: string; prefix: string; base: string },
  into: PlannedDownload[],
  signal: AbortSignal | undefined,
) {
  const pages = objectPages(
    client,
    { bucket: walk.bucket, prefix: walk.prefix },
    { ...(signal ? { signal } : {}), onCancel: 'throw' },
  );
  for await (const objects of pages) {
    for (const object of objects) {
      if (object.Key === undefined) continue;
      if (into.length >= MAX_OBJECTS) {
        throw new AppFailure('invalid-input', 'That is more than 100,000 files. Download fewer at once.');
      }
      into.push({ key: object.Key, size: object.Size ?? null, relative: object.Key.slice(walk.base.length) });
    }
  }
}

/**
 * The objects a download takes: files as they are (under their own name), folders (keys
 * ending in '/') listed recursively, keeping their structure below the folder's own name.
 * The listing stops, failing as cancelled, once `signal` aborts (the asking client left).
 */
export async function planDownload(client: S3Client, bucket: string, items: readonly string[], signal?: AbortSignal) {
  const planned: PlannedDownload[] = [];
  for (const item of items) {
    if (item.endsWith('/')) await listBelow(client, { bucket, prefix: item, base: parentOf(item) }, planned, signal);
    else planned.push({ key: item, size: null, relative: lastSegment(item) });
  }
  // A file chosen along with its folder comes once.
  const seen = new Set<string>();
  return planned.filter((item) => !seen.has(item.key) && seen.add(item.key));
}

/** How local names are made for a download: the file-name rules, and what the target file system does. */
export interface LocalNaming {
  rules: PathRules;
  /** The target file system ignores case (and, on macOS, Unicode normalization). */
  foldCase: boolean;
  /** The longest whole path allowed (the system's, by default). */
  maxPath?: number;
}

/**
 * The queue's records for a planned download: each key's path made safe (legal names, short
 * enough, and one local file per key within the batch), or refused with the reason.
 * `confinedTo` (web mode) is the downloads root the files must stay in, checked again when
 * each runs.
 */
export function downloadRecords(
  planned: readonly PlannedDownload[],
  batch: { batchId: string; accountId: string; bucket: string; targetDir: string; confinedTo?: string },
  choice: { onConflict: 'replace' | 'skip' | 'keep-both'; versionId?: string },
  naming: LocalNaming,
  now: Date,
): TransferRecord[] {
  if (!isAbsolute(batch.targetDir)) throw new AppFailure('invalid-input', 'Choose a folder by its full path.');
  const made = planned.map((item) => {
    const safe = safeRelativePath(item.relative, naming.rules);
    if (!safe.ok) return safe;
    const fitted = fitPathLength(batch.targetDir, safe.segments, naming.rules, naming.maxPath);
    return fitted.ok ? { ...fitted, reasons: [...safe.reasons, ...fitted.reasons] } : fitted;
  });
  const distinct = distinctPaths(
    planned.map((item, index) => {
      const safe = made[index];
      return { segments: safe?.ok ? safe.segments : [], folderMarker: item.key.endsWith('/') };
    }),
    naming.foldCase,
  );
  const createdAt = now.toISOString();
  return planned.map((item, index) => {
    const safe = made[index] ?? { ok: false as const, reason: 'It could not be planned.' };
    const own = distinct[index];
    const segments = safe.ok ? (own?.segments ?? safe.segments) : [];
    const reasons = safe.ok ? [...safe.reasons] : [];
    if (own?.renamedFrom !== undefined) reasons.push(`another key of this download is saved as "${own.renamedFrom}"`);
    const target = safe.ok ? pathInside(batch.targetDir, segments) : undefined;
    const refusal = !safe.ok ? safe.reason : target === undefined ? 'It would be written outside the folder.' : null;
    const note =
      safe.ok && reasons.length > 0 ? `Key made safe: saved as "${segments.join('/')}" (${reasons.join('; ')}).` : null;
    return {
      id: randomUUID(),
      batchId: batch.batchId,
      direction: 'download',
      accountId: batch.accountId,
      bucket: batch.bucket,
      key: item.key,
      localPath: target ?? batch.targetDir,
      name: segments.at(-1) ?? lastSegment(item.key),
      state: refusal ? 'failed' : 'queued',
      bytesTotal: item.size,
      bytesDone: 0,
      retries: 0,
      error: refusal ? { code: 'invalid-input', message: `Not downloaded: ${refusal}` } : null,
      note,
      createdAt,
      finishedAt: refusal ? createdAt : null,
      spec: {
        kind: 'download',
        ...(choice.versionId ? { versionId: choice.versionId } : {}),
        targetDir: batch.targetDir,
        ...(batch.confinedTo !== undefined ? { confinedTo: batch.confinedTo } : {}),
        segments,
        folderMarker: item.key.endsWith('/'),
        onConflict: choice.onConflict,
        pathResolved: false,
        tempPath: null,
        etag: null,
        size: item.size,
        lastModified: null,
        customerKey: false,
        chunkSize: null,
        doneChunks: [],
      },
    };
  });
}
