import type { StateCreator } from 'zustand';
import type { AppState, StoreDependencies } from './app-state';
import type { BrowserLocation } from './selection-slice';

/** The transfer queue as the renderer sees it, and the upload and download requests the browser makes. */
export interface TransfersSlice {
  /** Asks what to upload into a folder (the picker); drops call the upload actions directly. */
  requestUpload: (location: BrowserLocation) => void;
  /** Asks where to download the given keys (files, and folders ending in '/'). */
  requestDownload: (location: BrowserLocation, keys: string[]) => void;
}

/** Creates the transfers slice. */
export function createTransfersSlice(_deps: StoreDependencies): StateCreator<AppState, [], [], TransfersSlice> {
  return () => ({
    requestUpload: () => undefined,
    requestDownload: () => undefined,
  });
}
