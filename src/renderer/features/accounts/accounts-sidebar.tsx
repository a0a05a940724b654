import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { IconButton } from '../../components/icon-button';
import { useAppStore } from '../../stores/app-store';
import { BucketTree } from './bucket-tree';

/** The left pane: accounts and their buckets, with a refresh button, an empty state and errors. */
export function AccountsSidebar() {
  const headingId = useId();
  const { hasAccounts, status, error, anyBusy, loadAccounts } = useAppStore(
    useShallow((s) => ({
      hasAccounts: s.accounts.length > 0,
      status: s.accountsStatus,
      error: s.accountsError,
      anyBusy: s.accountsStatus === 'loading' || Object.values(s.bucketLists).some((l) => l.status === 'loading'),
      loadAccounts: s.loadAccounts,
    })),
  );

  return (
    <nav aria-label="Accounts and buckets" className="pane sidebar">
      <header className="pane-header">
        <h2 id={headingId} className="pane-title">
          Accounts
        </h2>
        <IconButton label="Refresh buckets" icon="refresh" busy={anyBusy} onClick={() => void loadAccounts()} />
      </header>
      <div className="pane-body sidebar__body">
        {error ? (
          <p role="alert" className="inline-error">
            {error.message}
          </p>
        ) : null}
        {hasAccounts ? <BucketTree labelledBy={headingId} /> : null}
        {!hasAccounts && (status === 'idle' || (status === 'loading' && !error)) ? (
          <p role="status" className="empty-state">
            Loading accounts…
          </p>
        ) : null}
        {!hasAccounts && status === 'ready' ? <NoAccounts /> : null}
      </div>
    </nav>
  );
}

function NoAccounts() {
  return (
    <p className="empty-state">
      No accounts yet. Start the app with <code>S3FM_ENDPOINT</code>, <code>S3FM_ACCESS_KEY_ID</code> and{' '}
      <code>S3FM_SECRET_ACCESS_KEY</code> set, or run <code>npm run demo</code>.
    </p>
  );
}
