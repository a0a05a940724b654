import type { StateCreator } from 'zustand';
import type { AppState, StoreDependencies } from './app-state';
import type { BrowserLocation } from './selection-slice';

/** Share links: the dialog that makes them, and the list of links made. */
export interface ShareSlice {
  /** Opens the share dialog for some files of a folder. */
  openShareDialog: (location: BrowserLocation, keys: string[]) => void;
}

/** Creates the share slice. */
export function createShareSlice(_deps: StoreDependencies): StateCreator<AppState, [], [], ShareSlice> {
  return () => ({
    openShareDialog: () => undefined,
  });
}
