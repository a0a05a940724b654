import { useShallow } from 'zustand/react/shallow';
import type { AccountSummary, BucketSummary } from '../../../shared/models';
import type { BrowserEntry } from '../browser/entries';
import { formatSize, formatStorageClass } from '../browser/format';
import { formatLocation } from '../browser/parse-location';
import { useAppStore } from '../../stores/app-store';

// Dates in the person's own locale and time zone, with the time: buckets made today differ by hours.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The one file or folder selected in the list, if exactly one is. */
function selectedEntry(entries: readonly BrowserEntry[], selected: ReadonlySet<string>): BrowserEntry | null {
  if (selected.size !== 1) return null;
  const [key] = selected;
  return entries.find((e) => e.key === key) ?? null;
}

/**
 * The right pane: properties of what is selected: a file or folder in the list, else the
 * bucket or folder shown, else the account (headers, metadata and tags come later).
 */
export function DetailsPanel() {
  const { account, bucket, bucketCount, folder, entry, selectedCount } = useAppStore(
    useShallow((s) => {
      const selection = s.selection;
      const list = selection ? s.bucketLists[selection.accountId] : undefined;
      const bucketName = selection && selection.kind !== 'account' ? selection.bucket : null;
      return {
        account: s.accounts.find((a) => a.id === selection?.accountId) ?? null,
        bucket: bucketName ? (list?.buckets.find((b) => b.name === bucketName) ?? null) : null,
        bucketCount: list && (list.status === 'ready' || list.buckets.length > 0) ? list.buckets.length : null,
        folder: selection?.kind === 'folder' ? selection.prefix : null,
        entry: selectedEntry(s.listing.entries, s.listSelection.selected),
        selectedCount: s.listSelection.selected.size,
      };
    }),
  );

  return (
    <aside aria-label="Details" className="pane details">
      <header className="pane-header">
        <h2 className="pane-title">Details</h2>
      </header>
      <div className="pane-body details__body">
        {entry && bucket ? (
          <EntryDetails entry={entry} bucket={bucket.name} />
        ) : selectedCount > 1 ? (
          <p className="empty-state">{selectedCount.toLocaleString()} items selected.</p>
        ) : folder !== null && bucket ? (
          <FolderDetails prefix={folder} bucket={bucket.name} />
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

function EntryDetails({ entry, bucket }: { entry: BrowserEntry; bucket: string }) {
  const name = entry.name.endsWith('/') ? entry.name.slice(0, -1) : entry.name;
  return (
    <>
      <h3 className="details__title">{name}</h3>
      <dl className="properties">
        <dt>Kind</dt>
        <dd>{entry.kind === 'folder' ? 'Folder' : 'File'}</dd>
        {entry.kind === 'file' ? (
          <>
            <dt>Size</dt>
            <dd>
              {formatSize(entry.size)}
              {entry.size >= 1024 ? ` (${entry.size.toLocaleString()} bytes)` : ''}
            </dd>
            <dt>Modified</dt>
            <dd>{entry.lastModified ? dateFormat.format(new Date(entry.lastModified)) : 'Not reported'}</dd>
            <dt>Storage class</dt>
            <dd>{formatStorageClass(entry.storageClass) || 'Not reported'}</dd>
          </>
        ) : null}
        <dt>Path</dt>
        <dd className="selectable">{formatLocation(bucket, entry.key)}</dd>
        {entry.kind === 'file' && entry.etag ? (
          <>
            <dt>ETag</dt>
            <dd className="selectable details__mono">{entry.etag.replace(/"/g, '')}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

function FolderDetails({ prefix, bucket }: { prefix: string; bucket: string }) {
  const name = prefix.slice(0, -1).slice(prefix.slice(0, -1).lastIndexOf('/') + 1);
  return (
    <>
      <h3 className="details__title">{name}</h3>
      <dl className="properties">
        <dt>Kind</dt>
        <dd>Folder</dd>
        <dt>Path</dt>
        <dd className="selectable">{formatLocation(bucket, prefix)}</dd>
      </dl>
    </>
  );
}

function BucketDetails({ bucket, account }: { bucket: BucketSummary; account: AccountSummary }) {
  return (
    <>
      <h3 className="details__title">{bucket.name}</h3>
      <dl className="properties">
        <dt>Kind</dt>
        <dd>Bucket</dd>
        <dt>Account</dt>
        <dd>{account.name}</dd>
        <dt>Created</dt>
        <dd>{bucket.createdAt ? dateFormat.format(new Date(bucket.createdAt)) : 'Not reported'}</dd>
        <dt>Endpoint</dt>
        <dd className="selectable">{account.endpoint || 'Amazon S3'}</dd>
      </dl>
    </>
  );
}

function AccountDetails({ account, bucketCount }: { account: AccountSummary; bucketCount: number | null }) {
  return (
    <>
      <h3 className="details__title">{account.name}</h3>
      <dl className="properties">
        <dt>Kind</dt>
        <dd>Account</dd>
        <dt>Endpoint</dt>
        <dd className="selectable">{account.endpoint || 'Amazon S3'}</dd>
        <dt>Buckets</dt>
        <dd>{bucketCount ?? '—'}</dd>
      </dl>
    </>
  );
}
