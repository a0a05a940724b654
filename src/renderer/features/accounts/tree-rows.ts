import type { AccountSummary, BucketSummary } from '../../../shared/models';
import type { BucketListState } from '../../stores/accounts-slice';
import { isAccountExpanded, type TreeSelection } from '../../stores/selection-slice';

interface RowBase {
  /** Unique among rows; stable across renders, used as React key and for focus. */
  id: string;
  /** aria-level: 1 for accounts, 2 for what is under them. */
  level: 1 | 2;
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

/** A bucket under its account. */
export interface BucketRow extends RowBase {
  kind: 'bucket';
  accountId: string;
  bucket: BucketSummary;
}

/** A note under an account instead of (or above) its buckets: a failure, or "No buckets". */
export interface MessageRow extends RowBase {
  kind: 'message';
  accountId: string;
  tone: 'error' | 'empty';
  text: string;
}

/** One visible line of the sidebar tree. */
export type TreeRow = AccountRow | BucketRow | MessageRow;

/** The row id of an account. */
export function accountRowId(accountId: string): string {
  return JSON.stringify(['account', accountId]);
}

/** The row id of a bucket; JSON keeps ids unique whatever characters account ids contain. */
export function bucketRowId(accountId: string, bucket: string): string {
  return JSON.stringify(['bucket', accountId, bucket]);
}

/** The row id of what is selected, to mark it and to start keyboard focus there. */
export function selectionRowId(selection: TreeSelection | null): string | null {
  if (!selection) return null;
  return selection.kind === 'account'
    ? accountRowId(selection.accountId)
    : bucketRowId(selection.accountId, selection.bucket);
}

/**
 * Flattens accounts and their bucket lists into the rows the tree shows, in order, leaving
 * out children of collapsed accounts. A flat list (rather than nested groups) keeps each
 * item's accessible name to its own label, lets keyboard navigation walk an array, and
 * can be windowed later when folders bring thousands of rows.
 */
export function buildTreeRows(
  accounts: readonly AccountSummary[],
  bucketLists: Readonly<Record<string, BucketListState>>,
  collapsedAccounts: Readonly<Record<string, true>>,
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

    const children: Array<Omit<MessageRow, 'position' | 'setSize'> | Omit<BucketRow, 'position' | 'setSize'>> = [];
    if (list.error) {
      children.push({
        kind: 'message',
        id: JSON.stringify(['error', account.id]),
        level: 2,
        accountId: account.id,
        tone: 'error',
        text: list.error.message,
      });
    }
    for (const bucket of list.buckets) {
      children.push({
        kind: 'bucket',
        id: bucketRowId(account.id, bucket.name),
        level: 2,
        accountId: account.id,
        bucket,
      });
    }
    if (list.status === 'ready' && list.buckets.length === 0) {
      children.push({
        kind: 'message',
        id: JSON.stringify(['empty', account.id]),
        level: 2,
        accountId: account.id,
        tone: 'empty',
        text: 'No buckets',
      });
    }
    children.forEach((child, i) => rows.push({ ...child, position: i + 1, setSize: children.length } as TreeRow));
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
    case 'message':
      return row.text;
  }
}
