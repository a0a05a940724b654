import { describe, expect, it } from 'vitest';
import { appError } from '../../shared/errors';
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

  it('answers a channel that is not a string with unknown-channel, even one String() cannot print', async () => {
    const { invoke } = setUp();
    for (const channel of [{ toString: 'app.info' }, Object.create(null), Symbol('app.info'), 42, null]) {
      expect(await invoke({ channel, input: {} })).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('rejects text that is not well-formed Unicode (a lone surrogate has no UTF-8 form), naming the field', async () => {
    const { invoke } = setUp();
    const result = await invoke({ channel: 'buckets.delete', input: { accountId: 'a', name: 'b\ud800' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(result)).toContain('name');
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

  it('turns an unexpected error into internal, without its text (it could hold a secret)', async () => {
    const services = servicesWithoutAccounts();
    const standIn = createIpcMainStandIn();
    const throwing = {
      ...services,
      handlers: {
        ...services.handlers,
        'app.info': () => Promise.reject(new Error('SignatureDoesNotMatch for secret wJalrXUtnFEMI/K7MDENG')),
      },
    } as typeof services;
    registerIpcHost({
      ipcMain: standIn.ipcMain,
      isTrustedSender: () => true,
      services: throwing,
      bus: services.bus,
      send: () => undefined,
    });
    const result = await standIn.invoke({ channel: 'app.info', input: {} });
    expect(result).toEqual({ ok: false, error: appError('internal') });
    expect(JSON.stringify(result)).not.toContain('wJalrXUtnFEMI');
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
