import type { AccountSummary } from '../../../shared/accounts';
import type { AppError } from '../../../shared/errors';
import type { BucketListState, LoadStatus } from '../../stores/accounts-slice';
import type { TreeSelection } from '../../stores/selection-slice';

/**
 * What the main area says while no bucket is open, so that it always matches what is going on:
 * the accounts still loading or unreadable, a first start with no account, an account
 * connecting, failing to connect, or without buckets, or buckets to choose from.
 */
export type CentreState =
  | { kind: 'loading-accounts' }
  | { kind: 'accounts-failed'; error: AppError }
  | { kind: 'welcome' }
  | { kind: 'connecting'; account: AccountSummary }
  | { kind: 'account-failed'; account: AccountSummary; error: AppError }
  | { kind: 'no-buckets'; account: AccountSummary }
  | { kind: 'choose-bucket'; account: AccountSummary; bucketCount: number }
  /** Several accounts and none selected; bucketCount counts the buckets listed among them. */
  | { kind: 'choose-account'; accountCount: number; bucketCount: number };

/** What the main area's empty state is worked out from: a part of the store. */
export interface CentreInput {
  accounts: readonly AccountSummary[];
  accountsStatus: LoadStatus;
  accountsError: AppError | null;
  bucketLists: Readonly<Record<string, BucketListState>>;
  selection: TreeSelection | null;
}

/**
 * The account the main area speaks about: the selected one, or the only one there is. With
 * several accounts and none selected there is none (the person picks one in the sidebar).
 */
export function centreAccountOf(input: Pick<CentreInput, 'accounts' | 'selection'>): AccountSummary | null {
  const selected = input.selection ? input.accounts.find((a) => a.id === input.selection?.accountId) : undefined;
  if (selected) return selected;
  return input.accounts.length === 1 ? (input.accounts[0] ?? null) : null;
}

/** Works out which empty state the main area shows. */
export function centreStateOf(input: CentreInput): CentreState {
  if (input.accounts.length === 0) {
    if (input.accountsStatus === 'error' && input.accountsError) {
      return { kind: 'accounts-failed', error: input.accountsError };
    }
    return input.accountsStatus === 'ready' ? { kind: 'welcome' } : { kind: 'loading-accounts' };
  }
  const account = centreAccountOf(input);
  if (!account) {
    const bucketCount = input.accounts.reduce((sum, a) => sum + (input.bucketLists[a.id]?.buckets.length ?? 0), 0);
    return { kind: 'choose-account', accountCount: input.accounts.length, bucketCount };
  }
  const list = input.bucketLists[account.id];
  // A retry keeps the last error until it answers: while it runs, the account is connecting again.
  if (!list || list.status === 'idle' || list.status === 'loading') return { kind: 'connecting', account };
  if (list.status === 'error' && list.error) return { kind: 'account-failed', account, error: list.error };
  if (list.buckets.length === 0) return { kind: 'no-buckets', account };
  return { kind: 'choose-bucket', account, bucketCount: list.buckets.length };
}
