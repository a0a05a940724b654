import type { AccountSummary, BucketSummary } from '../../../shared/models';
import type { BucketListState } from '../../stores/accounts-slice';
import type { FolderChildrenState } from '../../stores/folder-tree-slice';
import { isAccountExpanded, locationKey, type BrowserLocation, type TreeSelection } from '../../stores/selection-slice';

interface RowBase {
  /** Unique among rows; stable across renders, used as React key and for focus. */
  id: string;
  /** aria-level: 1 for accounts, 2 for buckets, 3 and down for folders. */
  level: number;
  /** aria-posinset and aria-setsize: the tree is rendered flat, so assistive technology needs them. */
  position: number;
  setSize: number;
}

/** An account: a parent item that can be expanded. */
export interface AccountRow extends RowBase {
  kind: 'account';
  account: AccountSummary;
  expanded: boolean;
  /** Its buckets are being (re)listed. */
  busy: boolean;
}

/** What buckets and folders share: both are locations, expanded lazily to show their subfolders. */
interface LocationRowBase extends RowBase {
  accountId: string;
  location: BrowserLocation;
  expanded: boolean;
  /** False once it is known to have no subfolders: it then shows no disclosure triangle. */
  expandable: boolean;
  /** Its subfolders are being listed. */
  busy: boolean;
}

/** A bucket under its account. */
export interface BucketRow extends LocationRowBase {
  kind: 'bucket';
  bucket: BucketSummary;
}

/** A folder under its bucket or parent folder. */
export interface FolderRow extends LocationRowBase {
  kind: 'folder';
  /** Its last segment, without the '/'. */
  name: string;
}

/** A note under an account, bucket or folder instead of (or above) its children: a failure, or "No buckets". */
export interface MessageRow extends RowBase {
  kind: 'message';
  accountId: string;
  tone: 'error' | 'empty';
  text: string;
  /**
   * The buttons beside the note: an account that failed to connect offers Try again and Edit
   * account, an account without buckets offers Create bucket.
   */
  offers?: 'reconnect' | 'create-bucket';
}

/** One visible line of the sidebar tree. */
export type TreeRow = AccountRow | BucketRow | FolderRow | MessageRow;

/** The folders part of the tree: subfolders listed so far, and which buckets and folders are expanded. */
export interface FolderTreeState {
  children: Readonly<Record<string, FolderChildrenState>>;
  expanded: Readonly<Record<string, true>>;
}

const noFolders: FolderTreeState = { children: {}, expanded: {} };

/** The row id of an account. */
export function accountRowId(accountId: string): string {
  return JSON.stringify(['account', accountId]);
}

/** The row id of a bucket; JSON keeps ids unique whatever characters account ids contain. */
export function bucketRowId(accountId: string, bucket: string): string {
  return JSON.stringify(['bucket', accountId, bucket]);
}

/** The row id of a folder. */
export function folderRowId(location: BrowserLocation): string {
  return JSON.stringify(['folder', location.accountId, location.bucket, location.prefix]);
}

/** The row id of what is selected, to mark it and to start keyboard focus there. */
export function selectionRowId(selection: TreeSelection | null): string | null {
  if (!selection) return null;
  switch (selection.kind) {
    case 'account':
      return accountRowId(selection.accountId);
    case 'bucket':
      return bucketRowId(selection.accountId, selection.bucket);
    case 'folder':
      return folderRowId(selection);
  }
}

type Unpositioned<T> = T extends TreeRow ? Omit<T, 'position' | 'setSize'> : never;

/** Numbers siblings (aria-posinset/setsize) and appends each with the rows below it. */
function placeSiblings(siblings: Array<{ row: Unpositioned<TreeRow>; below: TreeRow[] }>, into: TreeRow[]): void {
  siblings.forEach(({ row, below }, i) => {
    into.push({ ...row, position: i + 1, setSize: siblings.length } as TreeRow);
    into.push(...below);
  });
}

