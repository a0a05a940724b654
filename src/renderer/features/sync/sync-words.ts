import type { SyncAction, SyncPreviewSummary, SyncSpec } from '../../../shared/sync';
import { formatSize } from '../browser/format';

/** What each action is called in the table and the totals. */
export const actionWords: Record<SyncAction, string> = {
  upload: 'Upload',
  download: 'Download',
  replace: 'Replace',
  delete: 'Delete',
  conflict: 'Conflict',
  skip: 'Keep',
};

/** "folder → bucket/prefix, mirror": a sync pair in a few words. */
export function describeSpec(spec: SyncSpec): string {
  const remote = `${spec.bucket}/${spec.prefix}`;
  const way = spec.direction === 'upload' ? `${spec.localDir} → ${remote}` : `${remote} → ${spec.localDir}`;
  const how = spec.mode === 'mirror' ? (spec.deletes ? 'mirror with deletes' : 'mirror') : 'update only';
  return `${way}, ${how}`;
}

/** The preview's totals in one sentence: "2 to upload (1.5 KiB), 1 conflict; 4 the same." */
export function totalsText(summary: SyncPreviewSummary): string {
  const { totals } = summary;
  const parts: string[] = [];
  const add = (action: SyncAction, words: string, sized = true) => {
    const total = totals[action];
    if (total.count === 0) return;
    parts.push(`${total.count.toLocaleString()} ${words}${sized ? ` (${formatSize(total.bytes)})` : ''}`);
  };
  add('upload', 'to upload');
  add('download', 'to download');
  add('replace', 'to replace');
  add('delete', 'to delete');
  add('conflict', totals.conflict.count === 1 ? 'conflict' : 'conflicts', false);
  add('skip', 'kept as they are', false);
  const same = `${summary.same.toLocaleString()} the same`;
  return parts.length === 0 ? `Nothing to do; ${same}.` : `${parts.join(', ')}; ${same}.`;
}
