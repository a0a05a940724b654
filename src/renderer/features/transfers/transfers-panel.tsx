import { Progress } from 'radix-ui';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { OperationView } from '../../stores/operations-slice';

const stateText: Record<OperationView['state'], string> = {
  running: 'Running',
  finished: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * The bottom pane: long operations (delete, copy, move, rename; uploads and downloads later),
 * each with its progress and a Cancel button while it runs, and its outcome once it ended.
 */
export function TransfersPanel() {
  const { operations, clearFinished } = useAppStore(
    useShallow((s) => ({ operations: s.operations, clearFinished: s.clearFinishedOperations })),
  );
  const anyEnded = operations.some((o) => o.state !== 'running');
  return (
    <section aria-label="Transfers" className="pane transfers">
      <header className="pane-header">
        <h2 className="pane-title">Transfers</h2>
        {anyEnded ? (
          <button type="button" className="button button--small button--quiet" onClick={clearFinished}>
            Clear finished
          </button>
        ) : null}
      </header>
      <div className="pane-body transfers__body">
        {operations.length === 0 ? (
          <p className="empty-state">No transfers. Operations, uploads and downloads will appear here.</p>
        ) : (
          <ul className="operations" aria-label="Operations">
            {[...operations].reverse().map((operation) => (
              <OperationItem key={operation.operationId} operation={operation} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function OperationItem({ operation }: { operation: OperationView }) {
  const cancel = useAppStore((s) => s.cancelOperation);
  const { title, done, total, state, summary, cancelling } = operation;
  const running = state === 'running';
  const counted =
    total === null ? `${done.toLocaleString()} done` : `${done.toLocaleString()} of ${total.toLocaleString()}`;
  return (
    <li className="operation" data-state={state}>
      <Icon
        name={running ? 'spinner' : state === 'finished' ? 'success' : 'alert'}
        className={running ? 'icon--spin operation__icon' : 'operation__icon'}
      />
      <div className="operation__main">
        <div className="operation__line">
          <span className="operation__title">{title}</span>
          <span className="operation__count">{running ? counted : stateText[state]}</span>
        </div>
        {running ? (
          <Progress.Root
            className="progress"
            aria-label={title}
            value={total === null ? null : done}
            max={Math.max(total ?? 1, 1)}
            getValueLabel={() => counted}
          >
            <Progress.Indicator
              className="progress__indicator"
              style={{ width: total === null ? '30%' : `${Math.min(100, (done / Math.max(total, 1)) * 100)}%` }}
              data-indeterminate={total === null || undefined}
            />
          </Progress.Root>
        ) : (
          <p className="operation__summary">{summary}</p>
        )}
      </div>
      {running ? (
        <button
          type="button"
          className="button button--small"
          aria-label={`Cancel ${title}`}
          aria-disabled={cancelling || undefined}
          onClick={() => {
            if (!cancelling) void cancel(operation.operationId);
          }}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      ) : null}
    </li>
  );
}