/** The state of a bucket or folder row, and (when expanded) the rows of its subfolders. */
function locationNode(location: BrowserLocation, level: number, folders: FolderTreeState) {
  const key = locationKey(location);
  const node = folders.children[key];
  const expanded = Object.hasOwn(folders.expanded, key);
  const empty = node?.status === 'ready' && node.folders.length === 0 && !node.incomplete;
  const state = { expanded: expanded && !empty, expandable: !empty, busy: node?.status === 'loading' };
  const below: TreeRow[] = [];
  if (!state.expanded || !node) return { state, below };

  const children: Array<{ row: Unpositioned<TreeRow>; below: TreeRow[] }> = [];
  if (node.error) {
    children.push({
      row: {
        kind: 'message',
        id: JSON.stringify(['error', key]),
        level: level + 1,
        accountId: location.accountId,
        tone: 'error',
        text: node.error.message,
      },
      below: [],
    });
  }
  for (const folder of node.folders) {
    const child: BrowserLocation = { ...location, prefix: folder.key };
    const sub = locationNode(child, level + 1, folders);
    children.push({
      row: {
        kind: 'folder',
        id: folderRowId(child),
        level: level + 1,
        accountId: location.accountId,
        location: child,
        name: folder.name,
        ...sub.state,
      },
      below: sub.below,
    });
  }
  if (node.incomplete) {
    children.push({
      row: {
        kind: 'message',
        id: JSON.stringify(['incomplete', key]),
        level: level + 1,
        accountId: location.accountId,
        tone: 'empty',
        text: 'More folders: open this folder to see them all',
      },
      below: [],
    });
  }
  placeSiblings(children, below);
  return { state, below };
}

/**
 * Flattens accounts, their bucket lists and the folders listed so far into the rows the tree
 * shows, in order, leaving out children of collapsed items. A flat list (rather than nested
 * groups) keeps each item's accessible name to its own label and lets keyboard navigation
 * walk an array.
 */
export function buildTreeRows(
  accounts: readonly AccountSummary[],
  bucketLists: Readonly<Record<string, BucketListState>>,
  collapsedAccounts: Readonly<Record<string, true>>,
  folders: FolderTreeState = noFolders,
): TreeRow[] {
  const rows: TreeRow[] = [];
  accounts.forEach((account, index) => {
    const list = bucketLists[account.id];
    const expanded = isAccountExpanded(collapsedAccounts, account.id);
    rows.push({
      kind: 'account',
      id: accountRowId(account.id),
      level: 1,
      position: index + 1,
      setSize: accounts.length,
      account,
      expanded,
      busy: list?.status === 'loading',
    });
    if (!expanded || !list) return;

    const children: Array<{ row: Unpositioned<TreeRow>; below: TreeRow[] }> = [];
    if (list.error) {
      children.push({
        row: {
          kind: 'message',
          id: JSON.stringify(['error', account.id]),
          level: 2,
          accountId: account.id,
          tone: 'error',
          text: list.error.message,
          offers: 'reconnect',
        },
        below: [],
      });
    }
    for (const bucket of list.buckets) {
      const location: BrowserLocation = { accountId: account.id, bucket: bucket.name, prefix: '' };
      const node = locationNode(location, 2, folders);
      children.push({
        row: {
          kind: 'bucket',
          id: bucketRowId(account.id, bucket.name),
          level: 2,
          accountId: account.id,
          location,
          bucket,
          ...node.state,
        },
        below: node.below,
      });
    }
    if (list.status === 'ready' && list.buckets.length === 0) {
      children.push({
        row: {
          kind: 'message',
          id: JSON.stringify(['empty', account.id]),
          level: 2,
          accountId: account.id,
          tone: 'empty',
          text: 'No buckets',
          offers: 'create-bucket',
        },
        below: [],
      });
    }
    placeSiblings(children, rows);
  });
  return rows;
}

/** The text a row is known by: for type-ahead, and as its accessible name. */
export function rowLabel(row: TreeRow): string {
  switch (row.kind) {
    case 'account':
      return row.account.name;
    case 'bucket':
      return row.bucket.name;
    case 'folder':
      return row.name;
    case 'message':
      return row.text;
  }
}
