import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppError } from '../../../shared/errors';
import type { ObjectVersion, VersionListing } from '../../../shared/objects';
import { DialogError } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { itemName } from '../../stores/object-actions-slice';
import type { BrowserLocation } from '../../stores/selection-slice';
import { FormDialog } from './dialog-frame';
import { formatSize, formatStorageClass } from './format';
import { formatLocation } from './parse-location';

// Dates with seconds: versions written in the same minute must be told apart.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** "Show versions": a file's versions and delete markers, newest first, to download, restore or delete. */
export function VersionsDialog({
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
      size="wide"
      title={target ? `Versions of “${itemName(target.key)}”` : 'Versions'}
      description={target ? formatLocation(target.location.bucket, target.key) : ''}
    >
      {target ? <VersionsBody location={target.location} fileKey={target.key} onClose={onClose} /> : null}
    </FormDialog>
  );
}

type Loaded = { state: 'loading' } | { state: 'error'; error: AppError } | { state: 'ready'; listing: VersionListing };

function VersionsBody({
  location,
  fileKey,
  onClose,
}: {
  location: BrowserLocation;
  fileKey: string;
  onClose: () => void;
}) {
  const listVersions = useAppStore((s) => s.listVersions);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [actionError, setActionError] = useState<AppError | null>(null);

  // Bumped after a restore or delete: the effect lists the versions again.
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    void listVersions(location, fileKey).then((result) => {
      if (!current) return;
      setLoaded(result.ok ? { state: 'ready', listing: result.value } : { state: 'error', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [listVersions, location, fileKey, reloads]);

  return (
    <>
      <div className="dialog__body versions">
        {loaded.state === 'loading' ? (
          <p className="empty-state">
            <Icon name="spinner" className="icon--spin" /> Loading versions…
          </p>
        ) : loaded.state === 'error' ? (
          <DialogError error={loaded.error} />
        ) : !loaded.listing.supported ? (
          <p role="status" className="callout">
            <Icon name="info" />
            <span>{loaded.listing.reason ?? 'This service does not keep versions.'}</span>
          </p>
        ) : (
          <>
            {loaded.listing.bucketVersioning !== 'enabled' ? (
              <p className="callout">
                <Icon name="info" />
                <span>
                  {loaded.listing.bucketVersioning === 'suspended'
                    ? 'Versioning is suspended for this bucket: changes replace the current version.'
                    : 'Versioning is not turned on for this bucket: only the current version exists.'}
                </span>
              </p>
            ) : null}
            <VersionTable
              location={location}
              fileKey={fileKey}
              versions={loaded.listing.versions}
              onChanged={() => setReloads((n) => n + 1)}
              onError={setActionError}
            />
          </>
        )}
        <DialogError error={actionError} />
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </>
  );
}

function VersionTable({
  location,
  fileKey,
  versions,
  onChanged,
  onError,
}: {
  location: BrowserLocation;
  fileKey: string;
  versions: ObjectVersion[];
  onChanged: () => void;
  onError: (error: AppError | null) => void;
}) {
  if (versions.length === 0) return <p className="empty-state">No versions of this file.</p>;
  return (
    <table className="versions__table">
      <caption className="visually-hidden">Versions, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Modified</th>
          <th scope="col">Size</th>
          <th scope="col">Storage class</th>
          <th scope="col">Version</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => (
          <VersionRow
            key={version.versionId}
            location={location}
            fileKey={fileKey}
            version={version}
            onChanged={onChanged}
            onError={onError}
          />
        ))}
      </tbody>
    </table>
  );
}

function VersionRow({
  location,
  fileKey,
  version,
  onChanged,
  onError,
}: {
  location: BrowserLocation;
  fileKey: string;
  version: ObjectVersion;
  onChanged: () => void;
  onError: (error: AppError | null) => void;
}) {
  const { restoreVersion, deleteVersion, requestDownload, closeBrowserDialog } = useAppStore(
    useShallow((s) => ({
      restoreVersion: s.restoreVersion,
      deleteVersion: s.deleteVersion,
      requestDownload: s.requestDownload,
      closeBrowserDialog: s.closeBrowserDialog,
    })),
  );
  const [busy, setBusy] = useState(false);
  // Deleting a version cannot be undone: the first press asks, the second deletes.
  const [confirming, setConfirming] = useState(false);
  const when = version.lastModified ? dateFormat.format(new Date(version.lastModified)) : 'Unknown time';
  const label = `${version.isDeleteMarker ? 'delete marker' : 'version'} of ${when}`;

  async function act(action: () => Promise<{ ok: boolean; error?: AppError }>): Promise<void> {
    if (busy) return;
    setBusy(true);
    onError(null);
    const result = await action();
    setBusy(false);
    setConfirming(false);
    if (result.ok) onChanged();
    else onError(result.error ?? null);
  }

  return (
    <tr data-latest={version.isLatest || undefined}>
      <td>
        {when}
        {version.isLatest ? <span className="badge">Current</span> : null}
        {version.isDeleteMarker ? <span className="badge badge--muted">Delete marker</span> : null}
      </td>
      <td className="versions__number">{version.isDeleteMarker ? '—' : formatSize(version.size)}</td>
      <td>{version.isDeleteMarker ? '—' : formatStorageClass(version.storageClass)}</td>
      <td>
        <code className="versions__id" title={version.versionId}>
          {version.versionId}
        </code>
      </td>
      <td className="versions__actions">
        {!version.isDeleteMarker ? (
          <button
            type="button"
            className="button button--small"
            aria-label={`Download ${label}`}
            onClick={() => {
              // The download dialog takes over: where to save it, and what if the name exists.
              closeBrowserDialog();
              requestDownload(location, [fileKey], version.versionId);
            }}
          >
            Download…
          </button>
        ) : null}
        {!version.isDeleteMarker && !version.isLatest ? (
          <button
            type="button"
            className="button button--small"
            aria-label={`Restore ${label}`}
            aria-disabled={busy || undefined}
            onClick={() => void act(() => restoreVersion(location, fileKey, version.versionId))}
          >
            Restore
          </button>
        ) : null}
        {confirming ? (
          <>
            <button
              type="button"
              className="button button--small button--danger"
              aria-label={`Confirm: delete ${label} for good`}
              aria-disabled={busy || undefined}
              onClick={() => void act(() => deleteVersion(location, fileKey, version.versionId))}
            >
              Delete for good
            </button>
            <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={`Delete ${label}`}
            onClick={() => setConfirming(true)}
          >
            Delete…
          </button>
        )}
      </td>
    </tr>
  );
}
