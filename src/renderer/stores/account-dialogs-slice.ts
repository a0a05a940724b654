import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';

/** What the account form is open for: a new account, or editing a saved one. */
export type AccountEditorTarget = { mode: 'add' } | { mode: 'edit'; accountId: string };

/**
 * Which account dialog is open. Only which one, never what is typed in it: the form's values
 * (a secret among them) stay in the dialog's own state and vanish when it closes.
 */
export interface AccountDialogsSlice {
  accountEditor: AccountEditorTarget | null;
  /** The account whose removal is being confirmed. */
  accountToRemove: string | null;
  /** Opens the account form (closing a removal confirmation). */
  openAccountEditor: (target: AccountEditorTarget) => void;
  closeAccountEditor: () => void;
  /** Asks to confirm the removal of an account (closing the account form). */
  confirmAccountRemoval: (accountId: string) => void;
  closeAccountRemoval: () => void;
}

/** Creates the account dialogs slice. */
export function createAccountDialogsSlice(): StateCreator<AppState, [], [], AccountDialogsSlice> {
  return (set) => ({
    accountEditor: null,
    accountToRemove: null,
    openAccountEditor: (target) => set({ accountEditor: target, accountToRemove: null }),
    closeAccountEditor: () => set({ accountEditor: null }),
    confirmAccountRemoval: (accountId) => set({ accountToRemove: accountId, accountEditor: null }),
    closeAccountRemoval: () => set({ accountToRemove: null }),
  });
}
