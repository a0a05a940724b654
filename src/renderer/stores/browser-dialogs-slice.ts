import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';
import type { BrowserLocation } from './selection-slice';

/**
 * The file browser's dialog that is open, and what it is about. Only that: what is typed
 * in a dialog stays in the dialog's own state.
 */
export type BrowserDialog =
  | { kind: 'new-folder'; location: BrowserLocation }
  | { kind: 'rename'; location: BrowserLocation; key: string }
  | { kind: 'delete'; location: BrowserLocation; keys: string[] }
  | { kind: 'transfer'; mode: 'copy' | 'move'; location: BrowserLocation; items: string[] }
  | { kind: 'create-bucket'; accountId: string }
  | { kind: 'delete-bucket'; accountId: string; bucket: string }
  | { kind: 'versions'; location: BrowserLocation; key: string };

/** Which file browser dialog is open. */
export interface BrowserDialogsSlice {
  browserDialog: BrowserDialog | null;
  openBrowserDialog: (dialog: BrowserDialog) => void;
  closeBrowserDialog: () => void;
}

/** Creates the file browser dialogs slice. */
export function createBrowserDialogsSlice(): StateCreator<AppState, [], [], BrowserDialogsSlice> {
  return (set) => ({
    browserDialog: null,
    openBrowserDialog: (browserDialog) => set({ browserDialog }),
    closeBrowserDialog: () => set({ browserDialog: null }),
  });
}
