// Pure URL rules of the Electron glue (no electron import), unit-tested in plain Node.

/** The privileged scheme the packaged renderer is served from, instead of file://. */
export const APP_SCHEME = 'app';
/** The one host of the app:// scheme; any other host is not ours and gets nothing. */
export const APP_HOST = 'renderer';
/** The page the window opens in a build. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Builds the test "is this URL one of our pages": app://renderer/…, or, in development
 * only, the electron-vite dev server's origin. Compares scheme and host by hand because
 * WHATWG URL gives non-special schemes such as app: an opaque ("null") origin.
 */
export function createAppUrlCheck(devServerUrl: string | undefined): (url: string) => boolean {
  const devOrigin = devServerUrl === undefined ? undefined : parse(devServerUrl)?.origin;
  const devIsHttp = devServerUrl !== undefined && /^https?:$/.test(parse(devServerUrl)?.protocol ?? '');
  return (url) => {
    const parsed = parse(url);
    if (parsed === undefined) return false;
    if (parsed.protocol === `${APP_SCHEME}:`) {
      // Credentials in the authority would make "app://renderer@evil" look like ours to a careless check.
      return parsed.host.toLowerCase() === APP_HOST && parsed.username === '' && parsed.password === '';
    }
    return devIsHttp && devOrigin !== undefined && parsed.origin === devOrigin;
  };
}

/**
 * True only for web links a browser may open: http: or https: with a host and no
 * credentials. Everything else (file:, smb:, javascript:, custom app schemes that launch
 * programs) is refused before it reaches shell.openExternal, per Electron's security
 * checklist: https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content
 */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.hostname !== '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Tells whether a dev server URL from the environment may be loaded: http(s) on this machine only. */
export function isLocalDevServerUrl(url: string | undefined): url is string {
  if (url === undefined) return false;
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
  );
}

/** The parts of Electron's WebFrameMain the sender check reads (structural, so this file stays electron-free). */
export interface FrameLike {
  readonly frameTreeNodeId: number;
  readonly url: string;
}

/**
 * The IPC sender rule: the message must come from `mainFrame` itself (never a sub-frame,
 * which could be foreign content) while it shows one of our pages. Frames are compared by
 * their frame tree node id rather than object identity, which Electron does not promise.
 * A null frame (navigated away or destroyed mid-call) is refused.
 */
export function isTrustedSenderFrame(
  senderFrame: FrameLike | null,
  mainFrame: FrameLike,
  isAppUrl: (url: string) => boolean,
): boolean {
  return senderFrame !== null && senderFrame.frameTreeNodeId === mainFrame.frameTreeNodeId && isAppUrl(senderFrame.url);
}
