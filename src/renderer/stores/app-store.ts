import { api } from '../api';
import { createAppStore } from './create-app-store';
import type { NotificationKind } from './notifications-slice';

/** The renderer's one store. Read it with a selector (or `useShallow`), never whole. */
export const useAppStore = createAppStore({ api });

/** Shows a toast from anywhere (a feature, an event handler, a catch block). */
export function notify(message: string, kind: NotificationKind = 'info'): void {
  useAppStore.getState().notify(message, kind);
}
