import { app, protocol, shell, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../host/content-security-policy';
import { readStaticFile } from '../host/static-files';
import { APP_HOST, APP_SCHEME, isSafeExternalUrl } from './app-origin';

// The security policy of Electron's checklist, in one place:
// https://www.electronjs.org/docs/latest/tutorial/security

/**
 * Declares app:// as a privileged scheme. Must run before `ready`. `standard` gives it
 * real origins and relative URLs, `secure` makes it a secure context like https (so
 * clipboard and crypto APIs work), `supportFetchAPI` lets the page fetch its own files.
 */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer on app://renderer/ from `rendererRoot` with the app's CSP, so
 * the window never loads file:// (which would give the page every local file as its origin).
 * Shares readStaticFile with web mode: same bytes, same path checks.
 */
export function serveRendererFiles(session: Session, rendererRoot: string): void {
  const csp = contentSecurityPolicy();
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
    }
    const file = await readStaticFile(rendererRoot, url.pathname);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
      status: file.status,
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      },
    });
  });
}

/**
 * Development only: adds the CSP to the electron-vite dev server's responses, whose headers
 * we do not control. Vite needs two exceptions there and only there: the React Fast Refresh
 * preamble is an inline script, and hot reload talks to the dev server over a WebSocket.
 */
export function addDevContentSecurityPolicy(session: Session, devServerUrl: string): void {
  const dev = new URL(devServerUrl);
  const socket = `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}`;
  const csp = contentSecurityPolicy([socket]).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
  session.webRequest.onHeadersReceived({ urls: [`${dev.origin}/*`] }, (details, callback) => {
    const responseHeaders = { ...details.responseHeaders };
    // Drop any CSP the server sent (in any letter case) so ours is the only one.
    for (const name of Object.keys(responseHeaders)) {
      if (name.toLowerCase() === 'content-security-policy') delete responseHeaders[name];
    }
    callback({ responseHeaders: { ...responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/**
 * Denies every permission (camera, notifications from the page, geolocation, …) except
 * writing to the clipboard, and that only for our own pages: copying a share link is a
 * core feature. Covers both the prompt (request) and the silent query (check).
 */
export function restrictPermissions(session: Session, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(permission === 'clipboard-sanitized-write' && isAppUrl(details.requestingUrl));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => {
    return permission === 'clipboard-sanitized-write' && isAppUrl(requestingOrigin);
  });
}

/**
 * Locks one web contents to our pages: no navigation or redirect elsewhere (a malicious
 * link or a dropped file cannot replace the app), no new windows (http(s) links open in the
 * person's browser instead, after checking the scheme), no <webview>.
 */
export function lockDownWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      shell.openExternal(url).catch((error: unknown) => {
        console.warn('Could not open a link in the browser:', error instanceof Error ? error.message : error);
      });
    }
    return { action: 'deny' };
  });
}

/** Applies lockDownWebContents to every web contents the app ever creates, ours or not. */
export function lockDownAllWebContents(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, isAppUrl));
}
