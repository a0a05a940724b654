import { Toast } from 'radix-ui';
import { useAppStore } from '../stores/app-store';
import type { AppNotification } from '../stores/notifications-slice';
import { Icon } from './icon';

// Errors stay longer: they usually say what to do, and people need time to read that.
const DURATION_MS: Record<AppNotification['kind'], number> = { info: 5000, success: 4000, error: 10000 };

/**
 * Shows the store's notifications as Radix toasts (announced to screen readers, paused on
 * hover and focus, F8 to reach them). Mounted once at the root; features call `notify`.
 */
export function Toaster() {
  const notifications = useAppStore((s) => s.notifications);
  const dismiss = useAppStore((s) => s.dismissNotification);
  return (
    <Toast.Provider swipeDirection="right" label="Notification">
      {notifications.map((n) => (
        <NotificationToast key={n.id} notification={n} onClose={() => dismiss(n.id)} />
      ))}
      <Toast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
    </Toast.Provider>
  );
}

function NotificationToast({ notification, onClose }: { notification: AppNotification; onClose: () => void }) {
  const { kind, message } = notification;
  return (
    <Toast.Root
      className="toast"
      data-kind={kind}
      // Foreground toasts are announced assertively: right for failures, too loud for the rest.
      type={kind === 'error' ? 'foreground' : 'background'}
      duration={DURATION_MS[kind]}
      defaultOpen
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <Icon name={kind === 'error' ? 'alert' : kind === 'success' ? 'success' : 'info'} className="toast__icon" />
      <Toast.Description className="toast__message">{message}</Toast.Description>
      <Toast.Close className="icon-button toast__close" aria-label="Dismiss notification">
        <Icon name="close" />
      </Toast.Close>
    </Toast.Root>
  );
}
