/**
 * Where the details panel's previews may stream from: the presigned URL of an image, PDF, audio
 * or video object, fetched by the <img>, <iframe>, <audio> or <video> element itself straight
 * from the S3 endpoint (never read whole into the page). The endpoint is any account's, so it is
 * not known when the page is served: any HTTPS origin, and plain HTTP only on this computer (a
 * local MinIO, web mode's tests). A LAN endpoint over plain HTTP gets no media preview (its text
 * preview goes through main). Only media and frames: scripts, styles and connections stay ours.
 * No `http://[::1]:*`: CSP's host grammar has no IPv6 literals, so Chromium rejects that source
 * with a console error in every directive that names it (three on each page load), and an
 * endpoint at [::1] over plain HTTP gets no media preview either way.
 */
export const PREVIEW_SOURCES = ['https:', 'http://127.0.0.1:*', 'http://localhost:*'] as const;

/**
 * The Content-Security-Policy every renderer page is served with, in Electron and in web mode.
 * Scripts only from our own files; inline styles are allowed because the component library
 * positions popovers with style attributes. `connectSources` adds the web-mode WebSocket.
 * Images, media and frames may also come from PREVIEW_SOURCES, for previews; `object-src`
 * stays 'none' (a PDF shows in a frame, not in an <object>).
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  const previews = PREVIEW_SOURCES.join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${previews}`,
    `media-src 'self' blob: ${previews}`,
    `frame-src ${previews}`,
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
