import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Api } from '../shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/ipc-channels';
import { events, requests } from '../shared/contract';

// The preload runs against a stand-in for electron: the real package would try to
// download its binary. The factory is hoisted above the imports by vitest.
const electron = vi.hoisted(() => {
  const ipcListeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const exposed = new Map<string, unknown>();
  return {
    ipcListeners,
    exposed,
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
  };
});
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  webUtils: { getPathForFile: (file: { name: string }) => `/picked/${file.name}` },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => electron.invoke(channel, ...args),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      electron.ipcListeners.set(channel, listener);
    },
  },
}));

let api: Api;
const ipcEvent = { sender: 'the IPC event object, never for the page' };
function emit(message: unknown): void {
  electron.ipcListeners.get(IPC_EVENT_CHANNEL)?.(ipcEvent, message);
}

beforeAll(async () => {
  await import('./index');
  api = electron.exposed.get('api') as Api;
});

describe('preload', () => {
  it('exposes only window.api, and the path of a dropped or picked file', () => {
    expect([...electron.exposed.keys()]).toEqual(['api', 's3fmFiles']);
    const files = electron.exposed.get('s3fmFiles') as { pathForFile: (file: { name: string }) => string };
    expect(Object.keys(files)).toEqual(['pathForFile']);
    expect(files.pathForFile({ name: 'a.txt' })).toBe('/picked/a.txt');
    // One domain per `domain.` prefix in the contract, and nothing else.
    const domains = [...new Set([...Object.keys(requests), ...Object.keys(events)].map((c) => c.split('.')[0]))];
    expect(Object.keys(api).sort()).toEqual(domains.sort());
  });

  it('sends a request as { channel, input } on the one invoke channel', async () => {
    electron.invoke.mockResolvedValueOnce({ ok: true, value: [] });
    await expect(api.buckets.list({ accountId: 'env' })).resolves.toEqual({ ok: true, value: [] });
    expect(electron.invoke).toHaveBeenLastCalledWith(IPC_INVOKE_CHANNEL, {
      channel: 'buckets.list',
      input: { accountId: 'env' },
    });
  });

  it('turns a rejected invoke into an internal error result', async () => {
    electron.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    const result = await api.app.info({});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal');
      expect(result.error.message).toContain('An object could not be cloned.');
    }
  });

  it('turns a synchronous throw into an internal error result', async () => {
    electron.invoke.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    await expect(api.app.info({})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('fans events out by name with the payload only, and unsubscribes one listener at a time', () => {
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = api.accounts.onChanged(first);
    const stopSecond = api.accounts.onChanged(second);
    // The same function twice is two subscriptions.
    const stopFirstAgain = api.accounts.onChanged(first);

    emit({ event: 'accounts.changed', payload: { accounts: [] } });
    expect(first).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledWith({ accounts: [] });
    expect(first.mock.calls.flat()).not.toContain(ipcEvent);

    stopFirst();
    emit({ event: 'accounts.changed', payload: { accounts: [] } });
    expect(first).toHaveBeenCalledTimes(3);
    expect(second).toHaveBeenCalledTimes(2);

    stopFirstAgain();
    stopSecond();
    emit({ event: 'accounts.changed', payload: { accounts: [] } });
    expect(first).toHaveBeenCalledTimes(3);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('ignores malformed event messages and events nobody listens to', () => {
    const listener = vi.fn();
    const stop = api.accounts.onChanged(listener);
    emit(null);
    emit('accounts.changed');
    emit({ event: 42, payload: {} });
    emit({ event: 'buckets.changed', payload: {} });
    expect(listener).not.toHaveBeenCalled();
    stop();
  });

  it('keeps delivering to other listeners when one throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    const stopThrowing = api.accounts.onChanged(() => {
      throw new Error('listener bug');
    });
    const stopAfter = api.accounts.onChanged(after);
    emit({ event: 'accounts.changed', payload: { accounts: [] } });
    expect(after).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalled();
    stopThrowing();
    stopAfter();
    error.mockRestore();
  });
});
