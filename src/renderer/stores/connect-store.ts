import type { Api } from '../../shared/api';
import type { AppStore } from './create-app-store';
import { readSavedTabs, rememberTabs, type TabStorage } from './tabs-slice';

/**
 * Wires the store to main, outside React: the first load, a refresh whenever main says the
 * accounts, a folder or what a service can do changed, and the progress and outcome of long
 * operations. Outside React so that no component mounting twice (StrictMode) or unmounting loses
 * or doubles a subscription. Returns the function that undoes it.
 */
export function connectStore(
  store: AppStore,
  api: Pick<Api, 'accounts' | 'objects' | 'operations' | 'capabilities' | 'links' | 'edit' | 'bookmarks'>,
  /** Where open tabs are remembered between sessions (none: tabs start afresh each time). */
  tabStorage?: TabStorage,
): () => void {
  // s3:// links the OS opened the app with wait in main until taken: on start (after the
  // accounts and their buckets are known, to pick the account) and whenever one arrives.
  let accountsKnown = false;
  const takeLinks = async (): Promise<void> => {
    if (!accountsKnown) return;
    const taken = await api.links.takePending({});
    if (!taken.ok) return;
    for (const link of taken.value.links) {
      const problem = store.getState().openLink(link);
      if (problem !== null) store.getState().notify(`Could not open ${link}: ${problem}`, 'error');
    }
  };
  const unsubscribers = [
    api.accounts.onChanged(({ accounts }) => {
      void store.getState().receiveAccounts(accounts);
      store.getState().receiveCapabilityAccounts(accounts.map((account) => account.id));
    }),
    api.capabilities.onChanged((change) => store.getState().receiveCapabilitiesChanged(change)),
    api.objects.onChanged((change) => store.getState().receiveObjectsChanged(change)),
    api.objects.onChanged((change) => store.getState().receiveDeletedChanged(change)),
    api.operations.onProgress((progress) => store.getState().receiveProgress(progress)),
    api.operations.onFinished((outcome) => store.getState().receiveOutcome(outcome)),
    api.links.onReceived(() => void takeLinks()),
    api.edit.onChanged((change) => store.getState().receiveEditChanged(change)),
    api.bookmarks.onChanged(({ bookmarks }) => store.getState().receiveBookmarks(bookmarks)),
  ];
  let forgetTabs: (() => void) | undefined;
  void store.getState().loadBookmarks();
  void store.getState().loadEdits();
  void store
    .getState()
    .loadAccounts()
    .then(() => {
      accountsKnown = true;
      // The tabs of the last session, once their accounts are known (a removed account's tab opens empty).
      if (tabStorage) {
        const saved = readSavedTabs(tabStorage);
        if (saved) store.getState().restoreTabs(saved);
        forgetTabs = rememberTabs(store, tabStorage);
      }
      return takeLinks();
    });
  return () => {
    forgetTabs?.();
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/**
 * Turns a promise rejection nobody handled into a toast instead of a silent failure. API calls
 * never reject, so this only catches bugs, but a person should still hear that something failed.
 */
export function reportUnhandledRejections(store: AppStore, target: Window): () => void {
  const onRejection = (event: PromiseRejectionEvent): void => {
    const detail = event.reason instanceof Error ? event.reason.message : String(event.reason);
    store.getState().notify(`Something went wrong inside the app: ${detail}`, 'error');
  };
  target.addEventListener('unhandledrejection', onRejection);
  return () => target.removeEventListener('unhandledrejection', onRejection);
}
