import { AlertDialog } from 'radix-ui';
import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { DeletedVersionCount } from '../../../shared/versions';
import { ConfirmButtons, DialogError, useDialogAction } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { BrowserLocation } from '../../stores/selection-slice';
import { ConfirmDialog, ConfirmNames } from './dialog-frame';
import { deleteForGoodQuestion } from './dialog-text';

/**
 * "Delete for good": asks before removing every version and delete marker of the selected
 * deleted files (folders: of every deleted file in them), saying how many go, counted first.
 * The removal is a long operation, shown in the transfers panel, that can be cancelled.
 */
export function DeleteForGoodDialog({
  target,
  onClose,
}: {
  target: { location: BrowserLocation; keys: string[] } | null;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog open={target !== null} onClose={onClose} title="Delete for good">
      {target ? <DeleteForGoodConfirmation location={target.location} keys={target.keys} onClose={onClose} /> : null}
    </ConfirmDialog>
  );
}

type Counted =
  { state: 'counting' } | { state: 'counted'; count: DeletedVersionCount } | { state: 'error'; error: AppError };

function DeleteForGoodConfirmation({
  location,
  keys,
  onClose,
}: {
  location: BrowserLocation;
  keys: string[];
  onClose: () => void;
}) {
  const countForGood = useAppStore((s) => s.countForGood);
  const deleteItemsForGood = useAppStore((s) => s.deleteItemsForGood);
  const { busy, error, run } = useDialogAction();
  const [counted, setCounted] = useState<Counted>({ state: 'counting' });

  useEffect(() => {
    let current = true;
    void countForGood(location, keys).then((result) => {
      if (!current) return;
      setCounted(result.ok ? { state: 'counted', count: result.value } : { state: 'error', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [countForGood, location, keys]);

  const counting = counted.state === 'counting';
  const nothing = counted.state === 'counted' && counted.count.files === 0;
  const confirm = () => {
    if (counting || nothing) return;
    void run(() => deleteItemsForGood(location, keys), onClose);
  };

  return (
    <>
      <div className="dialog__body">
        <AlertDialog.Description className="dialog__text">
          {nothing
            ? 'None of these is deleted any more (they exist again, or are gone for good already): there is nothing to delete for good.'
            : deleteForGoodQuestion(keys, counted.state === 'counted' ? counted.count : null)}
        </AlertDialog.Description>
        <ConfirmNames keys={keys} label="Items to delete for good" />
        {counting ? (
          <p role="status" className="dialog__text">
            <Icon name="spinner" className="icon--spin" /> Counting the versions that would be removed…
          </p>
        ) : counted.state === 'error' ? (
          <p role="status" className="dialog__text">
            The versions could not be counted: {counted.error.message}
          </p>
        ) : null}
        <DialogError error={error} />
      </div>
      <ConfirmButtons
        busy={busy || counting || nothing}
        label="Delete for good"
        busyLabel={counting ? 'Counting…' : nothing ? 'Nothing to delete' : 'Deleting…'}
        onConfirm={confirm}
      />
    </>
  );
}
