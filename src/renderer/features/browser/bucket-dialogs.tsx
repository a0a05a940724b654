import { AlertDialog } from 'radix-ui';
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppError } from '../../../shared/errors';
import { bucketNameSchema } from '../../../shared/objects';
import { ConfirmButtons, DialogError, FormButtons, useDialogAction } from '../../components/dialog-parts';
import { CheckboxField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { ConfirmDialog, FormDialog } from './dialog-frame';
import { useNameField } from './name-field';

/** "Create bucket": a name checked against the S3 naming rules as it is typed, and an optional region. */
export function CreateBucketDialog({ accountId, onClose }: { accountId: string | null; onClose: () => void }) {
  const accountName = useAppStore((s) => s.accounts.find((a) => a.id === accountId)?.name ?? '');
  return (
    <FormDialog
      open={accountId !== null}
      onClose={onClose}
      title="Create bucket"
      description={accountName ? `In the account “${accountName}”.` : ''}
    >
      {accountId ? <CreateBucketForm accountId={accountId} onClose={onClose} /> : null}
    </FormDialog>
  );
}

function CreateBucketForm({ accountId, onClose }: { accountId: string; onClose: () => void }) {
  const { createBucket, accountRegion } = useAppStore(
    useShallow((s) => ({
      createBucket: s.createBucket,
      accountRegion: s.accounts.find((a) => a.id === accountId)?.region ?? '',
    })),
  );
  const name = useNameField(bucketNameSchema);
  const [region, setRegion] = useState('');
  const [objectLock, setObjectLock] = useState(false);
  const { busy, error, setError, run } = useDialogAction();

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (name.check()) void run(() => createBucket(accountId, name.value, region.trim(), objectLock), onClose);
  }

  return (
    <form className="dialog__form" noValidate onSubmit={submit}>
      <div className="dialog__body">
        <div className="form-grid form-grid--narrow">
          <TextField
            label="Bucket name"
            data-autofocus
            autoComplete="off"
            hint="3 to 63 lowercase letters, digits, dots and hyphens. Bucket names are shared by every account of a service."
            value={name.value}
            onValueChange={(value) => {
              name.change(value);
              setError(null);
            }}
            error={name.error}
          />
          <TextField
            label="Region"
            autoComplete="off"
            placeholder={accountRegion || 'us-east-1'}
            hint={`Optional. Empty: the account's region${accountRegion ? ` (${accountRegion})` : ''}.`}
            value={region}
            onValueChange={(value) => {
              setRegion(value);
              setError(null);
            }}
          />
          <CheckboxField
            label="Turn on Object Lock"
            hint="Lets objects be locked against deletion and overwriting (retention, legal hold). It turns versioning on, and neither can be turned off later. Only a new bucket can have it."
            checked={objectLock}
            onCheckedChange={(checked) => {
              setObjectLock(checked);
              setError(null);
            }}
          />
        </div>
        <DialogError error={error} />
      </div>
      <FormButtons busy={busy} label="Create bucket" busyLabel="Creating…" onCancel={onClose} />
    </form>
  );
}

/** What is known about the bucket being deleted. */
type Contents = { status: 'checking' } | { status: 'empty' } | { status: 'not-empty'; note: string | null };

/**
 * "Delete bucket": an empty bucket after a plain confirmation. A bucket with objects in it
 * must be emptied first; the dialog says so, and offers to delete everything in it behind a
 * typed confirmation of the bucket's name.
 */
export function DeleteBucketDialog({
  target,
  onClose,
}: {
  target: { accountId: string; bucket: string } | null;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog open={target !== null} onClose={onClose} title="Delete bucket">
      {target ? (
        <DeleteBucketConfirmation
          key={`${target.accountId}/${target.bucket}`}
          accountId={target.accountId}
          bucket={target.bucket}
          onClose={onClose}
        />
      ) : null}
    </ConfirmDialog>
  );
}

