import { describe, expect, it } from 'vitest';
import { capabilitiesFromSeed, capabilitySeeds, type ServiceCapabilities } from '../../shared/capabilities';
import type { Result } from '../../shared/result';
import { quietBrowserApi } from '../test-support/quiet-api';
import type { StoreDependencies } from './app-state';
import { capabilityKey } from './capabilities-slice';
import { connectStore } from './connect-store';
import { createAppStore } from './create-app-store';

const minio = capabilitiesFromSeed(capabilitySeeds.minio);
const r2 = capabilitiesFromSeed(capabilitySeeds.r2);

/** A fake capabilities API whose answers the test releases, recording what was asked. */
function fakeApi() {
  const calls: Array<{
    input: { accountId: string; bucket?: string };
    resolve: (r: Result<ServiceCapabilities>) => void;
  }> = [];
  let changed: ((c: { accountId: string; bucket: string | null }) => void) | null = null;
  const api = {
    ...quietBrowserApi(),
    accounts: { list: () => new Promise(() => undefined), onChanged: () => () => undefined },
    capabilities: {
      get: (input: { accountId: string; bucket?: string }) =>
        new Promise<Result<ServiceCapabilities>>((resolve) => calls.push({ input, resolve })),
      onChanged: (listener: typeof changed) => {
        changed = listener;
        return () => (changed = null);
      },
    },
  } as unknown as StoreDependencies['api'];
  return {
    api,
    calls,
    /** Answers the oldest request still open. */
    answer(result: Result<ServiceCapabilities>) {
      calls.shift()?.resolve(result);
      return tick();
    },
    emitChanged: (c: { accountId: string; bucket: string | null }) => changed?.(c),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const ok = (value: ServiceCapabilities): Result<ServiceCapabilities> => ({ ok: true, value });

describe('the capabilities slice', () => {
  it('reads a bucket’s model once, on demand, and an account’s without a bucket', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    void store.getState().loadCapabilities('acc', 'photos');
    void store.getState().loadCapabilities('acc', 'photos');
    void store.getState().loadCapabilities('acc', null);
    expect(fake.calls.map((c) => c.input)).toEqual([{ accountId: 'acc', bucket: 'photos' }, { accountId: 'acc' }]);
    expect(store.getState().capabilities[capabilityKey('acc', 'photos')]?.status).toBe('loading');
    await fake.answer(ok(minio));
    const entry = store.getState().capabilities[capabilityKey('acc', 'photos')];
    expect(entry).toMatchObject({ accountId: 'acc', bucket: 'photos', status: 'ready' });
    expect(entry?.value?.features.acl.support).toBe('no');
    await store.getState().loadCapabilities('acc', 'photos');
    expect(fake.calls).toHaveLength(1);
  });

  it('keeps a failed read quiet and tries again on the next demand', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    void store.getState().loadCapabilities('acc', 'b');
    await fake.answer({ ok: false, error: { code: 'network', message: 'Lost.' } });
    expect(store.getState().capabilities[capabilityKey('acc', 'b')]).toMatchObject({
      status: 'error',
      value: null,
      error: { code: 'network' },
    });
    // A model that cannot be read disables nothing, so it is no failure to announce.
    expect(store.getState().notifications).toEqual([]);
    void store.getState().loadCapabilities('acc', 'b');
    expect(fake.calls).toHaveLength(1);
    await fake.answer(ok(minio));
    expect(store.getState().capabilities[capabilityKey('acc', 'b')]?.status).toBe('ready');
  });

  it('re-reads what capabilities.changed concerns, keeping the model shown meanwhile', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    const disconnect = connectStore(store, fake.api);
    for (const [accountId, bucket] of [
      ['acc', 'a'],
      ['acc', 'b'],
      ['acc', null],
      ['other', 'a'],
    ] as const) {
      void store.getState().loadCapabilities(accountId, bucket);
      await fake.answer(ok(minio));
    }

    fake.emitChanged({ accountId: 'acc', bucket: 'b' });
    expect(fake.calls.map((c) => c.input)).toEqual([{ accountId: 'acc', bucket: 'b' }]);
    expect(store.getState().capabilities[capabilityKey('acc', 'b')]).toMatchObject({ status: 'loading', value: minio });
    await fake.answer(ok(r2));
    expect(store.getState().capabilities[capabilityKey('acc', 'b')]?.value).toEqual(r2);

    // Null: the whole service learned something, so every cached model of that account is re-read.
    fake.emitChanged({ accountId: 'acc', bucket: null });
    expect(fake.calls.map((c) => c.input)).toEqual([
      { accountId: 'acc', bucket: 'a' },
      { accountId: 'acc', bucket: 'b' },
      { accountId: 'acc' },
    ]);
    disconnect();
    fake.emitChanged({ accountId: 'other', bucket: null });
    expect(fake.calls).toHaveLength(3);
  });

  it('drops an answer that a newer read of the same model overtook', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    void store.getState().loadCapabilities('acc', 'b');
    store.getState().receiveCapabilitiesChanged({ accountId: 'acc', bucket: 'b' });
    const [first, second] = fake.calls.splice(0);
    second?.resolve(ok(r2));
    await tick();
    first?.resolve(ok(minio));
    await tick();
    expect(store.getState().capabilities[capabilityKey('acc', 'b')]?.value).toEqual(r2);
  });

  it('forgets removed accounts and re-reads the others when the accounts change', async () => {
    const fake = fakeApi();
    const store = createAppStore({ api: fake.api });
    void store.getState().loadCapabilities('kept', 'b');
    await fake.answer(ok(minio));
    void store.getState().loadCapabilities('gone', 'b');
    // Still on its way when the account is removed: its late answer must not bring it back.
    store.getState().receiveCapabilityAccounts(['kept']);
    expect(Object.keys(store.getState().capabilities)).toEqual([capabilityKey('kept', 'b')]);
    expect(fake.calls.map((c) => c.input)).toEqual([
      { accountId: 'gone', bucket: 'b' },
      { accountId: 'kept', bucket: 'b' },
    ]);
    await fake.answer(ok(minio));
    await fake.answer(ok(r2));
    expect(Object.keys(store.getState().capabilities)).toEqual([capabilityKey('kept', 'b')]);
    expect(store.getState().capabilities[capabilityKey('kept', 'b')]?.value).toEqual(r2);
  });
});
