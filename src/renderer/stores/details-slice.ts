import type { StateCreator } from 'zustand';
import type { AppState, StoreDependencies } from './app-state';

/** What the details panel loaded for the selection (object properties, bucket properties). */
export type DetailsSlice = Record<never, never>;

/** Creates the details slice. */
export function createDetailsSlice(_deps: StoreDependencies): StateCreator<AppState, [], [], DetailsSlice> {
  return () => ({});
}
