import type { StateCreator } from 'zustand';
import type { AccountDraft } from '../../shared/accounts';
import type { AppError } from '../../shared/errors';
import type { AccountSummary, BucketSummary } from '../../shared/models';
import type { Result } from '../../shared/result';
import type { AppState, StoreDependencies } from './app-state';

/** Where a list is in its life: not asked for yet, on its way, shown, or failed. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** One account's bucket list as the sidebar shows it. */
export interface BucketListState {
  status: LoadStatus;
  /** The last list received; kept while reloading and after a failed reload, so the tree does not flicker. */
  buckets: BucketSummary[];
  /** The last failure; kept while retrying so the inline alert is not re-announced on every attempt. */
  error: AppError | null;
}

/** The accounts and, per account, its buckets. */
export interface AccountsSlice {
  accounts: AccountSummary[];
  accountsStatus: LoadStatus;
  accountsError: AppError | null;
  /** Bucket lists by account id. */
  bucketLists: Record<string, BucketListState>;
  /** Lists the accounts, then the buckets of each: the start-up load and the Refresh button. */
  loadAccounts: () => Promise<void>;
  /** Takes a new account list (from a load or the `accounts.changed` event) and lists every account's buckets. */
  receiveAccounts: (accounts: AccountSummary[]) => Promise<void>;
  /** Lists (again) the buckets of one account. */
  loadBuckets: (accountId: string) => Promise<void>;
  /**
   * Saves the account form's draft. On success the account is listed (with its buckets),
   * selected and announced; a failure is returned for the form to show, which stays open.
   */
  saveAccount: (draft: AccountDraft) => Promise<Result<AccountSummary>>;
  /** Removes a saved account (and, in main, its keychain entry); a failure is returned for the dialog to show. */
  removeAccount: (accountId: string) => Promise<Result<{ removed: true }>>;
}

/** An account's bucket list before anything was asked for. */
export const emptyBucketList: BucketListState = { status: 'idle', buckets: [], error: null };

/** Creates the accounts slice over the given API. */
export function createAccountsSlice(deps: StoreDependencies): StateCreator<AppState, [], [], AccountsSlice> {
  return (set, get) => {
    // Answers can arrive out of order (a slow list, then a refresh, then an event): each
    // request takes a number and only the newest one's answer is applied. These counters
    // are bookkeeping, not UI state, so they live beside the store rather than in it.
    let accountsGeneration = 0;
    const bucketsGeneration = new Map<string, number>();

    function setBucketList(accountId: string, update: (list: BucketListState) => BucketListState): void {
      set((state) => ({
        bucketLists: { ...state.bucketLists, [accountId]: update(state.bucketLists[accountId] ?? emptyBucketList) },
      }));
    }

    return {
      accounts: [],
      accountsStatus: 'idle',
      accountsError: null,
      bucketLists: {},

      async loadAccounts() {
        const generation = ++accountsGeneration;
        set({ accountsStatus: 'loading' });
        const result = await deps.api.accounts.list({});
        if (generation !== accountsGeneration) return;
        if (!result.ok) {
          set({ accountsStatus: 'error', accountsError: result.error });
          get().notify(`Could not list the accounts: ${result.error.message}`, 'error');
          return;
        }
        await get().receiveAccounts(result.value);
      },

      async receiveAccounts(accounts) {
        // A newer list (an event) makes any list request still in flight stale.
        accountsGeneration++;
        const ids = new Set(accounts.map((a) => a.id));
        set((state) => ({
          accounts,
          accountsStatus: 'ready',
          accountsError: null,
          bucketLists: Object.fromEntries(Object.entries(state.bucketLists).filter(([id]) => ids.has(id))),
        }));
        for (const id of bucketsGeneration.keys()) if (!ids.has(id)) bucketsGeneration.delete(id);
        get().retainAccounts(ids);
        await Promise.all(accounts.map((a) => get().loadBuckets(a.id)));
      },

      async loadBuckets(accountId) {
        const generation = (bucketsGeneration.get(accountId) ?? 0) + 1;
        bucketsGeneration.set(accountId, generation);
        setBucketList(accountId, (list) => ({ ...list, status: 'loading' }));
        const result = await deps.api.buckets.list({ accountId });
        const account = get().accounts.find((a) => a.id === accountId);
        if (bucketsGeneration.get(accountId) !== generation || !account) return;
        if (result.ok) {
          setBucketList(accountId, () => ({ status: 'ready', buckets: result.value, error: null }));
          get().retainBuckets(accountId, new Set(result.value.map((b) => b.name)));
        } else {
          setBucketList(accountId, (list) => ({ ...list, status: 'error', error: result.error }));
          get().notify(`Could not list the buckets of “${account.name}”: ${result.error.message}`, 'error');
        }
      },

      async saveAccount(draft) {
        const result = await deps.api.accounts.save({ draft });
        if (!result.ok) return result;
        const saved = result.value;
        // Main announces the change (accounts.changed), which lists the account and its
        // buckets; that event may still be on its way, so list now if it has not arrived.
        if (!get().accounts.some((a) => a.id === saved.id)) await get().loadAccounts();
        if (get().accounts.some((a) => a.id === saved.id)) {
          get().setAccountExpanded(saved.id, true);
          get().select({ kind: 'account', accountId: saved.id });
        }
        get().notify('Account saved', 'success');
        return result;
      },

      async removeAccount(accountId) {
        const name = get().accounts.find((a) => a.id === accountId)?.name;
        const result = await deps.api.accounts.remove({ accountId });
        if (!result.ok) return result;
        if (get().accounts.some((a) => a.id === accountId)) await get().loadAccounts();
        get().notify(name ? `Account “${name}” removed` : 'Account removed', 'success');
        return result;
      },
    };
  };
}
