import type { Result } from '../../shared/result';
import { appError } from '../../shared/errors';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type EventMessage } from '../../shared/ipc-channels';
import type { EventBus } from '../services/event-bus';
import type { ServiceHandlers } from '../services/handlers';
import { dispatch } from './dispatch';

/** The slice of Electron's ipcMain the host needs; passed in so this file never imports electron. */
export interface IpcMainLike<SenderEvent> {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** What the Electron glue hands the IPC host. */
export interface IpcHostOptions<SenderEvent> {
  ipcMain: IpcMainLike<SenderEvent>;
  /** True only for our window's main frame, loaded from our own origin. */
  isTrustedSender: (event: SenderEvent) => boolean;
  services: ServiceHandlers;
  bus: EventBus;
  /** Delivers an event to our window(s) on the given raw channel. */
  send: (rawChannel: string, message: EventMessage) => void;
}

/**
 * Serves the contract over Electron IPC: one invoke channel carries `{ channel, input }`,
 * checked for sender, channel and schema by the same dispatch as the WebSocket host.
 * The event object never reaches the renderer. Returns a function that unregisters it.
 */
export function registerIpcHost<SenderEvent>(options: IpcHostOptions<SenderEvent>): () => void {
  const { ipcMain, isTrustedSender, services, bus, send } = options;
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, message): Promise<Result<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: appError('unauthorized-sender') };
    if (typeof message !== 'object' || message === null) {
      return {
        ok: false,
        error: appError('invalid-input', 'A request must be an object with a channel and an input.'),
      };
    }
    const { channel, input } = message as { channel?: unknown; input?: unknown };
    return dispatch(services, channel, input, { host: 'ipc' });
  });
  const unsubscribe = bus.onAny((channel, payload) => send(IPC_EVENT_CHANNEL, { event: channel, payload }));
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
