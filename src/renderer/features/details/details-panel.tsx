import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { whyUnavailable } from '../../../shared/capabilities';
import type { AccountSummary, BucketSummary } from '../../../shared/models';
import type { FileEntry } from '../../../shared/objects';
import { Icon } from '../../components/icon';
import { HidePaneButton } from '../../components/side-pane-controls';
import { useAppStore } from '../../stores/app-store';
import '../../styles/details.css';
import type { BrowserEntry } from '../browser/entries';
import { formatSize, formatStorageClass } from '../browser/format';
import { formatLocation } from '../browser/parse-location';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { BucketProperties, FolderSize } from './bucket-properties';
import { CustomerKeyDialog } from './customer-key-dialog';
import { DeletedDetails } from './deleted-details';
import { EditPropertiesDialog, EditTagsDialog, type EditSubject } from './edit-dialogs';
import { ObjectAccessSection, SeveralAccessSection } from './object-access';
import { ObjectPreview } from './object-preview';
import { ObjectProperties } from './object-properties';
import { ObjectRetentionSection } from './object-retention';
import { DetailsSection, Muted, Property } from './property';

// Dates in the person's own locale and time zone, with the time: buckets made today differ by hours.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The one file or folder selected in the list, if exactly one is. */
function selectedEntry(entries: readonly BrowserEntry[], selected: ReadonlySet<string>): BrowserEntry | null {
  if (selected.size !== 1) return null;
  const [key] = selected;
  return entries.find((e) => e.key === key) ?? null;
}

/**
 * The right pane: properties of what is selected: a file (everything details.object says, a
 * preview, and edits), a folder, several files (edits applied to all), else the bucket or folder
 * shown (with the bucket's properties and the folder's size on request), else the account
 * (with its SSE-C key).
 */
export function DetailsPanel() {
  const {
    account,
    bucket,
    bucketCount,
    folder,
    entry,
    selectedCount,
    selectedFileKeys,
    showObjectDetails,
    watchDetailsChanges,
  } = useAppStore(
    useShallow((s) => {
      const selection = s.selection;
      const list = selection ? s.bucketLists[selection.accountId] : undefined;
      const bucketName = selection && selection.kind !== 'account' ? selection.bucket : null;
      return {
        account: s.accounts.find((a) => a.id === selection?.accountId) ?? null,
        bucket: bucketName ? (list?.buckets.find((b) => b.name === bucketName) ?? null) : null,
        bucketCount: list && (list.status === 'ready' || list.buckets.length > 0) ? list.buckets.length : null,
        folder: selection?.kind === 'folder' ? selection.prefix : null,
        entry:
          selectedEntry(s.listing.entries, s.listSelection.selected) ??
          (s.showDeleted ? selectedEntry(s.deletedListing.entries, s.listSelection.selected) : null),
        selectedCount: s.listSelection.selected.size,
        selectedFileKeys:
          s.listSelection.selected.size > 1 ? fileKeysOf(s.listing.entries, s.listSelection.selected) : '',
        showObjectDetails: s.showObjectDetails,
        watchDetailsChanges: s.watchDetailsChanges,
      };
    }),
  );

  // details.changed reloads the object shown; subscribed while the panel is mounted.
  useEffect(() => watchDetailsChanges(), [watchDetailsChanges]);

  // A deleted file has nothing to HEAD: it shows what the list knows of it.
  const file = entry?.kind === 'file' && !entry.deleted && bucket && account ? entry : null;
  const accountId = account?.id ?? null;
  const bucketName = bucket?.name ?? null;
  useEffect(() => {
    showObjectDetails(file && accountId && bucketName ? { accountId, bucket: bucketName, key: file.key } : null);
  }, [showObjectDetails, accountId, bucketName, file]);

  return (
    <aside aria-label="Details" className="pane details">
      <header className="pane-header">
        <h2 className="pane-title">Details</h2>
        <HidePaneButton pane="details" />
      </header>
      <div className="pane-body details__body">
        {entry?.deleted && bucket && account ? (
          <DeletedDetails entry={entry} bucket={bucket.name} accountId={account.id} />
        ) : file && bucket && account ? (
          <FileDetails entry={file} bucket={bucket.name} accountId={account.id} />
        ) : entry && bucket && account ? (
          <FolderDetails prefix={entry.key} bucket={bucket.name} accountId={account.id} />
        ) : selectedCount > 1 && bucket && account ? (
          <SeveralDetails
            count={selectedCount}
            fileKeys={selectedFileKeys === '' ? [] : (JSON.parse(selectedFileKeys) as string[])}
            bucket={bucket.name}
            accountId={account.id}
          />
        ) : folder !== null && bucket && account ? (
          <>
            <FolderDetails prefix={folder} bucket={bucket.name} accountId={account.id} />
            <BucketProperties accountId={account.id} bucket={bucket.name} />
          </>
        ) : bucket && account ? (
          <BucketDetails bucket={bucket} account={account} />
        ) : account ? (
          <AccountDetails account={account} bucketCount={bucketCount} />
        ) : (
          <p className="empty-state">Nothing selected.</p>
        )}
      </div>
    </aside>
  );
}

