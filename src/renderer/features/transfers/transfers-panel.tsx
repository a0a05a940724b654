import '../../styles/transfers.css';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Progress } from 'radix-ui';
import { memo, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TransferSnapshot } from '../../../shared/transfers';
import { Icon } from '../../components/icon';
import { IconButton } from '../../components/icon-button';
import { useAppStore } from '../../stores/app-store';
import type { OperationView } from '../../stores/operations-slice';
import { desktopFiles } from './local-files';
import {
  detailText,
  orderTransfers,
  stateText,
  totalsText,
  transferActions,
  transferTotals,
  verificationLabel,
  type TransferActions,
} from './transfer-view';

const operationStateText: Record<OperationView['state'], string> = {
  running: 'Running',
  finished: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Height of one transfer row in pixels; the same as .transfer's height in transfers.css. */
const TRANSFER_ROW_HEIGHT = 60;

/**
 * The bottom pane: long operations (delete, copy, move, rename) and the transfer queue (uploads
 * and downloads), each with its progress and controls, totals and bulk actions in the header.
 * The transfer list is virtualized: a batch of thousands of small files keeps a few rows in the page.
 */
export function TransfersPanel() {
  const { operations, transfers, transfersError, location } = useAppStore(
    useShallow((s) => ({
      operations: s.operations,
      transfers: s.transfers,
      transfersError: s.transfersError,
      location: s.listing.location,
    })),
  );
  const { clearFinished, pauseTransfers, resumeTransfers, openTransferDialog } = useAppStore(
    useShallow((s) => ({
      clearFinished: s.clearFinishedTransfers,
      pauseTransfers: s.pauseTransfers,
      resumeTransfers: s.resumeTransfers,
      openTransferDialog: s.openTransferDialog,
    })),
  );
  const ordered = useMemo(() => orderTransfers(transfers.values()), [transfers]);
  const totals = useMemo(() => transferTotals(transfers.values()), [transfers]);
  const anyEnded = operations.some((o) => o.state !== 'running') || totals.ended > 0;
  const summary = totalsText(totals);
  const empty = operations.length === 0 && ordered.length === 0;

  return (
    <section aria-label="Transfers" className="pane transfers">
      <header className="pane-header transfers__header">
        <h2 className="pane-title transfers__title">Transfers</h2>
        {summary ? <span className="transfers__totals">{summary}</span> : null}
        <span className="transfers__spacer" />
        {totals.active + totals.queued > 0 ? (
          <button type="button" className="button button--small button--quiet" onClick={() => void pauseTransfers()}>
            <Icon name="pause" />
            Pause all
          </button>
        ) : null}
        {totals.paused > 0 ? (
          <button type="button" className="button button--small button--quiet" onClick={() => void resumeTransfers()}>
            <Icon name="play" />
            Resume all
          </button>
        ) : null}
        {anyEnded ? (
          <button type="button" className="button button--small button--quiet" onClick={() => void clearFinished()}>
            Clear finished
          </button>
        ) : null}
        <button
          type="button"
          className="button button--small button--quiet"
          aria-disabled={location === null || undefined}
          title={location === null ? 'Open a bucket first.' : `Multipart uploads left unfinished in ${location.bucket}`}
          onClick={() => {
            if (location)
              openTransferDialog({ kind: 'orphaned', accountId: location.accountId, bucket: location.bucket });
          }}
        >
          Unfinished uploads…
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={() => openTransferDialog({ kind: 'settings' })}
        >
          Settings…
        </button>
      </header>
      <TransfersBody operations={operations} ordered={ordered} empty={empty} error={transfersError?.message ?? null} />
    </section>
  );
}

function TransfersBody({
  operations,
  ordered,
  empty,
  error,
}: {
  operations: OperationView[];
  ordered: TransferSnapshot[];
  empty: boolean;
  error: string | null;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // The transfer list starts below the operations: the virtualizer needs that offset.
  const [listTop, setListTop] = useState(0);
  const hasTransfers = ordered.length > 0;
  useLayoutEffect(() => {
    setListTop(listRef.current?.offsetTop ?? 0);
  }, [operations, error, empty, hasTransfers]);
  const desktop = desktopFiles() !== null;
  // TanStack Virtual's functions change results without changing identity (see file-list.tsx).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: ordered.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TRANSFER_ROW_HEIGHT,
    overscan: 6,
    scrollMargin: listTop,
    getItemKey: (index) => ordered[index]?.id ?? index,
  });

  return (
    <div ref={scrollRef} className="pane-body transfers__body">
      {error ? (
        <p className="transfers__note" role="status">
          Transfers could not be loaded: {error}
        </p>
      ) : null}
      {empty ? (
        <p className="empty-state">
          No transfers. Drop files on the file list to upload them; operations and downloads appear here too.
        </p>
      ) : null}
      {operations.length > 0 ? (
        <ul className="operations" aria-label="Operations">
          {[...operations].reverse().map((operation) => (
            <OperationItem key={operation.operationId} operation={operation} />
          ))}
        </ul>
      ) : null}
      {ordered.length > 0 ? (
        <ul
          ref={listRef}
          className="transfer-list"
          aria-label="Uploads and downloads"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const transfer = ordered[item.index];
            if (!transfer) return null;
            return (
              <TransferRow
                key={transfer.id}
                transfer={transfer}
                top={item.start - listTop}
                position={item.index + 1}
                setSize={ordered.length}
                actions={transferActions(transfer, desktop)}
              />
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

interface TransferRowProps {
  transfer: TransferSnapshot;
  top: number;
  position: number;
  setSize: number;
  actions: TransferActions;
}

/** One transfer: what, where, how far, how fast, and what can be done with it. Memoized: a batch re-renders only rows that changed. */
const TransferRow = memo(
  function TransferRow({ transfer: t, top, position, setSize, actions }: TransferRowProps) {
    const act = useAppStore.getState;
    const detailId = useId();
    const ids = [t.id];
    const showsProgress =
      t.state === 'running' || t.state === 'paused' || t.state === 'retrying' || t.state === 'queued';
    const percent = t.bytesTotal ? Math.min(100, (t.bytesDone / Math.max(t.bytesTotal, 1)) * 100) : 0;
    const detail = t.error ? t.error.message : [detailText(t), t.note].filter(Boolean).join(' · ');
    // "checked by size": a plain label beside the state, explained by the note in the line below.
    const checked = verificationLabel(t);
    const where = `${t.bucket}/${t.key}`;
    return (
      <li
        className="transfer"
        data-state={t.state}
        aria-posinset={position}
        aria-setsize={setSize}
        style={{ transform: `translateY(${top}px)` }}
      >
        <Icon name={t.direction === 'upload' ? 'upload' : 'download'} className="transfer__icon" />
        <div className="transfer__main">
          <div className="transfer__line">
            <span
              className="transfer__name"
              title={t.direction === 'upload' ? `${t.localPath} → ${where}` : `${where} → ${t.localPath}`}
            >
              {t.name}
            </span>
            <span className="transfer__state">{stateText(t)}</span>
            {checked ? (
              <span className="transfer__check" title={t.note ?? undefined} aria-describedby={detailId}>
                {checked}
              </span>
            ) : null}
          </div>
          {showsProgress ? (
            <Progress.Root
              className="progress"
              aria-label={t.name}
              value={t.bytesTotal === null ? null : t.bytesDone}
              max={Math.max(t.bytesTotal ?? 1, 1)}
              getValueLabel={() => detailText(t)}
            >
              <Progress.Indicator
                className="progress__indicator"
                style={{ width: t.bytesTotal === null ? '30%' : `${percent}%` }}
                data-indeterminate={(t.bytesTotal === null && t.state === 'running') || undefined}
              />
            </Progress.Root>
          ) : null}
          <p id={detailId} className="transfer__detail" data-tone={t.error ? 'error' : undefined} title={detail}>
            {detail}
          </p>
        </div>
        <div className="transfer__actions">
          {actions.pause ? (
            <IconButton label={`Pause ${t.name}`} icon="pause" onClick={() => void act().pauseTransfers(ids)} />
          ) : null}
          {actions.resume ? (
            <IconButton label={`Resume ${t.name}`} icon="play" onClick={() => void act().resumeTransfers(ids)} />
          ) : null}
          {actions.retry ? (
            <IconButton label={`Retry ${t.name}`} icon="refresh" onClick={() => void act().retryTransfers(ids)} />
          ) : null}
          {actions.reveal ? (
            <IconButton
              label={`Show ${t.name} in folder`}
              icon="folder-open"
              onClick={() => void act().revealTransfer(t.id)}
            />
          ) : null}
          {actions.goTo ? (
            <IconButton label={`Go to ${t.name}`} icon="arrow-right" onClick={() => act().goToTransfer(t.id)} />
          ) : null}
          {actions.cancel ? (
            <IconButton label={`Cancel ${t.name}`} icon="close" onClick={() => void act().cancelTransfers(ids)} />
          ) : null}
        </div>
      </li>
    );
  },
  (before, after) =>
    before.transfer === after.transfer &&
    before.top === after.top &&
    before.position === after.position &&
    before.setSize === after.setSize &&
    before.actions.reveal === after.actions.reveal,
);

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
          <span className="operation__count">{running ? counted : operationStateText[state]}</span>
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
