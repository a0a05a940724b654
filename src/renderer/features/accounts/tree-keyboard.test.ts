import { describe, expect, it } from 'vitest';
import type { BucketListState } from '../../stores/accounts-slice';
import { isContextMenuKey, treeCommandForKey } from './tree-keyboard';
import { buildTreeRows } from './tree-rows';
import { sampleAccount } from '../../test-support/sample-accounts';

const accounts = [
  sampleAccount({ id: 'a', name: 'Alpha', endpoint: 'http://a' }),
  sampleAccount({ id: 'b', name: 'Beta', endpoint: 'http://b' }),
];
const ready = (...names: string[]): BucketListState => ({
  status: 'ready',
  buckets: names.map((name) => ({ name, createdAt: null })),
  error: null,
});

// Alpha (expanded) > apples, bananas; Beta (collapsed)
const rows = buildTreeRows(accounts, { a: ready('apples', 'bananas'), b: ready('cherries') }, { b: true });

describe('treeCommandForKey', () => {
  it('moves up and down through visible rows and stops at the ends', () => {
    expect(treeCommandForKey(rows, 0, 'ArrowDown')).toEqual({ type: 'focus', index: 1 });
    expect(treeCommandForKey(rows, 1, 'ArrowUp')).toEqual({ type: 'focus', index: 0 });
    expect(treeCommandForKey(rows, 0, 'ArrowUp')).toBeUndefined();
    expect(treeCommandForKey(rows, rows.length - 1, 'ArrowDown')).toBeUndefined();
    expect(treeCommandForKey(rows, 2, 'Home')).toEqual({ type: 'focus', index: 0 });
    expect(treeCommandForKey(rows, 0, 'End')).toEqual({ type: 'focus', index: 3 });
  });

  it('expands a collapsed account with Right, then enters it', () => {
    expect(treeCommandForKey(rows, 3, 'ArrowRight')).toEqual({ type: 'expand', accountId: 'b' });
    expect(treeCommandForKey(rows, 0, 'ArrowRight')).toEqual({ type: 'focus', index: 1 });
  });

  it('expands a bucket or folder with Right, enters it, and collapses it with Left', () => {
    const apples = { accountId: 'a', bucket: 'apples', prefix: '' };
    expect(treeCommandForKey(rows, 1, 'ArrowRight')).toEqual({ type: 'expand-folder', location: apples });
    const withFolders = buildTreeRows(
      accounts,
      { a: ready('apples') },
      {},
      {
        children: {
          [JSON.stringify(['a', 'apples', ''])]: {
            status: 'ready',
            folders: [{ kind: 'folder', key: 'red/', name: 'red' }],
            error: null,
            incomplete: false,
          },
          [JSON.stringify(['a', 'apples', 'red/'])]: { status: 'ready', folders: [], error: null, incomplete: false },
        },
        expanded: { [JSON.stringify(['a', 'apples', ''])]: true, [JSON.stringify(['a', 'apples', 'red/'])]: true },
      },
    );
    expect(withFolders.map((r) => [r.kind, r.level])).toEqual([
      ['account', 1],
      ['bucket', 2],
      ['folder', 3],
      ['account', 1],
    ]);
    expect(treeCommandForKey(withFolders, 1, 'ArrowRight')).toEqual({ type: 'focus', index: 2 });
    expect(treeCommandForKey(withFolders, 1, 'ArrowLeft')).toEqual({ type: 'collapse-folder', location: apples });
    // A folder known to have no subfolders neither expands nor shows as expanded; Left goes to its bucket.
    expect(withFolders[2]).toMatchObject({ expandable: false, expanded: false });
    expect(treeCommandForKey(withFolders, 2, 'ArrowRight')).toBeUndefined();
    expect(treeCommandForKey(withFolders, 2, 'ArrowLeft')).toEqual({ type: 'focus', index: 1 });
  });

  it('collapses an expanded account with Left, and goes from a bucket to its account', () => {
    expect(treeCommandForKey(rows, 0, 'ArrowLeft')).toEqual({ type: 'collapse', accountId: 'a' });
    expect(treeCommandForKey(rows, 2, 'ArrowLeft')).toEqual({ type: 'focus', index: 0 });
    expect(treeCommandForKey(rows, 3, 'ArrowLeft')).toBeUndefined();
  });

  it('selects with Enter and Space', () => {
    expect(treeCommandForKey(rows, 1, 'Enter')).toEqual({ type: 'select', row: rows[1] });
    expect(treeCommandForKey(rows, 0, ' ')).toEqual({ type: 'select', row: rows[0] });
  });

  it('jumps to the next item starting with a typed character, wrapping around', () => {
    expect(treeCommandForKey(rows, 0, 'b')).toEqual({ type: 'focus', index: 2 }); // bananas
    expect(treeCommandForKey(rows, 2, 'B')).toEqual({ type: 'focus', index: 3 }); // Beta
    expect(treeCommandForKey(rows, 3, 'a')).toEqual({ type: 'focus', index: 0 }); // Alpha, wrapped
    expect(treeCommandForKey(rows, 0, 'z')).toBeUndefined();
  });

  it('expands every account with *, and leaves other keys alone', () => {
    expect(treeCommandForKey(rows, 0, '*')).toEqual({ type: 'expand-all' });
    expect(treeCommandForKey(rows, 0, 'Tab')).toBeUndefined();
    expect(treeCommandForKey(rows, 0, 'F2')).toBeUndefined();
  });
});

describe('isContextMenuKey', () => {
  it('takes the Menu key and Shift+F10, not F10 alone', () => {
    expect(isContextMenuKey({ key: 'ContextMenu', shiftKey: false })).toBe(true);
    expect(isContextMenuKey({ key: 'F10', shiftKey: true })).toBe(true);
    expect(isContextMenuKey({ key: 'F10', shiftKey: false })).toBe(false);
    expect(isContextMenuKey({ key: 'Enter', shiftKey: true })).toBe(false);
  });
});
