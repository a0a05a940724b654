import { AlertDialog } from 'radix-ui';
import { useShallow } from 'zustand/react/shallow';
import type { AccountSummary } from '../../../shared/accounts';
import { ConfirmButtons, DialogError, useDialogAction } from '../../components/dialog-parts';
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
  const { busy, error, run } = useDialogAction();

  return (
    <>
      <div className="dialog__header">
        <AlertDialog.Title className="dialog__title">Remove account</AlertDialog.Title>
      </div>
      <div className="dialog__body">
        <AlertDialog.Description className="dialog__text">
          Remove account “{account.name}”? {removalConsequence(account)}
        </AlertDialog.Description>
        <DialogError error={error} />
      </div>
      <ConfirmButtons
        busy={busy}
        label="Remove"
        busyLabel="Removing…"
        onConfirm={() => void run(() => removeAccount(account.id), onClose)}
      />
    </>
  );
}
