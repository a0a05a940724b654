import { lastSegment, numberedName, parentOf } from '../../../shared/names';
import type { SelectionCollision, TransferConflicts } from '../../../shared/objects';
import type { DeletedVersionCount } from '../../../shared/versions';
import { countOf } from './format';
import { formatLocation } from './parse-location';
import type { VersioningState } from './use-bucket-versioning';

/** A key's name as dialogs show it: its last segment, a folder with its trailing '/'. */
function shownName(key: string): string {
  return lastSegment(key);
}

/**
 * What a delete means in a bucket, by its versioning: with versioning on, S3 puts a delete marker
 * on top and keeps every version, so Undelete brings it back; suspended, the delete replaces the
 * "null" version (one written while suspended is lost) and keeps older ones; without versioning,
 * or where it is not known (yet), it is gone for good, which is the safe thing to say.
 */
export function deleteConsequence(versioning: VersioningState): string {
  switch (versioning) {
    case 'enabled':
      return 'Versioning is on in this bucket, so this can be undone: Show deleted files → Undelete.';
    case 'suspended':
      return 'Versioning is suspended in this bucket: versions kept from before can be brought back (Show deleted files → Undelete), but a version written while versioning was suspended (the “null” version) is removed for good.';
    case 'off':
    case 'unknown':
      return 'This cannot be undone.';
  }
}

/** The sentence that asks before a delete: how many items, that folders go with everything in them, and whether it can be undone. */
export function deleteQuestion(keys: readonly string[], versioning: VersioningState = 'unknown'): string {
  const first = keys[0] ?? '';
  const after = deleteConsequence(versioning);
  if (keys.length === 1) {
    return first.endsWith('/')
      ? `Delete the folder “${shownName(first).slice(0, -1)}” and everything in it? ${after}`
      : `Delete “${shownName(first)}”? ${after}`;
  }
  const folders = keys.filter((key) => key.endsWith('/')).length;
  const foldersNote =
    folders === 0
      ? ''
      : folders === keys.length || folders > 1
        ? ' Folders are deleted with everything in them.'
        : ' The folder is deleted with everything in it.';
  return `Delete ${countOf(keys.length, 'item')}?${foldersNote} ${after}`;
}

/**
 * The question before "Delete for good": what goes (every version and delete marker of the
 * deleted files, counted first where the count is known), and that it cannot be undone.
 */
export function deleteForGoodQuestion(keys: readonly string[], count: DeletedVersionCount | null): string {
  const first = keys[0] ?? '';
  const what =
    keys.length === 1
      ? first.endsWith('/')
        ? `the deleted files in “${shownName(first).slice(0, -1)}”`
        : `“${shownName(first)}”`
      : countOf(keys.length, 'deleted item');
  const versions = count
    ? `${count.more ? 'At least ' : ''}${countOf(count.versions, 'version or delete marker', 'versions and delete markers')} of ${countOf(count.files, 'file')} will be removed.`
    : 'Every version and delete marker of them will be removed.';
  return `Delete ${what} for good? ${versions} This cannot be undone.`;
}

/** What was typed in a "Folder" field as a prefix: no leading '/', a trailing '/' unless it is the root. */
export function folderPrefix(typed: string): string {
  const trimmed = typed.trim().replace(/^\/+/, '');
  if (trimmed === '') return '';
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** Why a copy or move to a folder cannot be done, or null when it can. */
export function transferProblem(
  sourceBucket: string,
  items: readonly string[],
  targetBucket: string,
  targetPrefix: string,
): string | null {
  if (sourceBucket !== targetBucket) return null;
  if (items.some((key) => key.endsWith('/') && targetPrefix.startsWith(key))) {
    return 'A folder cannot go into itself: choose a folder outside it.';
  }
  if (items.every((key) => parentOf(key) === targetPrefix)) {
    return items.length === 1
      ? 'It is already in this folder: choose another.'
      : 'They are already in this folder: choose another.';
  }
  return null;
}

/** The question when some items exist at the destination. */
export function conflictQuestion(conflicts: readonly string[], total: number, where: string): string {
  const listed = conflicts.slice(0, 3).map((name) => `“${name.replace(/\/$/, '')}”`);
  const more = conflicts.length > 3 ? ` and ${(conflicts.length - 3).toLocaleString()} more` : '';
  const names = `${listed.join(', ')}${more}`;
  if (total === 1) return `${names} already exists in ${where}. Replace it, skip it, or keep both?`;
  const verb = conflicts.length === 1 ? 'already exists' : 'already exist';
  return `${conflicts.length === total ? 'All of them' : `${conflicts.length} of ${total} items`} ${verb} in ${where}: ${names}. Replace them, skip them, or keep both?`;
}

/**
 * The sentence when selected items would land on one name (search results list keys from
 * many folders): "2 of the selected items would land on s3://b/z/f.txt."
 */
export function collisionSentence(collisions: readonly SelectionCollision[], bucket: string): string {
  const phrases = collisions
    .slice(0, 3)
    .map(
      (c, i) =>
        `${c.items.length.toLocaleString()}${i === 0 ? ' of the selected items would land' : ''} on ${formatLocation(bucket, c.key)}`,
    );
  if (collisions.length > 3) {
    const more = collisions.length - 3;
    return `${phrases.join(', ')}, and ${more.toLocaleString()} more ${more === 1 ? 'name is' : 'names are'} shared the same way.`;
  }
  const last = phrases.pop();
  return phrases.length > 0 ? `${phrases.join(', ')} and ${last ?? ''}.` : `${last ?? ''}.`;
}

/** What the copy or move dialog says when it finds conflicts: the question, a hint, and whether Replace is offered. */
export function conflictDialogText(
  mode: 'copy' | 'move',
  found: TransferConflicts,
  total: number,
  target: { bucket: string; prefix: string },
): { question: string; hint: string; canReplace: boolean } {
  const { conflicts, collisions } = found;
  const where = formatLocation(target.bucket, target.prefix);
  const canReplace = conflicts.length > 0;
  const parts: string[] = [];
  if (conflicts.length > 0) parts.push(conflictQuestion(conflicts, total, where));
  if (collisions.length > 0) {
    parts.push(collisionSentence(collisions, target.bucket));
    if (!canReplace) parts.push('Skip the others, or keep both?');
  }
  const first = collisions[0];
  if (!first) {
    return {
      question: parts.join(' '),
      hint: 'Keep both gives the new copies a numbered name, such as “report (1).pdf”.',
      canReplace,
    };
  }
  const numbered = `“${numberedName(lastSegment(first.key), 1).replace(/\/$/, '')}”`;
  // Main never lets two of the person's own items overwrite each other (copy-objects.ts, nameItems).
  const others = mode === 'move' ? 'leaves the others where they are' : 'does not copy the others';
  const numbering = canReplace ? 'Keep both and Replace give' : 'Keep both gives';
  const replaceNote = canReplace ? ' Replace overwrites only what is already there.' : '';
  return {
    question: parts.join(' '),
    hint: `Selected items never overwrite each other: Skip takes the first of each name and ${others}; ${numbering} the others a numbered name, such as ${numbered}.${replaceNote}`,
    canReplace,
  };
}
