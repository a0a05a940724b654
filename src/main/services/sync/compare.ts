import type { SyncAction, SyncDirection } from '../../../shared/sync';

/** One side of a path: what the listing or the folder said. */
export interface SideFacts {
  size: number;
  mtimeMs: number;
}

/** How a path compares, as the classifier needs it. */
export interface PathFacts {
  source?: SideFacts;
  target?: SideFacts;
  /** The content of both sides is the same (MD5, or size and time); only set when both exist. */
  equal?: boolean;
  /**
   * Against the state after the last sync of the pair: whether each side changed since (a side
   * now missing counts as changed). Absent when the pair has no record of the path.
   */
  since?: { sourceChanged: boolean; targetChanged: boolean };
}

/** How the sync was asked for. */
export interface CompareSettings {
  direction: SyncDirection;
  mode: 'mirror' | 'update';
  deletes: boolean;
  /** Whether the target's files may be deleted at all (local files: only to the trash, desktop app). */
  targetDeletes: boolean;
}

/** What a path becomes in the preview: nothing to do (`same`, or a target extra in update mode), or a row. */
export type Verdict =
  | { kind: 'same' }
  | { kind: 'kept' }
  | { kind: 'row'; action: SyncAction; reason: string; ticked: boolean; tickable: boolean };

/** Modification times within this much are the same time (S3 keeps whole seconds). */
export const TIME_SLACK_MS = 1000;

const row = (action: SyncAction, reason: string, ticked = true): Verdict => ({
  kind: 'row',
  action,
  reason,
  ticked: action === 'skip' ? false : ticked,
  tickable: action !== 'skip',
});

/**
 * Decides what a sync does with one path, and says why. The rules (docs/sync.md):
 * - only in the source: copied ("new"), or, where the target had it at the last sync and the
 *   source changed since, a conflict;
 * - in both and equal: nothing;
 * - in both and different: with a record of the last sync, a side that alone changed wins
 *   (in update mode a change only in the target is kept), both changed is a conflict; without
 *   one, a newer source replaces, and a target as new or newer is a conflict (nothing tells
 *   which side changed);
 * - only in the target: mirror deletes it (only when deletes were asked for, and never a local
 *   file outside the desktop app's trash); update keeps it. A path the source deleted while the
 *   target changed it is a conflict.
 * Conflicts start unticked; ticking one copies the source over the target.
 */
export function classifyPath(facts: PathFacts, settings: CompareSettings): Verdict {
  const sourceName = settings.direction === 'upload' ? 'the local folder' : 'the bucket';
  const targetName = settings.direction === 'upload' ? 'the bucket' : 'the local folder';
  const copy: SyncAction = settings.direction === 'upload' ? 'upload' : 'download';
  const { source, target, since } = facts;
  if (source && !target) {
    if (since?.sourceChanged) {
      return row('conflict', `Changed in ${sourceName} and deleted from ${targetName} since the last sync.`, false);
    }
    return since
      ? row(copy, `Deleted from ${targetName} since the last sync; copied again from ${sourceName}.`)
      : row(copy, `New: only in ${sourceName}.`);
  }
  if (!source && target) {
    if (settings.mode === 'update') return { kind: 'kept' };
    if (since?.targetChanged) {
      return row('conflict', `Deleted from ${sourceName} but changed in ${targetName} since the last sync.`, false);
    }
    const why = since ? `Deleted from ${sourceName} since the last sync.` : `Not in ${sourceName}.`;
    if (!settings.targetDeletes) {
      return row('skip', `${why} Kept: local files are never deleted here (the desktop app moves them to the trash).`);
    }
    if (!settings.deletes) return row('skip', `${why} Kept: deleting was not asked for.`);
    return row('delete', why);
  }
  if (!source || !target || facts.equal) return { kind: 'same' };
  if (since) {
    if (since.sourceChanged && since.targetChanged) {
      return row('conflict', 'Changed on both sides since the last sync.', false);
    }
    if (since.targetChanged) {
      return settings.mode === 'update'
        ? row('skip', `Changed only in ${targetName} since the last sync; update-only keeps it.`)
        : row(
            'replace',
            `Changed only in ${targetName} since the last sync; mirror puts the copy from ${sourceName} back.`,
          );
    }
    return row('replace', `Changed in ${sourceName} since the last sync.`);
  }
  if (source.mtimeMs > target.mtimeMs + TIME_SLACK_MS) {
    return row('replace', `Different, and newer in ${sourceName}.`);
  }
  return row(
    'conflict',
    `Different, and the copy in ${targetName} is as new or newer; with no earlier sync nothing tells which side changed.`,
    false,
  );
}
