import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appError, type AppError, type ErrorCode } from '../../shared/errors';
import { toAppError } from '../services/app-failure';
import type { SpoolWriter } from '../services/handlers';

/** The URL path under which web mode receives the bytes of dropped files. */
export const SPOOL_PATH = '/spool/';

/** The longest relative path accepted: an S3 key has at most 1,024 bytes, prefix included. */
export const MAX_SPOOL_PATH_BYTES = 1024;

/** What the spool endpoint needs: the token and origins it accepts (those of the WebSocket host), and where bytes go. */
export interface SpoolEndpointOptions {
  token: string;
  /** Origins allowed to send (exact match, e.g. `http://127.0.0.1:5123`). */
  allowedOrigins: readonly string[];
  spool: SpoolWriter;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Compares two strings in constant time, so the token cannot be guessed byte by byte from timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Tells whether a request is for the spool endpoint (any method), so the static server leaves it alone. */
export function isSpoolRequest(request: IncomingMessage): boolean {
  return (request.url ?? '').startsWith(SPOOL_PATH);
}

/**
 * Splits `/spool/<spoolId>/<segment>/<segment>…` (each segment percent-encoded) into the spool id
 * and a '/'-joined relative path; an AppError says what is wrong with anything else. Segments that
 * could climb out of the spool ('.', '..', empty) or name another place ('\', NUL) are refused here,
 * before the spool writer checks again.
 */
export function parseSpoolPath(rawUrl: string): { spoolId: string; relativePath: string } | AppError {
  const bad = (message: string) => appError('invalid-input', message);
  const pathname = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!pathname.startsWith(SPOOL_PATH)) return bad('Not a spool path.');
  const [spoolId = '', ...encoded] = pathname.slice(SPOOL_PATH.length).split('/');
  if (!uuidPattern.test(spoolId)) return bad('The spool id is not valid: open a spool with transfers.openSpool first.');
  if (encoded.length === 0) return bad('Give the file’s relative path after the spool id.');
  const segments: string[] = [];
  for (const segment of encoded) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return bad('The file’s path is not valid percent-encoding.');
    }
    if (decoded === '' || decoded === '.' || decoded === '..') {
      return bad('The file’s path has an empty, "." or ".." segment.');
    }
    if (/[/\\\0]/.test(decoded)) return bad('A segment of the file’s path contains "/", "\\" or a NUL character.');
    segments.push(decoded);
  }
  const relativePath = segments.join('/');
  if (Buffer.byteLength(relativePath) > MAX_SPOOL_PATH_BYTES) {
    return bad(`The file’s path is longer than ${MAX_SPOOL_PATH_BYTES.toLocaleString('en')} bytes, too long for S3.`);
  }
  return { spoolId, relativePath };
}

/** The HTTP status for an error the spool writer threw. */
function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid-input':
      return 400;
    case 'conflict':
      return 409;
    case 'not-supported':
      return 501;
    case 'cancelled':
      return 409;
    default:
      return 500;
  }
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(JSON.stringify(body));
}

/** Answers with `{ ok: false, error: { code, message } }`, the same shape as every Result. */
function fail(response: ServerResponse, status: number, error: AppError, headers?: Record<string, string>): void {
  answer(response, status, { ok: false, error }, headers);
  // Unread bytes of a refused upload are not wanted: the socket would otherwise keep them coming.
  response.once('finish', () => response.req.resume());
}

/**
 * Web mode's way in for the bytes of files dropped in the browser: `PUT /spool/<spoolId>/<path>`
 * with `Authorization: Bearer <token>` and our Origin (the same checks as the WebSocket upgrade),
 * streamed to the spool writer and answered 201, or 4xx/5xx with a JSON error. The bytes never
 * pass through the WebSocket, whose frames are held whole in memory.
 */
export function createSpoolEndpoint(options: SpoolEndpointOptions) {
  const { token, allowedOrigins, spool } = options;
  return async function handleSpool(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const authorization = request.headers.authorization ?? '';
    const given = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
    if (!sameSecret(given, token)) {
      fail(
        response,
        401,
        appError('unauthorized-sender', 'The token is missing or wrong: reload the app from its URL.'),
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
      return;
    }
    const origin = request.headers.origin;
    if (origin === undefined || !allowedOrigins.includes(origin)) {
      fail(response, 403, appError('unauthorized-sender', 'Files can be sent only from the app’s own page.'));
      return;
    }
    if (request.method !== 'PUT') {
      fail(response, 405, appError('invalid-input', 'Send a file with PUT.'), { Allow: 'PUT' });
      return;
    }
    const parsed = parseSpoolPath(request.url ?? '');
    if ('code' in parsed) {
      fail(response, 400, parsed);
      return;
    }
    try {
      await spool.write(parsed.spoolId, parsed.relativePath, request);
      answer(response, 201, { ok: true, value: { relativePath: parsed.relativePath } });
    } catch (thrown) {
      // A client that went away mid-file has no one to answer.
      if (request.destroyed && !request.complete) return;
      const error = toAppError(thrown);
      fail(response, statusOf(error.code), error);
    }
  };
}
