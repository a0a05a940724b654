import { describe, expect, it } from 'vitest';
import { draftFromPreset, type AccountDraft, type AccountSummary } from '../../shared/accounts';
import type { Result } from '../../shared/result';
import { quietBrowserApi } from '../test-support/quiet-api';
import { sampleAccount } from '../test-support/sample-accounts';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';

const team = sampleAccount({ id: 'team', name: 'Team', endpoint: 'http://127.0.0.1:9000' });
const draft: AccountDraft = { ...draftFromPreset('minio'), name: 'Team', accessKeyId: 'AK', secretAccessKey: 'SK' };

/**
 * A fake API where the server holds `stored` accounts: save and remove change them and (like
 * main) announce the change, either before answering or, with `eventAfterAnswer`, after.
 */
function fakeApi(options: { saveResult?: Result<AccountSummary>; eventAfterAnswer?: boolean } = {}) {
  let stored: AccountSummary[] = [];
  let listener: ((payload: { accounts: AccountSummary[] }) => void) | undefined;
  const calls: string[] = [];
  const announce = () => listener?.({ accounts: stored });
  const answer = async <T>(result: Result<T>): Promise<Result<T>> => {
    if (!result.ok) return result;
    if (!options.eventAfterAnswer) announce();
    return result;
  };
  const api = {
    ...quietBrowserApi(),
    accounts: {
      list: async () => {
        calls.push('list');
        return { ok: true, value: stored };
      },
      save: async ({ draft: sent }: { draft: AccountDraft }) => {
        calls.push(`save ${sent.name}`);
        const result = options.saveResult ?? { ok: true as const, value: team };
        if (result.ok) stored = [result.value];
        return answer(result);
      },
      remove: async ({ accountId }: { accountId: string }) => {
        calls.push(`remove ${accountId}`);
        stored = stored.filter((a) => a.id !== accountId);
        return answer({ ok: true as const, value: { removed: true as const } });
      },
      onChanged: (fn: (payload: { accounts: AccountSummary[] }) => void) => {
        listener = fn;
        return () => (listener = undefined);
      },
    },
    buckets: {
      list: async ({ accountId }: { accountId: string }) => {
        calls.push(`buckets ${accountId}`);
        return { ok: true, value: [{ name: 'photos', createdAt: null }] };
      },
    },
  } as unknown as StoreDependencies['api'];
  return { api, calls, announce };
}

async function connectedStore(fake: ReturnType<typeof fakeApi>) {
  const { connectStore } = await import('./connect-store');
  const store = createAppStore({ api: fake.api });
  connectStore(store, fake.api);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return store;
}

describe('saving an account', () => {
  it('lists the new account with its buckets, selects it and says so', async () => {
    const fake = fakeApi();
    const store = await connectedStore(fake);
    store.getState().setAccountExpanded('team', false);
    const result = await store.getState().saveAccount(draft);
    expect(result.ok).toBe(true);
    const state = store.getState();
    expect(state.accounts.map((a) => a.id)).toEqual(['team']);
    expect(state.selection).toEqual({ kind: 'account', accountId: 'team' });
    expect(state.collapsedAccounts).toEqual({});
    expect(state.bucketLists.team?.buckets.map((b) => b.name)).toEqual(['photos']);
    expect(state.notifications.map((n) => [n.kind, n.message])).toEqual([['success', 'Account saved']]);
  });

  it('lists the accounts itself when the change event has not arrived yet', async () => {
    const fake = fakeApi({ eventAfterAnswer: true });
    const store = await connectedStore(fake);
    fake.calls.length = 0;
    await store.getState().saveAccount(draft);
    expect(fake.calls).toEqual(['save Team', 'list', 'buckets team']);
    expect(store.getState().selection).toEqual({ kind: 'account', accountId: 'team' });
  });

  it('returns a failure for the form to show, and changes nothing', async () => {
    const conflict = { code: 'conflict' as const, message: 'An account named "Team" already exists.' };
    const fake = fakeApi({ saveResult: { ok: false, error: conflict } });
    const store = await connectedStore(fake);
    expect(await store.getState().saveAccount(draft)).toEqual({ ok: false, error: conflict });
    expect(store.getState().accounts).toEqual([]);
    expect(store.getState().selection).toBeNull();
    expect(store.getState().notifications).toEqual([]);
  });
});

describe('removing an account', () => {
  it('drops it from the list and the selection, and says so', async () => {
    const fake = fakeApi();
    const store = await connectedStore(fake);
    await store.getState().saveAccount(draft);
    const result = await store.getState().removeAccount('team');
    expect(result.ok).toBe(true);
    expect(store.getState().accounts).toEqual([]);
    expect(store.getState().selection).toBeNull();
    expect(store.getState().notifications.at(-1)?.message).toBe('Account “Team” removed');
  });

  it('lists the accounts itself when the change event has not arrived yet', async () => {
    const fake = fakeApi({ eventAfterAnswer: true });
    const store = await connectedStore(fake);
    await store.getState().saveAccount(draft);
    await store.getState().removeAccount('team');
    expect(store.getState().accounts).toEqual([]);
  });
});

describe('the account dialogs', () => {
  it('opens one at a time: the form or a removal confirmation', () => {
    const store = createAppStore({ api: fakeApi().api });
    store.getState().openAccountEditor({ mode: 'edit', accountId: 'team' });
    expect(store.getState().accountEditor).toEqual({ mode: 'edit', accountId: 'team' });
    store.getState().confirmAccountRemoval('team');
    expect(store.getState().accountEditor).toBeNull();
    expect(store.getState().accountToRemove).toBe('team');
    store.getState().openAccountEditor({ mode: 'add' });
    expect(store.getState().accountToRemove).toBeNull();
    store.getState().closeAccountEditor();
    expect(store.getState().accountEditor).toBeNull();
  });
});
