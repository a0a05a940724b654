import { createApi, type Api } from '../shared/api';
import { createWebSocketTransport, takeWebToken } from './bridge/web-transport';

declare global {
  interface Window {
    /** Set by the preload in Electron; absent in a plain browser (web mode). */
    api?: Api;
    /** Set by the preload in Electron: a dropped or picked file's path on disk ('' when it has none). */
    s3fmFiles?: { pathForFile(file: File): string };
  }
}

/**
 * The one place the renderer reaches main: the preload's `window.api` in Electron, or the
 * same typed API over the WebSocket host in web mode. Everything else imports `api` from here.
 */
function connect(): Api {
  if (window.api) return window.api;
  const token = takeWebToken(window.location, window.sessionStorage, window.history) ?? '';
  const url = `ws://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  return createApi(createWebSocketTransport(url));
}

/** The typed contract, ready to call: `await api.buckets.list({ accountId })`. */
export const api: Api = connect();
