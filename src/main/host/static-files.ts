import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/** A static file ready to send, or a status without a body. */
export interface StaticResponse {
  status: 200 | 403 | 404;
  contentType: string;
  body: Buffer;
}

// The renderer bundle holds only these kinds of file; anything else is served as bytes.
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Reads a file of the built renderer for a URL path, refusing anything outside `root`
 * (`..`, encoded slashes); `/` serves index.html. Used by web mode's HTTP server and by
 * Electron's app:// protocol, so both serve the same bytes with the same checks.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticResponse> {
  const notFound: StaticResponse = { status: 404, contentType: 'text/plain', body: Buffer.from('Not found') };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return notFound;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return notFound;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, relative);
  if (file !== base && !file.startsWith(base + sep)) {
    return { status: 403, contentType: 'text/plain', body: Buffer.from('Forbidden') };
  }
  try {
    if (!(await stat(file)).isFile()) return notFound;
    const body = await readFile(file);
    return { status: 200, contentType: contentTypes[extname(file)] ?? 'application/octet-stream', body };
  } catch {
    return notFound;
  }
}
