import type { BrowserLocation } from '../../stores/selection-slice';
import { rowLabel, type TreeRow } from './tree-rows';

/** What a key press in the tree asks for; the component carries it out. */
export type TreeCommand =
  | { type: 'focus'; index: number }
  | { type: 'expand'; accountId: string }
  | { type: 'collapse'; accountId: string }
  | { type: 'expand-folder'; location: BrowserLocation }
  | { type: 'collapse-folder'; location: BrowserLocation }
  | { type: 'select'; row: TreeRow }
  | { type: 'expand-all' };

/**
 * Maps a key on the focused row to a command, following the WAI-ARIA tree view pattern
 * (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/): Up/Down move, Right expands (an
 * account, bucket or folder) or enters, Left collapses or goes to the parent, Home/End, Enter/Space select, `*` expands
 * all, and a printable character jumps to the next item starting with it.
 * Returns undefined for keys the tree does not handle, so they keep their default.
 */
export function treeCommandForKey(rows: readonly TreeRow[], index: number, key: string): TreeCommand | undefined {
  const row = rows[index];
  if (!row) return undefined;
  switch (key) {
    case 'ArrowDown':
      return index < rows.length - 1 ? { type: 'focus', index: index + 1 } : undefined;
    case 'ArrowUp':
      return index > 0 ? { type: 'focus', index: index - 1 } : undefined;
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: rows.length - 1 };
    case 'ArrowRight':
      if (row.kind === 'message') return undefined;
      if (row.kind === 'account' && !row.expanded) return { type: 'expand', accountId: row.account.id };
      if (row.kind !== 'account' && !row.expanded) {
        return row.expandable ? { type: 'expand-folder', location: row.location } : undefined;
      }
      return rows[index + 1]?.level === row.level + 1 ? { type: 'focus', index: index + 1 } : undefined;
    case 'ArrowLeft': {
      if (row.kind === 'account') return row.expanded ? { type: 'collapse', accountId: row.account.id } : undefined;
      if (row.kind !== 'message' && row.expanded) return { type: 'collapse-folder', location: row.location };
      const parent = rows.findLastIndex((r, i) => i < index && r.level === row.level - 1);
      return parent >= 0 ? { type: 'focus', index: parent } : undefined;
    }
    case 'Enter':
    case ' ':
      return row.kind === 'message' ? undefined : { type: 'select', row };
    case '*':
      return { type: 'expand-all' };
    default: {
      if (key.length !== 1 || key.trim() === '') return undefined;
      const match = findByFirstCharacter(rows, index, key);
      return match >= 0 ? { type: 'focus', index: match } : undefined;
    }
  }
}

/** The next row after `index` (wrapping around) whose label starts with `character`, or -1. */
function findByFirstCharacter(rows: readonly TreeRow[], index: number, character: string): number {
  const wanted = character.toLocaleLowerCase();
  for (let step = 1; step <= rows.length; step++) {
    const i = (index + step) % rows.length;
    const row = rows[i];
    if (row && row.kind !== 'message' && rowLabel(row).toLocaleLowerCase().startsWith(wanted)) return i;
  }
  return -1;
}

/** Re-exported for the tree's callers: the Menu key or Shift+F10. */
export { isContextMenuKey } from '../../components/context-menu-key';
