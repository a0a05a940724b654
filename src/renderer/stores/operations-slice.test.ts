import { describe, expect, it } from 'vitest';
import type { OperationOutcome } from '../../shared/operations';
import { quietBrowserApi } from '../test-support/quiet-api';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';
import { outcomeMessage } from './operations-slice';

const outcome = (fields: Partial<OperationOutcome> = {}): OperationOutcome => ({
  operationId: 'op',
  kind: 'delete',
  state: 'finished',
  done: 3,
  failures: [],
  failedCount: 0,
  summary: 'Deleted 3 objects.',
  ...fields,
});

function store() {
  const cancelled: string[] = [];
  const api = {
    ...quietBrowserApi(),
    operations: {
      ...quietBrowserApi().operations,
      cancel: async ({ operationId }: { operationId: string }) => {
        cancelled.push(operationId);
        return { ok: true, value: { cancelled: true } };
      },
    },
  } as unknown as StoreDependencies['api'];
  return { store: createAppStore({ api }), cancelled };
}

describe('outcomeMessage', () => {
  it('is the summary, with the first few failures named', () => {
    expect(outcomeMessage(outcome())).toBe('Deleted 3 objects.');
    const failures = ['a', 'b', 'c', 'd'].map((key) => ({ key, message: 'Access denied.' }));
    expect(outcomeMessage(outcome({ state: 'failed', failures, failedCount: 40, summary: 'Deleted 1 objects.' }))).toBe(
      'Deleted 1 objects. Not done: a: Access denied.; b: Access denied.; c: Access denied.; and 37 more.',
    );
  });
});

describe('the operations slice', () => {
  it('follows progress, says how it ended in a toast, and cancels on request', async () => {
    const { store: s, cancelled } = store();
    s.getState().receiveProgress({
      operationId: 'op',
      kind: 'delete',
      title: 'Deleting',
      done: 1,
      total: 3,
      state: 'running',
    });
    expect(s.getState().operations).toMatchObject([{ title: 'Deleting', done: 1, total: 3, state: 'running' }]);
    await s.getState().cancelOperation('op');
    expect(cancelled).toEqual(['op']);
    expect(s.getState().operations[0]?.cancelling).toBe(true);
    s.getState().receiveOutcome(outcome({ state: 'cancelled', summary: 'Cancelled. Deleted 1 objects.' }));
    expect(s.getState().operations[0]).toMatchObject({ state: 'cancelled', summary: 'Cancelled. Deleted 1 objects.' });
    expect(s.getState().notifications.map((n) => [n.kind, n.message])).toEqual([
      ['error', 'Cancelled. Deleted 1 objects.'],
    ]);
    // A late progress event does not bring it back to life.
    s.getState().receiveProgress({
      operationId: 'op',
      kind: 'delete',
      title: 'Deleting',
      done: 2,
      total: 3,
      state: 'running',
    });
    expect(s.getState().operations[0]?.state).toBe('cancelled');
    s.getState().clearFinishedOperations();
    expect(s.getState().operations).toEqual([]);
  });

  it('resolves waitForOperation whether the outcome comes before or after the wait', async () => {
    const { store: s } = store();
    s.getState().receiveOutcome(outcome({ operationId: 'early' }));
    await expect(s.getState().waitForOperation('early')).resolves.toMatchObject({ operationId: 'early' });
    const late = s.getState().waitForOperation('late');
    s.getState().receiveOutcome(outcome({ operationId: 'late', state: 'failed' }));
    await expect(late).resolves.toMatchObject({ state: 'failed' });
  });
});

describe('operation counts', () => {
  it('keep what failed apart from what was done, running and ended, and keep the total once known', () => {
    const { store: s } = store();
    const progress = {
      operationId: 'op',
      kind: 'delete' as const,
      title: 'Deleting 5 items',
      state: 'running' as const,
    };
    s.getState().receiveProgress({ ...progress, done: 0, total: null });
    expect(s.getState().operations[0]).toMatchObject({ done: 0, failed: 0, total: null });
    s.getState().receiveProgress({ ...progress, done: 2, failed: 1, total: 5 });
    expect(s.getState().operations[0]).toMatchObject({ done: 2, failed: 1, total: 5 });
    s.getState().receiveOutcome(
      outcome({ state: 'failed', done: 3, failedCount: 2, failures: [], summary: 'Deleted 3 of 5 items.' }),
    );
    expect(s.getState().operations[0]).toMatchObject({ state: 'failed', done: 3, failed: 2, total: 5 });
  });
});