function DeleteBucketConfirmation({
  accountId,
  bucket,
  onClose,
}: {
  accountId: string;
  bucket: string;
  onClose: () => void;
}) {
  const { isBucketEmpty, deleteBucket, emptyAndDeleteBucket, notify } = useAppStore(
    useShallow((s) => ({
      isBucketEmpty: s.isBucketEmpty,
      deleteBucket: s.deleteBucket,
      emptyAndDeleteBucket: s.emptyAndDeleteBucket,
      notify: s.notify,
    })),
  );
  const [contents, setContents] = useState<Contents>({ status: 'checking' });
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let current = true;
    void isBucketEmpty(accountId, bucket).then((result) => {
      if (!current) return;
      // Where the check fails, ask as for an empty bucket: the service refuses a non-empty one anyway.
      setContents(result.ok && !result.value ? { status: 'not-empty', note: null } : { status: 'empty' });
    });
    return () => {
      current = false;
    };
  }, [accountId, bucket, isBucketEmpty]);

  async function deleteEmpty(): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await deleteBucket(accountId, bucket);
    setBusy(false);
    if (result.ok) onClose();
    else if (result.error.code === 'conflict') setContents({ status: 'not-empty', note: result.error.message });
    else setError(result.error);
  }

  function deleteEverything(): void {
    if (typed !== bucket) {
      setTypedError(`Type ${bucket} exactly to confirm.`);
      return;
    }
    onClose();
    // Long: each step shows in the transfers panel; the end (or a failure) in a toast.
    void emptyAndDeleteBucket(accountId, bucket, typed).then((result) => {
      if (!result.ok) notify(`The bucket “${bucket}” was not deleted: ${result.error.message}`, 'error');
    });
  }

  if (contents.status === 'checking') {
    return (
      <>
        <div className="dialog__body">
          <AlertDialog.Description className="dialog__text">
            <Icon name="spinner" className="icon--spin inline-icon" /> Checking whether “{bucket}” is empty…
          </AlertDialog.Description>
        </div>
        <div className="dialog__footer">
          <div className="dialog__actions">
            <AlertDialog.Cancel className="button">Cancel</AlertDialog.Cancel>
          </div>
        </div>
      </>
    );
  }

  if (contents.status === 'empty') {
    return (
      <>
        <div className="dialog__body">
          <AlertDialog.Description className="dialog__text">
            Delete the bucket “{bucket}”? It is empty. This cannot be undone.
          </AlertDialog.Description>
          <DialogError error={error} />
        </div>
        <ConfirmButtons busy={busy} label="Delete bucket" busyLabel="Deleting…" onConfirm={() => void deleteEmpty()} />
      </>
    );
  }

  return (
    <form
      className="dialog__form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        deleteEverything();
      }}
    >
      <div className="dialog__body">
        <AlertDialog.Description className="dialog__text">
          The bucket “{bucket}” is not empty. A bucket can be deleted only once it is empty: delete what is in it first,
          or delete everything in it here.
        </AlertDialog.Description>
        {contents.note ? <p className="field-hint">{contents.note}</p> : null}
        <div className="callout callout--danger delete-everything">
          <Icon name="alert" />
          <div className="callout__body">
            <p>
              Deleting everything in “{bucket}” removes every file and folder in it, then the bucket. This cannot be
              undone.
            </p>
            <div className="form-grid form-grid--stacked">
              <TextField
                label={`Type ${bucket} to confirm`}
                autoComplete="off"
                value={typed}
                onValueChange={(value) => {
                  setTyped(value);
                  setTypedError(undefined);
                }}
                error={typedError}
              />
            </div>
          </div>
        </div>
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <AlertDialog.Cancel className="button">Cancel</AlertDialog.Cancel>
          <button type="submit" className="button button--danger" aria-disabled={typed !== bucket || undefined}>
            Delete everything in it
          </button>
        </div>
      </div>
    </form>
  );
}
