import type { ApiTransport } from '../../shared/api';
import type { EventChannel, RequestChannel } from '../../shared/contract';
import { appError } from '../../shared/errors';
import type { Result } from '../../shared/result';

const TOKEN_KEY = 's3fm.token';

/**
 * Finds web mode's one-time token: from the URL fragment on first load (then removed from
 * the address bar so it is not shared by accident), from session storage on a reload.
 */
export function takeWebToken(location: Location, storage: Storage, history: History): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    storage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return storage.getItem(TOKEN_KEY);
}

/** Web mode's token as takeWebToken kept it (session storage), for requests beside the WebSocket: the spool. */
export function storedWebToken(storage: Storage): string | null {
  return storage.getItem(TOKEN_KEY);
}

/** The API transport of web mode: the contract over one WebSocket to the app's WebSocket host. */
export function createWebSocketTransport(url: string): ApiTransport {
  const socket = new WebSocket(url);
  const opened = new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => resolve(true), { once: true });
    socket.addEventListener('close', () => resolve(false), { once: true });
  });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const lost = appError('network', 'The connection to the app was lost. Check that it is still running, then reload.');

  socket.addEventListener('message', (message: MessageEvent<string>) => {
    const frame = JSON.parse(message.data) as {
      id?: number;
      result?: Result<unknown>;
      event?: string;
      payload?: unknown;
    };
    if (typeof frame.id === 'number' && frame.result) {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else if (typeof frame.event === 'string') {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: lost });
    pending.clear();
  });

  return {
    invoke(channel: RequestChannel, input: unknown) {
      const send = (): Promise<Result<unknown>> => {
        if (socket.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, error: lost });
        const id = nextId++;
        return new Promise<Result<unknown>>((resolve) => {
          pending.set(id, resolve);
          socket.send(JSON.stringify({ id, channel, input }));
        });
      };
      // Sent at once when the socket is open, not after a turn of the event loop: the state
      // change that asked (opening a folder) is rendered in the meantime, and the request would
      // wait for that render before it left.
      if (socket.readyState === WebSocket.OPEN) return send();
      return opened.then(send);
    },
    subscribe(channel: EventChannel, listener: (payload: unknown) => void) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
