import { useEffect, useId, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { OrphanedUpload } from '../../../shared/transfers';
import { api } from '../../api';
import { DialogError } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { notify, useAppStore } from '../../stores/app-store';
import { FormDialog } from '../browser/dialog-frame';
import { countOf } from '../browser/format';

type Target = { accountId: string; bucket: string };

type Listing =
  { status: 'loading' } | { status: 'ready'; uploads: OrphanedUpload[] } | { status: 'error'; error: AppError };

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "Unfinished uploads…": multipart uploads left on the server (by a crash, by this app or another
 * tool), which cost storage until aborted. Lists them for one bucket; aborts the chosen ones.
 */
export function OrphanedUploadsDialog({ target, onClose }: { target: Target | null; onClose: () => void }) {
  return (
    <FormDialog
      open={target !== null}
      onClose={onClose}
      title="Unfinished uploads"
      description={target ? `Multipart uploads that were started in ${target.bucket} and never completed.` : ''}
    >
      {target ? <OrphanedList target={target} onClose={onClose} /> : null}
    </FormDialog>
  );
}

const uploadKey = (u: { key: string; uploadId: string }) => JSON.stringify([u.key, u.uploadId]);

function OrphanedList({ target, onClose }: { target: Target; onClose: () => void }) {
  const openBrowserDialog = useAppStore((s) => s.openBrowserDialog);
  const allId = useId();
  const [listing, setListing] = useState<Listing>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let current = true;
    void api.transfers.orphanedUploads({ accountId: target.accountId, bucket: target.bucket }).then((result) => {
      if (!current) return;
      setListing(result.ok ? { status: 'ready', uploads: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [target, generation]);

  const uploads = listing.status === 'ready' ? listing.uploads : [];
  const chosen = uploads.filter((u) => selected.has(uploadKey(u)));

  async function abort(): Promise<void> {
    if (busy || chosen.length === 0) return;
    setBusy(true);
    setError(null);
    const result = await api.transfers.abortOrphaned({
      accountId: target.accountId,
      bucket: target.bucket,
      uploads: chosen.map(({ key, uploadId }) => ({ key, uploadId })),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    notify(`Aborted ${countOf(result.value.aborted, 'unfinished upload')}.`, 'success');
    setSelected(new Set());
    setListing({ status: 'loading' });
    setGeneration((g) => g + 1);
  }

  return (
    <div className="dialog__form">
      <div className="dialog__body">
        {listing.status === 'loading' ? (
          <p className="dialog__text" role="status">
            <Icon name="spinner" className="icon--spin" /> Looking for unfinished uploads…
          </p>
        ) : null}
        {listing.status === 'error' ? (
          <p role="alert" className="callout callout--warning">
            <Icon name="alert" />
            <span>
              {listing.error.code === 'not-supported'
                ? `This service cannot list unfinished uploads: ${listing.error.message}`
                : listing.error.message}
            </span>
          </p>
        ) : null}
        {listing.status === 'ready' && uploads.length === 0 ? (
          <p className="dialog__text">None: nothing is left unfinished in {target.bucket}.</p>
        ) : null}
        {uploads.length > 0 ? (
          <>
            <div className="check orphaned__all">
              <input
                id={allId}
                type="checkbox"
                checked={chosen.length === uploads.length}
                onChange={(event) => setSelected(new Set(event.target.checked ? uploads.map(uploadKey) : []))}
              />
              <label htmlFor={allId}>Select all ({uploads.length.toLocaleString()})</label>
            </div>
            <ul className="orphaned" aria-label="Unfinished uploads">
              {uploads.map((u) => {
                const id = uploadKey(u);
                return (
                  <li key={id} className="orphaned__item">
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={selected.has(id)}
                        onChange={(event) => {
                          const next = new Set(selected);
                          if (event.target.checked) next.add(id);
                          else next.delete(id);
                          setSelected(next);
                        }}
                      />
                      <span className="orphaned__key">{u.key}</span>
                    </label>
                    <span className="orphaned__meta">
                      {u.initiated ? `started ${dateFormat.format(new Date(u.initiated))}` : ''}
                      {u.ownedByQueue ? ' · this app would resume it' : ' · not from this app’s queue'}
                    </span>
                  </li>
                );
              })}
            </ul>
          </>
        ) : null}
        <DialogError error={error} />
        <p className="dialog__text">
          A lifecycle rule can abort unfinished uploads by itself after some days.{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              onClose();
              openBrowserDialog({ kind: 'bucket-settings', ...target, section: 'lifecycle' });
            }}
          >
            Add a rule that aborts unfinished uploads…
          </button>
        </p>
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" data-autofocus onClick={onClose}>
            Close
          </button>
          {uploads.length > 0 ? (
            <button
              type="button"
              className="button button--danger"
              aria-disabled={busy || chosen.length === 0 || undefined}
              onClick={() => void abort()}
            >
              {busy ? 'Aborting…' : `Abort ${chosen.length > 0 ? countOf(chosen.length, 'upload') : 'selected'}`}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