/** The selected files' keys (folders left out), as one string so that the selector's answer compares equal. */
function fileKeysOf(entries: readonly BrowserEntry[], selected: ReadonlySet<string>): string {
  return JSON.stringify(entries.filter((e) => e.kind === 'file' && selected.has(e.key)).map((e) => e.key));
}

/**
 * Why the tags of a bucket's objects cannot be edited, or null where they can: the object's own
 * answer where it came back without tags, else the service's model.
 */
function useTagsUnavailable(accountId: string, bucket: string, objectReason: string | null): string | null {
  const model = useBucketCapabilities(accountId, bucket);
  return objectReason ?? (model ? (whyUnavailable(model, 'tagging') ?? null) : null);
}

/**
 * "Edit tags…": disabled where the service keeps no tags, with the reason beside it as the
 * button's description (a tooltip alone would hide it from keyboards and touch).
 */
function EditTagsButton({ reason, onEdit }: { reason: string | null; onEdit: (() => void) | null }) {
  const reasonId = useId();
  const blocked = onEdit === null || reason !== null;
  return (
    <>
      <button
        type="button"
        className="button button--small"
        aria-disabled={blocked || undefined}
        aria-describedby={reason !== null ? reasonId : undefined}
        onClick={() => (blocked ? undefined : onEdit())}
      >
        Edit tags…
      </button>
      {reason !== null ? (
        <p id={reasonId} className="details__muted details__unavailable">
          Tags cannot be edited: {reason}
        </p>
      ) : null}
    </>
  );
}

