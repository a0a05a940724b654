import { AlertDialog } from 'radix-ui';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountSummary } from '../../../shared/accounts';
import type { AppError } from '../../../shared/errors';
import { sidebarFocusTarget, useReturnFocus } from '../../components/return-focus';
import { useAppStore } from '../../stores/app-store';
import { removalConsequence } from './account-form';

/** Confirms the removal of a saved account, while the store names one; failures show inside and keep it open. */
export function RemoveAccountDialog() {
  const { account, close } = useAppStore(
    useShallow((s) => ({
      account: s.accounts.find((a) => a.id === s.accountToRemove && a.origin === 'saved'),
      close: s.closeAccountRemoval,
    })),
  );
  const focus = useReturnFocus(sidebarFocusTarget);
  return (
    <AlertDialog.Root
      open={account !== undefined}
      onOpenChange={(open) => {
        if (!open) close();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content
          className="dialog dialog--alert"
          onOpenAutoFocus={focus.remember}
          onCloseAutoFocus={focus.restore}
        >
          {account ? <RemoveAccountConfirmation key={account.id} account={account} onClose={close} /> : null}
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

function RemoveAccountConfirmation({ account, onClose }: { account: AccountSummary; onClose: () => void }) {
  const removeAccount = useAppStore((s) => s.removeAccount);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function remove(): Promise<void> {
    if (removing) return;
    setRemoving(true);
    setError(null);
    const result = await removeAccount(account.id);
    setRemoving(false);
    if (result.ok) onClose();
    else setError(result.error);
  }

  return (
    <>
      <div className="dialog__header">
        <AlertDialog.Title className="dialog__title">Remove account</AlertDialog.Title>
      </div>
      <div className="dialog__body">
        <AlertDialog.Description className="dialog__text">
          Remove account “{account.name}”? {removalConsequence(account)}
        </AlertDialog.Description>
        {error ? (
          <p role="alert" className="callout callout--danger">
            {error.message}
          </p>
        ) : null}
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <AlertDialog.Cancel className="button">Cancel</AlertDialog.Cancel>
          <button
            type="button"
            className="button button--danger"
            aria-disabled={removing || undefined}
            onClick={() => void remove()}
          >
            {removing ? 'Removing…' : 'Remove'}
          </button>
        </div>
      </div>
    </>
  );
}
