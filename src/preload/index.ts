import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi, type ApiTransport } from '../shared/api';
import { appError } from '../shared/errors';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type EventMessage,
  type IpcInvokeMessage,
} from '../shared/ipc-channels';
import type { Result } from '../shared/result';

// The preload: exposes the typed contract as window.api and nothing else. The page never
// sees ipcRenderer, a channel string it could choose freely, or an IPC event object
// (whose `sender` would reach back into Electron). Bundled into one CommonJS file because
// a sandboxed preload can neither load ES modules nor require anything but 'electron'.

type Listener = (payload: unknown) => void;

// One IPC listener for all events, fanned out by event name: adding ipcRenderer listeners
// per subscription would leak Electron's MaxListeners warning and its event objects.
const listeners = new Map<string, Set<{ listener: Listener }>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: unknown) => {
  if (typeof message !== 'object' || message === null) return;
  const { event, payload } = message as Partial<EventMessage>;
  if (typeof event !== 'string') return;
  // A copy, so a listener that unsubscribes (itself or another) does not disturb this loop.
  for (const entry of [...(listeners.get(event) ?? [])]) {
    try {
      entry.listener(payload);
    } catch (error) {
      // One faulty listener must not keep the event from the others.
      console.error(`A listener for "${event}" failed:`, error);
    }
  }
});

const transport: ApiTransport = {
  async invoke(channel, input) {
    const message: IpcInvokeMessage = { channel, input };
    try {
      return (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, message)) as Result<unknown>;
    } catch (error) {
      // The host answers every request with a Result, so this is a transport failure, such
      // as an input that cannot be structured-cloned. ApiTransport.invoke never rejects.
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, error: appError('internal', `The request could not reach the app: ${detail}`) };
    }
  },
  subscribe(channel, listener) {
    // A fresh entry per subscription: subscribing the same function twice gives two
    // independent subscriptions, and each unsubscribe removes only its own.
    const entry = { listener };
    let set = listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      listeners.set(channel, set);
    }
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
};

contextBridge.exposeInMainWorld('api', createApi(transport));

// Dropped and picked files: their paths on disk, so main reads them itself (a sandboxed page no
// longer sees File.path). A second, tiny global rather than a channel: it never leaves this process.
contextBridge.exposeInMainWorld('s3fmFiles', {
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
