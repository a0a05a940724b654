/** The two raw Electron IPC channels that carry the whole contract; only the preload and the IPC host use them. */
export const IPC_INVOKE_CHANNEL = 'api:invoke';
/** The raw Electron IPC channel main sends contract events on. */
export const IPC_EVENT_CHANNEL = 'api:event';

/** What the preload sends on IPC_INVOKE_CHANNEL. */
export interface IpcInvokeMessage {
  channel: string;
  input: unknown;
}

/** What main sends on IPC_EVENT_CHANNEL (and the WebSocket host sends as an event frame). */
export interface EventMessage {
  event: string;
  payload: unknown;
}
