import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppError } from '../../../shared/errors';
import { api } from '../../api';
import { SelectField } from '../../components/form-field';
import { DialogError, FormButtons } from '../../components/dialog-parts';
import { notify, useAppStore } from '../../stores/app-store';
import { itemName, type ConflictChoice } from '../../stores/object-actions-slice';
import type { BrowserLocation } from '../../stores/selection-slice';
import { FormDialog } from './dialog-frame';
import { DestinationFolder } from './destination-folder';
import { folderPrefix } from './dialog-text';
import { countOf } from './format';
import { formatLocation } from './parse-location';

/** What "Copy to another account…" or "Move to another account…" is about. */
export interface CrossAccountRequest {
  mode: 'copy' | 'move';
  location: BrowserLocation;
  items: string[];
  /** Where the form starts (rows dropped on another account's tab or bookmark); absent: the first other account. */
  target?: BrowserLocation | undefined;
}

/**
 * "Copy to another account…" and "Move to another account…": the person picks another account,
 * one of its buckets and a folder; the copy runs in the transfers panel (the bytes pass through
 * the app, part by part), and a move deletes each source once its copy is verified.
 */
export function CrossAccountDialog({ request, onClose }: { request: CrossAccountRequest | null; onClose: () => void }) {
  const what =
    request?.items.length === 1 ? `“${itemName(request.items[0] ?? '')}”` : countOf(request?.items.length ?? 0, 'item');
  const verb = request?.mode === 'move' ? 'Move' : 'Copy';
  return (
    <FormDialog
      open={request !== null}
      onClose={onClose}
      title={`${verb} to another account`}
      description={
        request
          ? `${verb} ${what} into a bucket of another account. The data passes through this app, part by part, and is checked where it lands${request.mode === 'move' ? '; each original is deleted only after its copy is checked' : ''}.`
          : ''
      }
    >
      {request ? <CrossAccountForm request={request} onClose={onClose} /> : null}
    </FormDialog>
  );
}

function CrossAccountForm({ request, onClose }: { request: CrossAccountRequest; onClose: () => void }) {
  const { location, items, mode } = request;
  const { accounts, bucketLists, loadBuckets } = useAppStore(
    useShallow((s) => ({ accounts: s.accounts, bucketLists: s.bucketLists, loadBuckets: s.loadBuckets })),
  );
  const others = accounts.filter((account) => account.id !== location.accountId);
  const [accountId, setAccountId] = useState(request.target?.accountId ?? others[0]?.id ?? '');
  const list = bucketLists[accountId];
  const buckets = list?.buckets ?? [];
  const [bucket, setBucket] = useState(request.target?.bucket ?? '');
  const [folder, setFolder] = useState(request.target?.prefix ?? '');
  const [onConflict, setOnConflict] = useState<ConflictChoice>('keep-both');
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  // The chosen account's buckets, listed once when it is chosen (the sidebar may have them already).
  useEffect(() => {
    if (accountId && (list === undefined || list.status === 'idle')) void loadBuckets(accountId);
  }, [accountId, list, loadBuckets]);
  const chosenBucket = buckets.some((b) => b.name === bucket) ? bucket : (buckets[0]?.name ?? '');
  const verb = mode === 'move' ? 'Move' : 'Copy';
  const bucketProblem =
    others.length === 0
      ? 'Add another account first: this copies into a bucket of another account.'
      : list?.status === 'error'
        ? (list.error?.message ?? 'The buckets of this account could not be listed.')
        : chosenBucket === '' && list?.status === 'ready'
          ? 'This account has no buckets. Create one first.'
          : null;

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setAttempted(true);
    if (busy || bucketProblem || chosenBucket === '') return;
    setError(null);
    setBusy(true);
    const prefix = folderPrefix(folder.trim());
    const result = await api.transfers.copyAcross({
      mode,
      source: { accountId: location.accountId, bucket: location.bucket, items },
      target: { accountId, bucket: chosenBucket, prefix },
      onConflict,
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const account = others.find((a) => a.id === accountId)?.name ?? 'the other account';
    notify(
      `${mode === 'move' ? 'Moving' : 'Copying'} ${countOf(result.value.count, 'file')} to ${formatLocation(chosenBucket, prefix)} in ${account}: see Transfers.`,
    );
    onClose();
  }

  return (
    <form className="dialog__form" noValidate onSubmit={(event) => void submit(event)}>
      <div className="dialog__body">
        <div className="form-grid form-grid--narrow">
          <SelectField
            label="Account"
            value={accountId}
            onValueChange={(value) => {
              setAccountId(value);
              setBucket('');
              setFolder('');
              setError(null);
            }}
            error={attempted && others.length === 0 ? (bucketProblem ?? undefined) : undefined}
          >
            {others.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Bucket"
            value={chosenBucket}
            onValueChange={(value) => {
              setBucket(value);
              setError(null);
            }}
            hint={list?.status === 'loading' && buckets.length === 0 ? 'Listing the buckets…' : undefined}
            error={
              others.length > 0 && (attempted || list?.status === 'error') ? (bucketProblem ?? undefined) : undefined
            }
          >
            {buckets.map((b) => (
              <option key={b.name} value={b.name}>
                {b.name}
              </option>
            ))}
          </SelectField>
          <DestinationFolder
            accountId={accountId}
            bucket={chosenBucket}
            folder={folder}
            hint="Type a folder path, or pick one below. Folders that do not exist are created; folders you copy keep their structure inside it."
            onFolderChange={(value) => {
              setFolder(value);
              setError(null);
            }}
          />
          <SelectField
            label="If a name exists"
            value={onConflict}
            onValueChange={(value) => setOnConflict(value as ConflictChoice)}
            hint={
              onConflict === 'replace'
                ? 'Objects with the same name in the target are overwritten.'
                : onConflict === 'skip'
                  ? 'Objects whose name exists in the target are left out.'
                  : 'A copy whose name exists is saved as “name (1)”.'
            }
          >
            <option value="keep-both">Keep both</option>
            <option value="skip">Skip</option>
            <option value="replace">Replace</option>
          </SelectField>
        </div>
        <DialogError error={error} />
      </div>
      <FormButtons busy={busy} label={verb} busyLabel="Queuing…" onCancel={onClose} />
    </form>
  );
}
