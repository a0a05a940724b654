import { describe, expect, it } from 'vitest';
import type { AccountSummary, BucketSummary } from '../../shared/models';
import type { Result } from '../../shared/result';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';
import { quietBrowserApi } from '../test-support/quiet-api';
import { sampleAccount } from '../test-support/sample-accounts';

const local: AccountSummary = sampleAccount({ id: 'local', name: 'Local', endpoint: 'http://127.0.0.1:9000' });
const other: AccountSummary = sampleAccount({ id: 'other', name: 'Other', endpoint: 'http://127.0.0.1:9001' });
const bucket = (name: string): BucketSummary => ({ name, createdAt: null });

/** A fake API whose answers the test controls; `resolve*` settle the oldest pending call. */
function fakeApi() {
  const accountCalls: Array<(r: Result<AccountSummary[]>) => void> = [];
  const bucketCalls: Array<{ accountId: string; resolve: (r: Result<BucketSummary[]>) => void }> = [];
  let changed: ((payload: { accounts: AccountSummary[] }) => void) | undefined;
  const api: StoreDependencies['api'] = {
    ...quietBrowserApi(),
    accounts: {
      list: () => new Promise((resolve) => accountCalls.push(resolve)),
      onChanged: (listener: (payload: { accounts: AccountSummary[] }) => void) => {
        changed = listener;
        return () => (changed = undefined);
      },
    },
    buckets: {
      list: ({ accountId }: { accountId: string }) =>
        new Promise((resolve) => bucketCalls.push({ accountId, resolve })),
    },
  } as unknown as StoreDependencies['api'];
  return { api, accountCalls, bucketCalls, emitChanged: (accounts: AccountSummary[]) => changed?.({ accounts }) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the app store', () => {
  it('loads accounts, then the buckets of each', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    const done = store.getState().loadAccounts();
    expect(store.getState().accountsStatus).toBe('loading');
    fake.accountCalls.shift()?.({ ok: true, value: [local, other] });
    await tick();
    expect(fake.bucketCalls.map((c) => c.accountId)).toEqual(['local', 'other']);
    expect(store.getState().bucketLists.local?.status).toBe('loading');
    fake.bucketCalls.shift()?.resolve({ ok: true, value: [bucket('a'), bucket('b')] });
    fake.bucketCalls.shift()?.resolve({ ok: false, error: { code: 'access-denied', message: 'Denied.' } });
    await done;
    const state = store.getState();
    expect(state.accounts).toEqual([local, other]);
    expect(state.bucketLists.local).toEqual({ status: 'ready', buckets: [bucket('a'), bucket('b')], error: null });
    expect(state.bucketLists.other?.error?.message).toBe('Denied.');
    expect(state.notifications.map((n) => [n.kind, n.message])).toEqual([
      ['error', 'Could not list the buckets of “Other”: Denied.'],
    ]);
  });

  it('shows a failure to list accounts and a toast', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    const done = store.getState().loadAccounts();
    fake.accountCalls.shift()?.({ ok: false, error: { code: 'network', message: 'Lost.' } });
    await done;
    expect(store.getState().accountsStatus).toBe('error');
    expect(store.getState().accountsError?.message).toBe('Lost.');
    expect(store.getState().notifications).toHaveLength(1);
  });

  it('ignores an answer that a newer request overtook', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    void store.getState().receiveAccounts([local]);
    void store.getState().loadBuckets('local');
    const [first, second] = fake.bucketCalls;
    second?.resolve({ ok: true, value: [bucket('new')] });
    await tick();
    first?.resolve({ ok: true, value: [bucket('old')] });
    await tick();
    expect(store.getState().bucketLists.local?.buckets).toEqual([bucket('new')]);
  });

  it('drops the selection when its account goes away, and moves it up when its bucket does', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    void store.getState().receiveAccounts([local, other]);
    store.getState().select({ kind: 'bucket', accountId: 'local', bucket: 'a' });
    for (const call of fake.bucketCalls.splice(0)) call.resolve({ ok: true, value: [bucket('b')] });
    await tick();
    expect(store.getState().selection).toEqual({ kind: 'account', accountId: 'local' });
    void store.getState().receiveAccounts([other]);
    expect(store.getState().selection).toBeNull();
    expect(Object.keys(store.getState().bucketLists)).toEqual(['other']);
  });

  it('does not repeat a toast that is already showing', () => {
    const store = createAppStore({ api: fakeApi().api });
    store.getState().notify('Same', 'error');
    store.getState().notify('Same', 'error');
    store.getState().notify('Same', 'info');
    expect(store.getState().notifications).toHaveLength(2);
    store.getState().dismissNotification(store.getState().notifications[0]?.id ?? -1);
    expect(store.getState().notifications.map((n) => n.kind)).toEqual(['info']);
  });

  it('remembers collapsed accounts and expands them all on request', () => {
    const store = createAppStore({ api: fakeApi().api });
    store.getState().setAccountExpanded('local', false);
    expect(store.getState().collapsedAccounts).toEqual({ local: true });
    store.getState().expandAllAccounts();
    expect(store.getState().collapsedAccounts).toEqual({});
  });
});

describe('connectStore', () => {
  it('loads at once and refreshes when main says the accounts changed', async () => {
    const { connectStore } = await import('./connect-store');
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    const disconnect = connectStore(store, fake.api);
    expect(fake.accountCalls).toHaveLength(1);
    fake.emitChanged([other]);
    expect(store.getState().accounts).toEqual([other]);
    expect(fake.bucketCalls.map((c) => c.accountId)).toEqual(['other']);
    disconnect();
    fake.emitChanged([local]);
    expect(store.getState().accounts).toEqual([other]);
  });
});
