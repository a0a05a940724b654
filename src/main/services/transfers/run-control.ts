import type { AppError } from '../../../shared/errors';
import type { TransferSettings } from '../../../shared/transfers';
import { backoffDelay, isTransientError, type BackoffOptions } from './retry-policy';
import { withWatchdog, type AttemptIo } from './s3-attempt';
import { describeTransferError } from './transfer-errors';

/** What a running transfer gets from the queue: a signal to stop on, and ways to say how it goes. */
export interface RunControl {
  /** Aborted when the person pauses or cancels, or the app quits. */
  signal: AbortSignal;
  /** The settings when the transfer started. */
  settings: TransferSettings;
  /** The stall timeout and backoff the queue uses. */
  timing: { stallMs: number; backoff: BackoffOptions };
  /** How many bytes are done (sent and confirmed, or written). */
  progress(bytesDone: number): void;
  setTotal(bytesTotal: number | null): void;
  /** Fields of the record changed that the journal must keep (a key, an upload id, a part). */
  persist(): void;
  /** Like persist, and resolves once the journal holds them: for a mark that must be on disk before a request goes out. */
  persistNow(): Promise<void>;
  /** The upload's key is settled: noted at once (synchronously), before the request that writes it goes out. */
  keySettled(): void;
  /** Adds a sentence to the transfer's note. */
  note(text: string): void;
  /** A transient error happened; the request waits and is tried again. */
  retrying(error: AppError): void;
  /** A retried request is under way again. */
  recovered(): void;
}

/** Sleeps, or rejects when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs one request with the queue's retries: each attempt under the stall watchdog; a
 * transient error (network, timeout, 5xx, throttling) waits an exponential backoff with
 * jitter and tries again, up to the settings' maxRetries, with the transfer shown as
 * 'retrying' meanwhile; anything else fails at once.
 */
export async function withRetries<T>(
  control: RunControl,
  run: (io: AttemptIo, attempt: number) => Promise<T>,
): Promise<T> {
  // The transfer shows 'retrying' (with the error) from a failure until an attempt succeeds.
  let retrying = false;
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await withWatchdog(control.signal, control.timing.stallMs, (io) => run(io, attempt));
      } catch (error) {
        if (control.signal.aborted) throw error;
        if (!isTransientError(error) || attempt >= control.settings.maxRetries) throw error;
        if (retrying) control.recovered();
        control.retrying(describeTransferError(error));
        retrying = true;
        await sleep(backoffDelay(attempt, control.timing.backoff), control.signal);
      }
    }
  } finally {
    if (retrying) control.recovered();
  }
}

/**
 * Runs `work` for each item, at most `limit` at once, in order. The first failure stops
 * new items and aborts those in flight (through the signal given to them), then rejects.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  parent: AbortSignal,
  work: (item: T, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) throw parent.reason;
  parent.addEventListener('abort', onParentAbort, { once: true });
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && !controller.signal.aborted && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item, controller.signal);
      } catch (error) {
        if (!failure) {
          failure = { error };
          controller.abort(error);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    parent.removeEventListener('abort', onParentAbort);
  }
  if (parent.aborted) throw parent.reason;
  if (failure) throw failure.error;
}
