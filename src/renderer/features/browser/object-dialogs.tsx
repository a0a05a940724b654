import { AlertDialog } from 'radix-ui';
import type { FormEvent } from 'react';
import { folderNameSchema, itemNameSchema } from '../../../shared/objects';
import { ConfirmButtons, DialogError, FormButtons, useDialogAction } from '../../components/dialog-parts';
import { TextField } from '../../components/form-field';
import { useAppStore } from '../../stores/app-store';
import { itemName } from '../../stores/object-actions-slice';
import type { BrowserLocation } from '../../stores/selection-slice';
import { ConfirmDialog, ConfirmNames, FormDialog } from './dialog-frame';
import { deleteQuestion } from './dialog-text';
import { useNameField } from './name-field';
import { useBucketVersioning } from './use-bucket-versioning';
import { formatLocation } from './parse-location';

/** The buttons under a dialog's form: Cancel, and the one that does it. */
/** "New folder": a name checked with folderNameSchema as it is typed; a name that exists shows the service's error. */
export function NewFolderDialog({ location, onClose }: { location: BrowserLocation | null; onClose: () => void }) {
  return (
    <FormDialog
      open={location !== null}
      onClose={onClose}
      title="New folder"
      description={location ? `In ${formatLocation(location.bucket, location.prefix)}` : ''}
    >
      {location ? <NewFolderForm location={location} onClose={onClose} /> : null}
    </FormDialog>
  );
}

function NewFolderForm({ location, onClose }: { location: BrowserLocation; onClose: () => void }) {
  const createFolder = useAppStore((s) => s.createFolder);
  const name = useNameField(folderNameSchema);
  const { busy, error, setError, run } = useDialogAction();

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (name.check()) void run(() => createFolder(location, name.value), onClose);
  }

  return (
    <form className="dialog__form" noValidate onSubmit={submit}>
      <div className="dialog__body">
        <div className="form-grid form-grid--narrow">
          <TextField
            label="Folder name"
            data-autofocus
            autoComplete="off"
            value={name.value}
            onValueChange={(value) => {
              name.change(value);
              setError(null);
            }}
            error={name.error}
          />
        </div>
        <DialogError error={error} />
      </div>
      <FormButtons busy={busy} label="Create" busyLabel="Creating…" onCancel={onClose} />
    </form>
  );
}

/** "Rename": a new name for one file or folder, checked with itemNameSchema; a name that exists is refused by the service. */
export function RenameDialog({
  target,
  onClose,
}: {
  target: { location: BrowserLocation; key: string } | null;
  onClose: () => void;
}) {
  return (
    <FormDialog
      open={target !== null}
      onClose={onClose}
      title={target?.key.endsWith('/') ? 'Rename folder' : 'Rename file'}
      description={target ? `Rename “${itemName(target.key)}”` : ''}
    >
      {target ? <RenameForm location={target.location} itemKey={target.key} onClose={onClose} /> : null}
    </FormDialog>
  );
}

function RenameForm({
  location,
  itemKey,
  onClose,
}: {
  location: BrowserLocation;
  itemKey: string;
  onClose: () => void;
}) {
  const renameItem = useAppStore((s) => s.renameItem);
  const current = itemName(itemKey);
  const name = useNameField(itemNameSchema, current, (value) => (value === current ? 'Type a new name.' : null));
  const { busy, error, setError, run } = useDialogAction();

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (name.check()) void run(() => renameItem(location, itemKey, name.value), onClose);
  }

  return (
    <form className="dialog__form" noValidate onSubmit={submit}>
      <div className="dialog__body">
        <div className="form-grid form-grid--narrow">
          <TextField
            label="New name"
            data-autofocus
            autoComplete="off"
            value={name.value}
            onValueChange={(value) => {
              name.change(value);
              setError(null);
            }}
            // The name without its extension is selected, as file managers do: typing replaces just that.
            onFocus={(event) => {
              const dot = itemKey.endsWith('/') ? -1 : current.lastIndexOf('.');
              event.currentTarget.setSelectionRange(0, dot > 0 ? dot : current.length);
            }}
            error={name.error}
          />
        </div>
        <DialogError error={error} />
      </div>
      <FormButtons busy={busy} label="Rename" busyLabel="Renaming…" onCancel={onClose} />
    </form>
  );
}

/** Asks before deleting the selected files and folders, saying how many. */
export function DeleteDialog({
  target,
  onClose,
}: {
  target: { location: BrowserLocation; keys: string[] } | null;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog open={target !== null} onClose={onClose} title="Delete">
      {target ? <DeleteConfirmation location={target.location} keys={target.keys} onClose={onClose} /> : null}
    </ConfirmDialog>
  );
}

function DeleteConfirmation({
  location,
  keys,
  onClose,
}: {
  location: BrowserLocation;
  keys: string[];
  onClose: () => void;
}) {
  const deleteItems = useAppStore((s) => s.deleteItems);
  const { busy, error, run } = useDialogAction();
  const confirm = () => void run(() => deleteItems(location, keys), onClose);
  // Whether it can be undone depends on the bucket's versioning (read when the bucket opened).
  const versioning = useBucketVersioning(location.accountId, location.bucket);

  return (
    <>
      <div className="dialog__body">
        <AlertDialog.Description className="dialog__text">
          {deleteQuestion(keys, versioning.state)}
        </AlertDialog.Description>
        <ConfirmNames keys={keys} label="Items to delete" />
        <DialogError error={error} />
      </div>
      <ConfirmButtons busy={busy} label="Delete" busyLabel="Deleting…" onConfirm={confirm} />
    </>
  );
}
