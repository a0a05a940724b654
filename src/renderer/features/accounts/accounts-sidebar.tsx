import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon';
import { IconButton } from '../../components/icon-button';
import { HidePaneButton } from '../../components/side-pane-controls';
import { useAppStore } from '../../stores/app-store';
import { BookmarksSection } from '../bookmarks/bookmarks-section';
import { BucketTree } from './bucket-tree';
import { centreAccountOf } from './centre-state';

/** The left pane: accounts and their buckets, with a refresh button, an empty state and errors. */
export function AccountsSidebar() {
  const headingId = useId();
  const {
    hasAccounts,
    hasBookmarks,
    status,
    error,
    anyBusy,
    loadAccounts,
    openAccountEditor,
    accountId,
    openBrowserDialog,
  } = useAppStore(
    useShallow((s) => ({
      hasBookmarks: s.bookmarks.length > 0,
      // The selected account, or the only one: creating a bucket needs no selection then.
      accountId: centreAccountOf(s)?.id ?? null,
      openBrowserDialog: s.openBrowserDialog,
      hasAccounts: s.accounts.length > 0,
      status: s.accountsStatus,
      error: s.accountsError,
      anyBusy: s.accountsStatus === 'loading' || Object.values(s.bucketLists).some((l) => l.status === 'loading'),
      loadAccounts: s.loadAccounts,
      openAccountEditor: s.openAccountEditor,
    })),
  );
  const addAccount = () => openAccountEditor({ mode: 'add' });

  return (
    <nav aria-label="Accounts and buckets" className="pane sidebar">
      <header className="pane-header">
        <h2 id={headingId} className="pane-title">
          Accounts
        </h2>
        <IconButton
          label="Create bucket"
          icon="bucket-plus"
          disabledReason={
            accountId !== null
              ? null
              : hasAccounts
                ? 'To create a bucket, select its account first.'
                : 'To create a bucket, add an account first.'
          }
          onClick={() => {
            if (accountId !== null) openBrowserDialog({ kind: 'create-bucket', accountId });
          }}
        />
        <IconButton label="Add account" icon="plus" onClick={addAccount} />
        <IconButton label="Refresh buckets" icon="refresh" busy={anyBusy} onClick={() => void loadAccounts()} />
        <HidePaneButton pane="sidebar" />
      </header>
      <div className="pane-body sidebar__body">
        {error ? (
          <p role="alert" className="inline-error">
            {error.message}
          </p>
        ) : null}
        {hasAccounts || hasBookmarks ? <BookmarksSection /> : null}
        {hasAccounts ? <BucketTree labelledBy={headingId} /> : null}
        {!hasAccounts && (status === 'idle' || (status === 'loading' && !error)) ? (
          <p role="status" className="empty-state">
            Loading accounts…
          </p>
        ) : null}
        {!hasAccounts && status === 'ready' ? <NoAccounts onAdd={addAccount} /> : null}
      </div>
    </nav>
  );
}

function NoAccounts({ onAdd }: { onAdd: () => void }) {
  return (
    <div className="empty-state sidebar__empty">
      <p className="empty-state__title">No accounts yet</p>
      <p>Connect Amazon S3, MinIO, Cloudflare R2 or any S3-compatible service.</p>
      {/* Named apart from the header's "Add account", so each button has a name of its own. */}
      <button type="button" className="button button--primary" onClick={onAdd}>
        <Icon name="plus" />
        Add an account
      </button>
    </div>
  );
}
