import { useShallow } from 'zustand/react/shallow';
import type { AccountSummary, BucketSummary } from '../../../shared/models';
import { useAppStore } from '../../stores/app-store';

// Dates in the person's own locale and time zone, with the time: buckets made today differ by hours.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The right pane: properties of what is selected (headers, metadata and tags come later). */
export function DetailsPanel() {
  const { account, bucket, bucketCount } = useAppStore(
    useShallow((s) => {
      const selection = s.selection;
      const list = selection ? s.bucketLists[selection.accountId] : undefined;
      return {
        account: s.accounts.find((a) => a.id === selection?.accountId) ?? null,
        bucket: selection?.kind === 'bucket' ? (list?.buckets.find((b) => b.name === selection.bucket) ?? null) : null,
        bucketCount: list && (list.status === 'ready' || list.buckets.length > 0) ? list.buckets.length : null,
      };
    }),
  );

  return (
    <aside aria-label="Details" className="pane details">
      <header className="pane-header">
        <h2 className="pane-title">Details</h2>
      </header>
      <div className="pane-body details__body">
        {bucket && account ? (
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
