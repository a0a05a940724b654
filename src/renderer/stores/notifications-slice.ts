import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';

/** How a notification looks and how urgently it is announced. */
export type NotificationKind = 'info' | 'success' | 'error';

/** One toast waiting to be shown or on screen. */
export interface AppNotification {
  id: number;
  message: string;
  kind: NotificationKind;
}

/** Transient messages shown as toasts: any feature may `notify`, the toaster shows and dismisses them. */
export interface NotificationsSlice {
  notifications: AppNotification[];
  /** Shows a toast; an identical one already on screen is not repeated (three failing accounts, one refresh). */
  notify: (message: string, kind?: NotificationKind) => void;
  /** Removes a toast once it has closed (timed out, swiped or dismissed). */
  dismissNotification: (id: number) => void;
}

// More than a few stacked toasts hide the app; the oldest make room.
const MAX_NOTIFICATIONS = 4;

/** Creates the notifications slice. */
export function createNotificationsSlice(): StateCreator<AppState, [], [], NotificationsSlice> {
  let nextId = 1;
  return (set) => ({
    notifications: [],
    notify: (message, kind = 'info') =>
      set((state) => {
        if (state.notifications.some((n) => n.message === message && n.kind === kind)) return state;
        const next = [...state.notifications, { id: nextId++, message, kind }];
        return { notifications: next.slice(-MAX_NOTIFICATIONS) };
      }),
    dismissNotification: (id) => set((state) => ({ notifications: state.notifications.filter((n) => n.id !== id) })),
  });
}
