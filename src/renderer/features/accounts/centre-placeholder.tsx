import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { providerIds, providerPresets } from '../../../shared/accounts';
import { Icon, type IconName } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { LAUNCH_ACCOUNT_REASON } from './account-menu';
import { centreStateOf, type CentreState } from './centre-state';

// Every preset but the catch-all, as one sentence: "Amazon S3, MinIO, … and DigitalOcean Spaces".
const namedProviders = providerIds.filter((id) => id !== 'other').map((id) => providerPresets[id].label);
const providerSentence = `${namedProviders.slice(0, -1).join(', ')} and ${namedProviders.at(-1) ?? ''}`;

/**
 * The main area while no bucket is open. It says what is going on (accounts loading, a first
 * start, an account connecting, failing or empty, buckets to choose) and offers the next step
 * as a labelled button: Add account, Edit account and Try again, Create bucket.
 */
export function CentrePlaceholder() {
  const state = useAppStore(
    useShallow((s) =>
      centreStateOf({
        accounts: s.accounts,
        accountsStatus: s.accountsStatus,
        accountsError: s.accountsError,
        bucketLists: s.bucketLists,
        selection: s.selection,
      }),
    ),
  );
  return (
    <div className="pane-body placeholder placeholder--center centre-placeholder" data-state={state.kind}>
      <CentreContent state={state} />
    </div>
  );
}

function CentreContent({ state }: { state: CentreState }) {
  const { loadAccounts, loadBuckets, openAccountEditor, openBrowserDialog } = useAppStore(
    useShallow((s) => ({
      loadAccounts: s.loadAccounts,
      loadBuckets: s.loadBuckets,
      openAccountEditor: s.openAccountEditor,
      openBrowserDialog: s.openBrowserDialog,
    })),
  );
  switch (state.kind) {
    case 'loading-accounts':
      return (
        <p role="status" className="centre-placeholder__status">
          <Icon name="spinner" className="icon--spin" /> Loading accounts…
        </p>
      );
    case 'accounts-failed':
      return (
        <Message icon="alert" tone="danger" title="The accounts could not be read">
          <p>{state.error.message}</p>
          <Actions>
            <button type="button" className="button button--primary" onClick={() => void loadAccounts()}>
              <Icon name="refresh" />
              Try again
            </button>
          </Actions>
        </Message>
      );
    case 'welcome':
      return (
        <Message icon="bucket" title="Welcome to S3 File Manager">
          <p>
            Browse the buckets you keep in S3 storage, drag files in to upload them, and copy links to share them. Start
            by adding an account: the address of the service and its access keys, or an AWS profile.
          </p>
          <Actions>
            <button
              type="button"
              className="button button--primary button--large"
              onClick={() => openAccountEditor({ mode: 'add' })}
            >
              <Icon name="plus" />
              Add account
            </button>
          </Actions>
          <p className="centre-placeholder__note">
            Works with {providerSentence}, and any other S3-compatible service.
          </p>
        </Message>
      );
    case 'connecting':
      return (
        <p role="status" className="centre-placeholder__status">
          <Icon name="spinner" className="icon--spin" /> Connecting to “{state.account.name}”…
        </p>
      );
    case 'account-failed': {
      const { account } = state;
      const readOnly = account.origin === 'launch';
      return (
        <Message icon="alert" tone="danger" title={`“${account.name}” could not connect`}>
          <p>{state.error.message}</p>
          <p>
            {readOnly
              ? `Its buckets cannot be shown until it connects. ${LAUNCH_ACCOUNT_REASON}`
              : 'Its buckets cannot be shown until it connects. Correct its settings, or try again once the service can be reached.'}
          </p>
          <Actions>
            {readOnly ? null : (
              <button
                type="button"
                className="button button--primary"
                onClick={() => openAccountEditor({ mode: 'edit', accountId: account.id })}
              >
                <Icon name="pencil" />
                Edit account
              </button>
            )}
            <button type="button" className="button" onClick={() => void loadBuckets(account.id)}>
              <Icon name="refresh" />
              Try again
            </button>
          </Actions>
        </Message>
      );
    }
    case 'no-buckets':
      return (
        <Message icon="bucket" title={`“${state.account.name}” has no buckets yet`}>
          <p>A bucket holds your files and folders. Create one to start uploading.</p>
          <Actions>
            <button
              type="button"
              className="button button--primary button--large"
              onClick={() => openBrowserDialog({ kind: 'create-bucket', accountId: state.account.id })}
            >
              <Icon name="bucket-plus" />
              Create bucket
            </button>
          </Actions>
        </Message>
      );
    case 'choose-bucket':
      return (
        <Message icon="bucket" title="Choose a bucket">
          <p>
            {state.bucketCount === 1
              ? `“${state.account.name}” has one bucket: choose it in the sidebar to see its files.`
              : `“${state.account.name}” has ${state.bucketCount.toLocaleString()} buckets: choose one in the sidebar to see its files.`}
          </p>
        </Message>
      );
    case 'choose-account':
      return state.bucketCount > 0 ? (
        <Message icon="account" title="Choose a bucket">
          <p>
            {`${state.accountCount.toLocaleString()} accounts are set up: choose a bucket of one of them in the sidebar to see its files.`}
          </p>
        </Message>
      ) : (
        <Message icon="account" title="Choose an account">
          <p>
            {`${state.accountCount.toLocaleString()} accounts are set up, and none shows a bucket yet: select one in the sidebar to create a bucket in it, or to see why it does not connect.`}
          </p>
        </Message>
      );
  }
}

/** A heading with an icon, the text under it, and room for buttons. */
function Message({
  icon,
  tone,
  title,
  children,
}: {
  icon: IconName;
  tone?: 'danger';
  title: string;
  children: ReactNode;
}) {
  return (
    <div className="centre-placeholder__message" data-tone={tone}>
      <Icon name={icon} className="centre-placeholder__icon" />
      <h1 className="placeholder__title">{title}</h1>
      {children}
    </div>
  );
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="centre-placeholder__actions">{children}</div>;
}
