import { describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc-channels';
import { registerIpcHost, type IpcMainLike } from './ipc-host';
import { servicesWithoutAccounts } from './test-services';

interface FakeSenderEvent {
  trusted: boolean;
}

/** A stand-in for Electron's ipcMain (the binary is not available here): records handlers, invokes them. */
function createIpcMainStandIn() {
  const handlers = new Map<string, (event: FakeSenderEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike<FakeSenderEvent> = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const invoke = (message: unknown, trusted = true) => {
    const handler = handlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('no handler registered');
    return handler({ trusted }, message);
  };
  return { ipcMain, invoke, handlers };
}

function setUp() {
  const services = servicesWithoutAccounts();
  const standIn = createIpcMainStandIn();
  const sent: unknown[] = [];
  const unregister = registerIpcHost({
    ipcMain: standIn.ipcMain,
    isTrustedSender: (event) => event.trusted,
    services,
    bus: services.bus,
    send: (channel, message) => sent.push({ channel, message }),
  });
  return { ...standIn, services, sent, unregister };
}

describe('IPC host', () => {
  it('answers a valid request through the handler', async () => {
    const { invoke } = setUp();
    const result = await invoke({ channel: 'app.info', input: {} });
    expect(result).toEqual({ ok: true, value: { name: 'S3 File Manager', version: '0.0.0-test', mode: 'web' } });
  });

  it('rejects an unknown channel', async () => {
    const { invoke } = setUp();
    const result = await invoke({ channel: 'files.format', input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('rejects a prototype name posing as a channel', async () => {
    const { invoke } = setUp();
    expect(await invoke({ channel: 'toString', input: {} })).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
  });

  it('rejects input that fails the schema, naming the field', async () => {
    const { invoke } = setUp();
    const result = await invoke({ channel: 'buckets.list', input: { accountId: 42 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(result)).toContain('accountId');
    expect(await invoke({ channel: 'app.info', input: { extra: true } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('rejects a sender that is not our main frame, before any handler runs', async () => {
    const { invoke } = setUp();
    expect(await invoke({ channel: 'app.info', input: {} }, false)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized-sender' },
    });
  });

  it('rejects a message that is not an object', async () => {
    const { invoke } = setUp();
    expect(await invoke('app.info')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('forwards service events without the IPC event object, and stops when unregistered', () => {
    const { services, sent, unregister, handlers } = setUp();
    services.bus.emit('accounts.changed', { accounts: [] });
    expect(sent).toEqual([
      { channel: IPC_EVENT_CHANNEL, message: { event: 'accounts.changed', payload: { accounts: [] } } },
    ]);
    unregister();
    services.bus.emit('accounts.changed', { accounts: [] });
    expect(sent).toHaveLength(1);
    expect(handlers.size).toBe(0);
  });
});
