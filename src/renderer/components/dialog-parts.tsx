import { AlertDialog } from 'radix-ui';
import { useState } from 'react';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { Icon } from './icon';

/**
 * The busy-and-error cycle every dialog action shares: ignore a second press while one is
 * under way, clear the last error, and on failure keep the dialog open with the service's
 * message; on success call `onDone` (usually: close).
 */
export function useDialogAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  async function run<T>(action: () => Promise<Result<T>>, onDone: (value: T) => void): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.error);
  }
  return { busy, error, setError, run };
}

/** A failure the service reported, shown inside the dialog (announced, and selectable to copy). */
export function DialogError({ error }: { error: AppError | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="callout callout--danger dialog__error">
      <Icon name="alert" />
      <span>{error.message}</span>
    </p>
  );
}

/** A form dialog's footer: Cancel, and the submit button that says what it does (and that it is busy). */
export function FormButtons({
  busy,
  label,
  busyLabel,
  onCancel,
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
  onCancel: () => void;
}) {
  return (
    <div className="dialog__footer">
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
          {busy ? busyLabel : label}
        </button>
      </div>
    </div>
  );
}

/** A confirmation's footer: Cancel (focused first, as alert dialogs do) and the dangerous action. */
export function ConfirmButtons({
  busy,
  label,
  busyLabel,
  onConfirm,
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
  onConfirm: () => void;
}) {
  return (
    <div className="dialog__footer">
      <div className="dialog__actions">
        <AlertDialog.Cancel className="button">Cancel</AlertDialog.Cancel>
        <button type="button" className="button button--danger" aria-disabled={busy || undefined} onClick={onConfirm}>
          {busy ? busyLabel : label}
        </button>
      </div>
    </div>
  );
}
