import type { StateCreator } from 'zustand';
import type { OperationOutcome, OperationProgress } from '../../shared/operations';
import type { AppState, StoreDependencies } from './app-state';

/** One long operation as the transfers panel shows it. */
export interface OperationView {
  operationId: string;
  kind: OperationProgress['kind'];
  title: string;
  /** Objects handled so far. */
  done: number;
  /** Objects it could not handle (not in `done`). */
  failed: number;
  /** null while the total is still being counted. */
  total: number | null;
  state: OperationProgress['state'];
  /** Set once it ended: what it did and did not do. */
  summary: string | null;
  /** Cancel was asked for and the operation has not stopped yet. */
  cancelling: boolean;
}

/** Long operations (delete, copy, move, rename) that main runs, with their progress and outcome. */
export interface OperationsSlice {
  /** In the order they started. */
  operations: OperationView[];
  /** Takes a progress event. */
  receiveProgress: (progress: OperationProgress) => void;
  /** Takes an outcome event: updates the panel and says what happened in a toast. */
  receiveOutcome: (outcome: OperationOutcome) => void;
  /** Asks main to stop an operation; it finishes the request in flight and reports what it did. */
  cancelOperation: (operationId: string) => Promise<void>;
  /** Removes operations that ended from the panel. */
  clearFinishedOperations: () => void;
  /** Resolves with an operation's outcome once it ends (at once if it already has). */
  waitForOperation: (operationId: string) => Promise<OperationOutcome>;
}

// How many failures a toast names; the rest are counted.
const FAILURES_IN_TOAST = 3;
// Outcomes kept for waitForOperation: one can arrive before the caller got its operation id.
const REMEMBERED_OUTCOMES = 50;

/** The toast text for an outcome: its summary, and for a failure the first few keys that failed, with why. */
export function outcomeMessage(outcome: OperationOutcome): string {
  if (outcome.failures.length === 0) return outcome.summary;
  const listed = outcome.failures
    .slice(0, FAILURES_IN_TOAST)
    .map((f) => `${f.key}: ${f.message}`)
    .join('; ');
  const more = outcome.failedCount - Math.min(outcome.failures.length, FAILURES_IN_TOAST);
  return `${outcome.summary} Not done: ${listed}${more > 0 ? `; and ${more.toLocaleString()} more.` : '.'}`;
}

/** Creates the operations slice. */
export function createOperationsSlice(deps: StoreDependencies): StateCreator<AppState, [], [], OperationsSlice> {
  return (set, get) => {
    const waiting = new Map<string, Array<(outcome: OperationOutcome) => void>>();
    const outcomes = new Map<string, OperationOutcome>();

    function upsert(operationId: string, change: (view: OperationView | undefined) => OperationView): void {
      set((state) => {
        const index = state.operations.findIndex((o) => o.operationId === operationId);
        if (index < 0) return { operations: [...state.operations, change(undefined)] };
        const operations = [...state.operations];
        operations[index] = change(operations[index]);
        return { operations };
      });
    }

    return {
      operations: [],

      receiveProgress(progress) {
        // A late progress event must not reopen an operation that already ended.
        if (outcomes.has(progress.operationId)) return;
        upsert(progress.operationId, (view) => ({
          operationId: progress.operationId,
          kind: progress.kind,
          title: progress.title,
          done: progress.done,
          failed: progress.failed ?? view?.failed ?? 0,
          total: progress.total ?? view?.total ?? null,
          state: progress.state,
          summary: view?.summary ?? null,
          cancelling: view?.cancelling ?? false,
        }));
      },

      receiveOutcome(outcome) {
        outcomes.set(outcome.operationId, outcome);
        for (const old of [...outcomes.keys()].slice(0, Math.max(0, outcomes.size - REMEMBERED_OUTCOMES))) {
          outcomes.delete(old);
        }
        upsert(outcome.operationId, (view) => ({
          operationId: outcome.operationId,
          kind: outcome.kind,
          title: view?.title ?? outcome.summary,
          done: outcome.done,
          failed: outcome.failedCount,
          total: view?.total ?? outcome.done + outcome.failedCount,
          state: outcome.state,
          summary: outcome.summary,
          cancelling: false,
        }));
        get().notify(outcomeMessage(outcome), outcome.state === 'finished' ? 'success' : 'error');
        for (const resolve of waiting.get(outcome.operationId) ?? []) resolve(outcome);
        waiting.delete(outcome.operationId);
      },

      async cancelOperation(operationId) {
        set((state) => ({
          operations: state.operations.map((o) => (o.operationId === operationId ? { ...o, cancelling: true } : o)),
        }));
        const result = await deps.api.operations.cancel({ operationId });
        if (!result.ok) get().notify(`Could not cancel: ${result.error.message}`, 'error');
      },

      clearFinishedOperations: () =>
        set((state) => ({ operations: state.operations.filter((o) => o.state === 'running') })),

      waitForOperation(operationId) {
        const known = outcomes.get(operationId);
        if (known) return Promise.resolve(known);
        return new Promise((resolve) => {
          waiting.set(operationId, [...(waiting.get(operationId) ?? []), resolve]);
        });
      },
    };
  };
}
