import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LocalFile } from './local-tree';
import { replaceLineFile, streamLines } from './line-files';
import { mergeByPath } from './merge-join';
import type { RemoteObject } from './remote-tree';

/**
 * What a path was on both sides after the last sync of a pair that left them equal: the local
 * file's size and time, the object's size and ETag. A side that differs from it changed since.
 */
export interface BaselineEntry {
  path: string;
  /** Local size and modification time (ms, whole). */
  ls: number;
  lm: number;
  /** Remote size and ETag. */
  rs: number;
  re: string;
}

/** The pair a baseline belongs to: the same folder and prefix in the same account, whichever way it syncs. */
export function pairKey(where: { accountId: string; bucket: string; prefix: string; localDir: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([where.accountId, where.bucket, where.prefix, where.localDir]))
    .digest('hex');
}

/** The baseline's file: JSON lines in S3's key order, so it is merged as a third stream. */
export function baselineFile(dataDir: string, key: string): string {
  return join(dataDir, 'sync', 'state', `${key}.jsonl`);
}

/** Reads a baseline in order (nothing when the pair never synced). */
export function readBaseline(file: string): AsyncGenerator<BaselineEntry> {
  return streamLines<BaselineEntry>(file);
}

/** Whether the local file changed since the baseline (missing counts as changed). */
export function localChanged(local: LocalFile | undefined, base: BaselineEntry): boolean {
  return !local || local.size !== base.ls || local.mtimeMs !== base.lm;
}

/** Whether the object changed since the baseline (missing counts as changed). */
export function remoteChanged(remote: RemoteObject | undefined, base: BaselineEntry): boolean {
  return !remote || remote.size !== base.rs || remote.etag !== base.re;
}

/**
 * Writes the baseline after a run from both sides as they are now, merged with the old one: a
 * path on both sides of equal size is recorded as it is, unless it was left out of the run
 * (unticked, a conflict, failed), whose old entry is kept so that what made it differ still
 * shows next time. Paths on one side only are dropped.
 */
export async function rebuildBaseline(
  file: string,
  sides: { local: AsyncIterable<LocalFile>; remote: AsyncIterable<RemoteObject> },
  unsettled: ReadonlySet<string>,
): Promise<number> {
  let count = 0;
  const merged = mergeByPath<{ local: LocalFile; remote: RemoteObject; base: BaselineEntry }>({
    ...sides,
    base: readBaseline(file),
  });
  await replaceLineFile(file, async (writer) => {
    for await (const { path, local, remote, base } of merged) {
      if (!local || !remote) continue;
      let entry: BaselineEntry | undefined;
      if (unsettled.has(path) || local.size !== remote.size) entry = base;
      else entry = { path, ls: local.size, lm: local.mtimeMs, rs: remote.size, re: remote.etag };
      if (!entry) continue;
      await writer.add(entry);
      count += 1;
    }
  });
  return count;
}
