import { lastSegment, parentOf } from '../../../shared/names';
import { countOf } from './format';

/** A key's name as dialogs show it: its last segment, a folder with its trailing '/'. */
function shownName(key: string): string {
  return lastSegment(key);
}

/** The sentence that asks before a delete: how many items, and that folders go with everything in them. */
export function deleteQuestion(keys: readonly string[]): string {
  const first = keys[0] ?? '';
  if (keys.length === 1) {
    return first.endsWith('/')
      ? `Delete the folder “${shownName(first).slice(0, -1)}” and everything in it? This cannot be undone.`
      : `Delete “${shownName(first)}”? This cannot be undone.`;
  }
  const folders = keys.filter((key) => key.endsWith('/')).length;
  const foldersNote =
    folders === 0
      ? ''
      : folders === keys.length || folders > 1
        ? ' Folders are deleted with everything in them.'
        : ' The folder is deleted with everything in it.';
  return `Delete ${countOf(keys.length, 'item')}?${foldersNote} This cannot be undone.`;
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
