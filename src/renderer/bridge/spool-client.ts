import { appError, errorCodes, type AppError, type ErrorCode } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { storedWebToken } from './web-transport';

/**
 * The URL web mode PUTs a file's bytes to: `/spool/<spoolId>/<relative path>`, each segment of the
 * path percent-encoded on its own so that '/' still separates folders and nothing else does.
 */
export function spoolUrl(spoolId: string, relativePath: string): string {
  return `/spool/${encodeURIComponent(spoolId)}/${relativePath.split('/').map(encodeURIComponent).join('/')}`;
}

/** One file to send into a spool. */
export interface SpoolPut {
  spoolId: string;
  /** '/'-separated, as the keys will be under the upload's prefix. */
  relativePath: string;
  body: Blob;
  signal: AbortSignal;
  /** Bytes of this file sent so far. */
  onProgress: (bytesSent: number) => void;
}

/** Sends one file's bytes into a spool; resolves with a Result, never rejects. */
export type SpoolSender = (put: SpoolPut) => Promise<Result<void>>;

/**
 * Sends files over HTTP to web mode's spool endpoint with the page's token. XMLHttpRequest, not
 * fetch, because only it reports upload progress; the browser streams the file from disk.
 */
export function createSpoolSender(
  token: () => string | null = () => storedWebToken(window.sessionStorage),
): SpoolSender {
  return ({ spoolId, relativePath, body, signal, onProgress }) =>
    new Promise((resolve) => {
      if (signal.aborted) {
        resolve({ ok: false, error: appError('cancelled') });
        return;
      }
      const request = new XMLHttpRequest();
      request.open('PUT', spoolUrl(spoolId, relativePath));
      request.setRequestHeader('Authorization', `Bearer ${token() ?? ''}`);
      request.setRequestHeader('Content-Type', 'application/octet-stream');
      request.upload.onprogress = (event) => onProgress(event.loaded);
      const onAbort = () => request.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (result: Result<void>) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      request.onload = () => {
        if (request.status >= 200 && request.status < 300) {
          onProgress(body.size);
          done({ ok: true, value: undefined });
          return;
        }
        done({ ok: false, error: errorOf(request.responseText, request.status) });
      };
      request.onerror = () =>
        done({ ok: false, error: appError('network', 'The file could not be sent to the app. Check that it runs.') });
      request.onabort = () => done({ ok: false, error: appError('cancelled') });
      request.send(body);
    });
}

/** The endpoint's JSON error (its code kept when it is one of ours), or a plain one from the status when the body is not what it sends. */
export function errorOf(text: string, status: number): AppError {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    if (typeof message === 'string' && typeof code === 'string') {
      return appError(errorCodes.includes(code as ErrorCode) ? (code as ErrorCode) : 'internal', message);
    }
  } catch {
    // Not JSON: fall through.
  }
  return appError('internal', `The app refused the file (HTTP ${status}).`);
}
