import type { Api } from '../../shared/api';
import type { AppStore } from './create-app-store';

/**
 * Wires the store to main, outside React: the first load, and a refresh whenever main says
 * the accounts changed. Outside React so that no component mounting twice (StrictMode) or
 * unmounting loses or doubles a subscription. Returns the function that undoes it.
 */
export function connectStore(store: AppStore, api: Pick<Api, 'accounts'>): () => void {
  const unsubscribe = api.accounts.onChanged(({ accounts }) => {
    void store.getState().receiveAccounts(accounts);
  });
  void store.getState().loadAccounts();
  return unsubscribe;
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
