import { randomUUID } from 'node:crypto';
import type { OperationKind, OperationOutcome, OperationProgress } from '../../../shared/operations';
import { AppFailure, toAppError } from '../app-failure';
import type { EventBus } from '../event-bus';

/** What an operation's body gets: a signal to stop on, and ways to report progress and failures. */
export interface OperationContext {
  signal: AbortSignal;
  setTotal(total: number | null): void;
  advance(count: number): void;
  fail(key: string, message: string): void;
}

/** An operation's body: does the work, and returns the sentence that sums it up. */
export type OperationBody = (context: OperationContext) => Promise<(done: number, failed: number) => string>;

const MAX_LISTED_FAILURES = 100;
const PROGRESS_INTERVAL_MS = 100;

/**
 * Runs long operations (delete, copy, move …) in the background: each gets an id, sends
 * progress events at most every 100 ms, can be cancelled, and ends with an outcome saying
 * what was done and what was not.
 */
export function createOperationRegistry(options: {
  bus: EventBus;
  classify: (thrown: unknown) => { message: string } | undefined;
}) {
  const running = new Map<string, AbortController>();

  function start(
    kind: OperationKind,
    title: string,
    body: OperationBody,
  ): { operationId: string; finished: Promise<OperationOutcome> } {
    const operationId = randomUUID();
    const controller = new AbortController();
    running.set(operationId, controller);
    let done = 0;
    let total: number | null = null;
    let failedCount = 0;
    const failures: OperationOutcome['failures'] = [];
    let lastSent = 0;
    const send = (state: OperationProgress['state'], force = false): void => {
      const now = Date.now();
      if (!force && now - lastSent < PROGRESS_INTERVAL_MS) return;
      lastSent = now;
      options.bus.emit('operations.progress', { operationId, kind, title, done, total, failed: failedCount, state });
    };
    const context: OperationContext = {
      signal: controller.signal,
      setTotal: (value) => {
        total = value;
        send('running');
      },
      advance: (count) => {
        done += count;
        send('running');
      },
      fail: (key, message) => {
        failedCount += 1;
        if (failures.length < MAX_LISTED_FAILURES) failures.push({ key, message });
      },
    };
    send('running', true);
    const finished = (async (): Promise<OperationOutcome> => {
      let state: OperationOutcome['state'] = 'finished';
      let summary: string;
      try {
        const describe = await body(context);
        if (controller.signal.aborted) state = 'cancelled';
        else if (failedCount > 0) state = 'failed';
        summary = describe(done, failedCount);
        if (state === 'cancelled') summary = `Cancelled. ${summary}`;
      } catch (thrown) {
        state = controller.signal.aborted ? 'cancelled' : 'failed';
        const reason =
          thrown instanceof AppFailure
            ? thrown.message
            : (options.classify(thrown)?.message ?? toAppError(thrown).message);
        summary = state === 'cancelled' ? `Cancelled after ${done} items.` : `Stopped after ${done} items: ${reason}`;
      } finally {
        running.delete(operationId);
      }
      send(state, true);
      const outcome: OperationOutcome = { operationId, kind, state, done, failures, failedCount, summary };
      options.bus.emit('operations.finished', outcome);
      return outcome;
    })();
    return { operationId, finished };
  }

  return {
    start,
    /** Asks a running operation to stop; it finishes the request in flight and reports what it did. */
    cancel(operationId: string): boolean {
      const controller = running.get(operationId);
      controller?.abort();
      return controller !== undefined;
    },
  };
}

/** The registry's interface. */
export type OperationRegistry = ReturnType<typeof createOperationRegistry>;
