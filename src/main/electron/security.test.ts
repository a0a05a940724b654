import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { contentSecurityPolicy } from '../host/content-security-policy';
import { APP_ENTRY_URL, createAppUrlCheck } from './app-origin';

// The security policy of Electron's checklist (security.ts), run against stand-ins for electron:
// the real package would try to download its binary. Each handler is called as Electron would.
const electron = vi.hoisted(() => ({
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  privileged: [] as unknown[],
  openExternal: vi.fn(async (_url: string) => undefined),
}));
vi.mock('electron', () => ({
  app: { on: (name: string, listener: (...args: unknown[]) => void) => electron.appListeners.set(name, listener) },
  protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => electron.privileged.push(...schemes) },
  shell: { openExternal: electron.openExternal },
}));

const {
  registerAppSchemeAsPrivileged,
  serveRendererFiles,
  restrictPermissions,
  lockDownWebContents,
  lockDownAllWebContents,
} = await import('./security');

const isAppUrl = createAppUrlCheck(undefined);

type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string },
) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string) => boolean;

/** A stand-in session that keeps the handlers security.ts installs. */
function fakeSession() {
  const kept: {
    protocol?: (request: Request) => Promise<Response>;
    permissionRequest?: PermissionRequestHandler;
    permissionCheck?: PermissionCheckHandler;
  } = {};
  const session = {
    protocol: {
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => (kept.protocol = handler),
    },
    setPermissionRequestHandler: (handler: PermissionRequestHandler) => (kept.permissionRequest = handler),
    setPermissionCheckHandler: (handler: PermissionCheckHandler) => (kept.permissionCheck = handler),
  };
  return { session: session as unknown as Session, kept };
}

/** A stand-in web contents that keeps its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, (event: { url?: string; preventDefault: () => void }) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: (event: { url?: string; preventDefault: () => void }) => void) =>
      listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  /** Fires an event; true when the handler prevented it. */
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    listeners.get(name)?.({ ...(url === undefined ? {} : { url }), preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler?.({ url }) };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's3fm-renderer-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>S3 File Manager</title>');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  electron.openExternal.mockClear();
});

describe('the app:// protocol (checklist 1, 7: our own files only, with the CSP)', () => {
  it('is privileged as a standard, secure scheme, and nothing more (no CSP bypass)', () => {
    registerAppSchemeAsPrivileged();
    expect(electron.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the renderer with the app’s Content-Security-Policy', async () => {
    const { session, kept } = fakeSession();
    serveRendererFiles(session, root);
    const response = await kept.protocol?.(new Request(APP_ENTRY_URL));
    expect(response?.status).toBe(200);
    expect(response?.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response?.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses other hosts, other methods and paths that climb out of the renderer folder', async () => {
    const { session, kept } = fakeSession();
    serveRendererFiles(session, root);
    const status = async (url: string, method = 'GET') => (await kept.protocol?.(new Request(url, { method })))?.status;
    expect(await status('app://evil/index.html')).toBe(404);
    expect(await status(APP_ENTRY_URL, 'POST')).toBe(405);
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cindex.html']) {
      expect(await status(`app://renderer${path}`), path).not.toBe(200);
    }
  });
});

describe('permissions (checklist 5)', () => {
  const { session, kept } = fakeSession();
  restrictPermissions(session, isAppUrl);
  const requested = (permission: string, url: string) =>
    new Promise<boolean>((resolve) => kept.permissionRequest?.(null, permission, resolve, { requestingUrl: url }));

  it('denies every permission a page asks for, from any page', async () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid']) {
      expect(await requested(permission, APP_ENTRY_URL), permission).toBe(false);
      expect(kept.permissionCheck?.(null, permission, 'app://renderer'), permission).toBe(false);
    }
  });

  it('allows writing to the clipboard to our own pages only (copying a share link)', async () => {
    expect(await requested('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(await requested('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(kept.permissionCheck?.(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});

describe('navigation, redirects, new windows and <webview> (checklist 12, 13, 14, 15)', () => {
  it('keeps navigation and redirects to our pages', () => {
    const { contents, fire } = fakeContents();
    lockDownWebContents(contents, isAppUrl);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'app://renderer.evil.example/')).toBe(true);
    expect(fire('will-navigate', APP_ENTRY_URL)).toBe(false);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-redirect', APP_ENTRY_URL)).toBe(false);
  });

  it('refuses every <webview>', () => {
    const { contents, fire } = fakeContents();
    lockDownWebContents(contents, isAppUrl);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('opens no window: web links go to the browser after the scheme check, anything else nowhere', () => {
    const { contents, open } = fakeContents();
    lockDownWebContents(contents, isAppUrl);
    expect(open('https://example.com/docs')).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledWith('https://example.com/docs');
    electron.openExternal.mockClear();
    for (const url of ['file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'ms-msdt:x', APP_ENTRY_URL]) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('applies to every web contents the app creates, not only the main window', () => {
    lockDownAllWebContents(isAppUrl);
    const created = electron.appListeners.get('web-contents-created');
    expect(created).toBeDefined();
    const { contents, fire } = fakeContents();
    created?.({}, contents);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
  });
});