function nameOf(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * One file: its list facts at once, then everything details.object says. Reloads when the
 * listing shows a new version of it (a refresh after an edit elsewhere) and when main says it changed.
 */
function FileDetails({ entry, bucket, accountId }: { entry: FileEntry; bucket: string; accountId: string }) {
  const { loaded, reload } = useAppStore(
    useShallow((s) => ({ loaded: s.objectDetails, reload: s.reloadObjectDetails })),
  );
  const [editing, setEditing] = useState<'properties' | 'tags' | null>(null);
  const target = useMemo(() => ({ accountId, bucket, key: entry.key }), [accountId, bucket, entry.key]);
  const mine =
    loaded.subject?.accountId === accountId && loaded.subject.bucket === bucket && loaded.subject.key === entry.key;
  const details = mine ? loaded.value : null;

  // The list was refreshed and shows another version of this object: what is shown is stale.
  const version = `${entry.etag ?? ''} ${entry.lastModified ?? ''} ${entry.size}`;
  const seen = useRef({ key: entry.key, version });
  useEffect(() => {
    const before = seen.current;
    seen.current = { key: entry.key, version };
    if (before.key === entry.key && before.version !== version) reload();
  }, [entry.key, version, reload]);

  const subject: EditSubject | null = details ? { accountId, bucket, keys: [entry.key], details } : null;
  const tagsReason = useTagsUnavailable(
    accountId,
    bucket,
    details && !details.tags.available ? details.tags.reason : null,
  );

  return (
    <>
      <h3 className="details__title">{entry.name.includes('/') ? nameOf(entry.key) : entry.name}</h3>
      <div className="details__actions">
        <button
          type="button"
          className="button button--small"
          aria-disabled={!subject || undefined}
          onClick={() => (subject ? setEditing('properties') : undefined)}
        >
          <Icon name="pencil" />
          Edit…
        </button>
        <EditTagsButton reason={tagsReason} onEdit={subject ? () => setEditing('tags') : null} />
        {mine && loaded.status === 'loading' ? (
          <span className="details__loading" role="status">
            <Icon name="spinner" className="icon--spin" />
            Loading…
          </span>
        ) : null}
      </div>
      {mine && loaded.status === 'error' && loaded.error ? (
        <div className="callout callout--danger">
          <Icon name="alert" />
          <div className="callout__body">
            <span>{loaded.error.message}</span>
            <button type="button" className="button button--small" onClick={reload}>
              Try again
            </button>
          </div>
        </div>
      ) : null}
      {details ? (
        <>
          <ObjectPreview key={`${details.key} ${details.etag ?? ''}`} target={target} details={details} />
          <ObjectAccessSection accountId={accountId} bucket={bucket} details={details} />
          <ObjectRetentionSection accountId={accountId} bucket={bucket} details={details} />
          <ObjectProperties details={details} />
        </>
      ) : (
        <DetailsSection title="Object">
          <dl className="properties">
            <Property label="Size">
              {formatSize(entry.size)}
              {entry.size >= 1024 ? ` (${entry.size.toLocaleString()} bytes)` : ''}
            </Property>
            <Property label="Last modified">
              {entry.lastModified ? dateFormat.format(new Date(entry.lastModified)) : <Muted>Not reported</Muted>}
            </Property>
            <Property label="Storage class">
              {formatStorageClass(entry.storageClass) || <Muted>Not reported</Muted>}
            </Property>
            <Property label="Path">{formatLocation(bucket, entry.key)}</Property>
          </dl>
        </DetailsSection>
      )}
      <EditPropertiesDialog subject={editing === 'properties' ? subject : null} onClose={() => setEditing(null)} />
      <EditTagsDialog subject={editing === 'tags' ? subject : null} onClose={() => setEditing(null)} />
    </>
  );
}

/** Several items: how many, and edits applied to all the files among them. */
function SeveralDetails({
  count,
  fileKeys,
  bucket,
  accountId,
}: {
  count: number;
  fileKeys: string[];
  bucket: string;
  accountId: string;
}) {
  const [editing, setEditing] = useState<'properties' | 'tags' | null>(null);
  const tagsReason = useTagsUnavailable(accountId, bucket, null);
  const subject: EditSubject | null = fileKeys.length > 0 ? { accountId, bucket, keys: fileKeys, details: null } : null;
  const folders = count - fileKeys.length;
  return (
    <>
      <h3 className="details__title">{count.toLocaleString()} items selected</h3>
      {subject ? (
        <>
          <p className="details__muted">
            Edits apply to the {fileKeys.length.toLocaleString()} selected {fileKeys.length === 1 ? 'file' : 'files'}
            {folders > 0 ? ` (folders are left out)` : ''}.
          </p>
          <div className="details__actions">
            <button type="button" className="button button--small" onClick={() => setEditing('properties')}>
              <Icon name="pencil" />
              Edit {fileKeys.length === 1 ? '1 file' : `${fileKeys.length.toLocaleString()} files`}…
            </button>
            <EditTagsButton reason={tagsReason} onEdit={() => setEditing('tags')} />
          </div>
          <SeveralAccessSection accountId={accountId} bucket={bucket} keys={fileKeys} />
        </>
      ) : (
        <p className="details__muted">Only folders are selected: select files to edit their properties.</p>
      )}
      <EditPropertiesDialog subject={editing === 'properties' ? subject : null} onClose={() => setEditing(null)} />
      <EditTagsDialog subject={editing === 'tags' ? subject : null} onClose={() => setEditing(null)} />
    </>
  );
}

function FolderDetails({ prefix, bucket, accountId }: { prefix: string; bucket: string; accountId: string }) {
  return (
    <>
      <h3 className="details__title">{nameOf(prefix)}</h3>
      <dl className="properties">
        <Property label="Kind">Folder</Property>
        <Property label="Path">{formatLocation(bucket, prefix)}</Property>
        <FolderSize accountId={accountId} bucket={bucket} prefix={prefix} />
      </dl>
    </>
  );
}

function BucketDetails({ bucket, account }: { bucket: BucketSummary; account: AccountSummary }) {
  return (
    <>
      <h3 className="details__title">{bucket.name}</h3>
      <dl className="properties">
        <Property label="Kind">Bucket</Property>
        <Property label="Account">{account.name}</Property>
        <Property label="Created">
          {bucket.createdAt ? dateFormat.format(new Date(bucket.createdAt)) : <Muted>Not reported</Muted>}
        </Property>
        <Property label="Endpoint">{account.endpoint || 'Amazon S3'}</Property>
        <FolderSize accountId={account.id} bucket={bucket.name} prefix="" />
      </dl>
      <BucketProperties accountId={account.id} bucket={bucket.name} />
    </>
  );
}

function AccountDetails({ account, bucketCount }: { account: AccountSummary; bucketCount: number | null }) {
  const [keyDialog, setKeyDialog] = useState(false);
  return (
    <>
      <h3 className="details__title">{account.name}</h3>
      <dl className="properties">
        <Property label="Kind">Account</Property>
        <Property label="Endpoint">{account.endpoint || 'Amazon S3'}</Property>
        <Property label="Buckets">{bucketCount ?? '—'}</Property>
      </dl>
      <div className="details__actions details__actions--spaced">
        <button type="button" className="button button--small" onClick={() => setKeyDialog(true)}>
          Encryption key (SSE-C)…
        </button>
      </div>
      <CustomerKeyDialog accountId={keyDialog ? account.id : null} onClose={() => setKeyDialog(false)} />
    </>
  );
}
