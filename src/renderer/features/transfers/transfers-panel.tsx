import '../../styles/transfers.css';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Progress } from 'radix-ui';
import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TransferSnapshot } from '../../../shared/transfers';
import { Icon } from '../../components/icon';
import { IconButton } from '../../components/icon-button';
import { useAppStore } from '../../stores/app-store';
import type { OperationView } from '../../stores/operations-slice';
import { ActivityDialog } from '../activity/activity-dialog';
import { copyText } from '../share/clipboard';
import { desktopFiles } from './local-files';
import {
  batchActions,
  batchDetailText,
  batchGoTo,
  batchStateText,
  countsText,
  detailText,
  endedCount,
  errorDetailsText,
  formatRate,
  operationCountText,
  panelRows,
  stateText,
  transferActions,
  transferCounts,
  verificationLabel,
  type PanelRow,
  type TransferActions,
  type TransferBatchView,
} from './transfer-view';

const operationStateText: Record<OperationView['state'], string> = {
  running: 'Running',
  finished: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Estimated heights of a transfer's and a batch's row in pixels (rows are measured once drawn). */
/** The icon of each way a transfer goes (a copy between accounts: the copy icon). */
const directionIcons = { upload: 'upload', download: 'download', copy: 'copy' } as const;

const TRANSFER_ROW_HEIGHT = 60;
const BATCH_ROW_HEIGHT = 78;

/** Ids toggled open in the panel (expanded batches, error details shown), kept while rows scroll out and back. */
function useToggleSet(): [ReadonlySet<string>, (id: string) => void] {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback(
    (id: string) =>
      setOpen((before) => {
        const next = new Set(before);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  return [open, toggle];
}

/**
 * The bottom pane: long operations (delete, copy, move, rename) and the transfer queue (uploads
 * and downloads), each with its progress and controls, exact counts and bulk actions in the header.
 * A batch of several files (a drop, a folder, one download request) is one row with its counts and
 * total progress, expandable to its files. The list is virtualized: a batch of thousands of files
 * expanded keeps a few rows in the page.
 */
export function TransfersPanel() {
  const [activityOpen, setActivityOpen] = useState(false);
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
  const [expanded, toggleExpanded] = useToggleSet();
  const [detailsShown, toggleDetails] = useToggleSet();
  const rows = useMemo(() => panelRows(transfers.values(), expanded), [transfers, expanded]);
  const counts = useMemo(() => transferCounts(transfers.values()), [transfers]);
  const runningOperations = operations.filter((o) => o.state === 'running').length;
  const anyEnded = operations.some((o) => o.state !== 'running') || endedCount(counts) - counts.failed > 0;
  const summary = [
    runningOperations > 0
      ? `${runningOperations.toLocaleString()} ${runningOperations === 1 ? 'operation' : 'operations'} running`
      : '',
    countsText(counts),
  ]
    .filter(Boolean)
    .join(' · ');
  const rate = counts.running > 0 && counts.bytesPerSecond > 0 ? formatRate(counts.bytesPerSecond) : '';
  const empty = operations.length === 0 && rows.length === 0;

  return (
    <section aria-label="Transfers" className="pane transfers">
      <header className="pane-header transfers__header">
        <h2 className="pane-title transfers__title">Transfers</h2>
        {summary ? (
          <span className="transfers__totals" role="status" aria-label={`Transfer counts: ${summary}`}>
            {summary}
          </span>
        ) : null}
        {rate ? <span className="transfers__totals transfers__rate">· {rate}</span> : null}
        <span className="transfers__spacer" />
        {counts.running + counts.waiting > 0 ? (
          <button type="button" className="button button--small button--quiet" onClick={() => void pauseTransfers()}>
            <Icon name="pause" />
            Pause all
          </button>
        ) : null}
        {counts.paused > 0 ? (
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
        <button type="button" className="button button--small button--quiet" onClick={() => setActivityOpen(true)}>
          Activity log…
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={() => openTransferDialog({ kind: 'settings' })}
        >
          Settings…
        </button>
      </header>
      <ActivityDialog open={activityOpen} onClose={() => setActivityOpen(false)} />
      <TransfersBody
        operations={operations}
        rows={rows}
        empty={empty}
        error={transfersError?.message ?? null}
        detailsShown={detailsShown}
        toggleExpanded={toggleExpanded}
        toggleDetails={toggleDetails}
      />
    </section>
  );
}

interface TransfersBodyProps {
  operations: OperationView[];
  rows: PanelRow[];
  empty: boolean;
  error: string | null;
  detailsShown: ReadonlySet<string>;
  toggleExpanded: (batchId: string) => void;
  toggleDetails: (id: string) => void;
}

function TransfersBody({
  operations,
  rows,
  empty,
  error,
  detailsShown,
  toggleExpanded,
  toggleDetails,
}: TransfersBodyProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // The transfer list starts below the operations: the virtualizer needs that offset.
  const [listTop, setListTop] = useState(0);
  const hasRows = rows.length > 0;
  useLayoutEffect(() => {
    setListTop(listRef.current?.offsetTop ?? 0);
  }, [operations, error, empty, hasRows]);
  const desktop = desktopFiles() !== null;
  // TanStack Virtual's functions change results without changing identity (see file-list.tsx).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (rows[index]?.kind === 'batch' ? BATCH_ROW_HEIGHT : TRANSFER_ROW_HEIGHT),
    overscan: 6,
    scrollMargin: listTop,
    getItemKey: (index) => {
      const row = rows[index];
      if (!row) return index;
      return row.kind === 'batch' ? `batch:${row.batch.batchId}` : row.transfer.id;
    },
  });
  const measure = virtualizer.measureElement;

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
      {hasRows ? (
        <ul
          ref={listRef}
          className="transfer-list"
          aria-label="Uploads and downloads"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            if (row.kind === 'batch') {
              return (
                <BatchRow
                  key={item.key}
                  index={item.index}
                  measure={measure}
                  batch={row.batch}
                  expanded={row.expanded}
                  top={item.start - listTop}
                  position={row.position}
                  setSize={row.setSize}
                  onToggle={toggleExpanded}
                  detailsShown={detailsShown.has(`batch:${row.batch.batchId}`)}
                  onToggleDetails={toggleDetails}
                />
              );
            }
            return (
              <TransferRow
                key={item.key}
                index={item.index}
                measure={measure}
                transfer={row.transfer}
                inBatch={row.inBatch}
                top={item.start - listTop}
                position={row.position}
                setSize={row.setSize}
                actions={transferActions(row.transfer, desktop)}
                detailsShown={detailsShown.has(row.transfer.id)}
                onToggleDetails={toggleDetails}
              />
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * An error as the panel shows it: what happened and what to do, in words; the technical facts
 * behind a "Details" disclosure, with a button that copies them for a bug report or the
 * service's administrator.
 */
function ErrorLine({
  error,
  toggleId,
  shown,
  onToggle,
  prefix,
}: {
  error: NonNullable<TransferSnapshot['error']>;
  toggleId: string;
  shown: boolean;
  onToggle: (id: string) => void;
  prefix?: string;
}) {
  const regionId = useId();
  const facts = errorDetailsText(error);
  return (
    <div className="transfer__error">
      <p className="transfer__error-text">
        {prefix}
        {error.message}
      </p>
      <button
        type="button"
        className="button button--small button--quiet transfer__details-toggle"
        aria-expanded={shown}
        aria-controls={shown ? regionId : undefined}
        onClick={() => onToggle(toggleId)}
      >
        <Icon name={shown ? 'chevron-down' : 'chevron-right'} />
        Details
      </button>
      {shown ? (
        <div id={regionId} className="transfer__error-details">
          <code className="transfer__error-facts">{facts}</code>
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => void copyText(`${error.message}\n${facts}`, 'Error details copied')}
          >
            <Icon name="copy" />
            Copy details
          </button>
        </div>
      ) : null}
    </div>
  );
}

interface BatchRowProps {
  index: number;
  measure: (element: Element | null) => void;
  batch: TransferBatchView;
  expanded: boolean;
  top: number;
  position: number;
  setSize: number;
  onToggle: (batchId: string) => void;
  detailsShown: boolean;
  onToggleDetails: (id: string) => void;
}

/**
 * A batch: what was dropped or chosen, its counts (running, waiting, paused, failed, cancelled,
 * skipped, done), a total progress bar (bytes done of the bytes it will send), rate and time left,
 * and pause, resume, retry and cancel for all its files at once. Its disclosure button lists its files.
 */
function BatchRow({
  index,
  measure,
  batch,
  expanded,
  top,
  position,
  setSize,
  onToggle,
  detailsShown,
  onToggleDetails,
}: BatchRowProps) {
  const act = useAppStore.getState;
  const { counts, title } = batch;
  const open = counts.running + counts.waiting + counts.paused > 0;
  const percent =
    batch.bytesTotal !== null && batch.bytesTotal > 0
      ? Math.min(100, (batch.bytesDone / batch.bytesTotal) * 100)
      : (counts.done / Math.max(1, batch.members.length)) * 100;
  const actions = batchActions(counts);
  const goTo = batchGoTo(batch);
  const detail = batchDetailText(batch);
  const countLine = countsText(counts);
  const where = batch.destination ? `${batch.direction === 'download' ? 'into' : 'to'} ${batch.destination}` : '';
  return (
    <li
      ref={measure}
      data-index={index}
      className="transfer transfer--batch"
      data-state={batch.state}
      aria-posinset={position}
      aria-setsize={setSize}
      style={{ transform: `translateY(${top}px)` }}
    >
      <button
        type="button"
        className="icon-button transfer__disclosure"
        aria-expanded={expanded}
        aria-label={`Files in ${title}`}
        title={expanded ? 'Hide the files' : 'Show the files'}
        onClick={() => onToggle(batch.batchId)}
      >
        <Icon name={expanded ? 'chevron-down' : 'chevron-right'} />
      </button>
      <Icon name={directionIcons[batch.direction]} className="transfer__icon" />
      <div className="transfer__main">
        <div className="transfer__line">
          <span className="transfer__name" title={where ? `${title} ${where}` : title}>
            {title}
          </span>
          <span className="transfer__state">{batchStateText(batch)}</span>
        </div>
        {open ? (
          <Progress.Root
            className="progress"
            aria-label={`${title}: total progress`}
            value={Math.round(percent)}
            max={100}
            getValueLabel={() => detail}
          >
            <Progress.Indicator className="progress__indicator" style={{ width: `${percent}%` }} />
          </Progress.Root>
        ) : null}
        <p className="transfer__detail" title={where ? `${detail} · ${where}` : detail}>
          {detail}
          {where ? <span className="transfer__where"> · {where}</span> : null}
        </p>
        <p className="transfer__counts" data-tone={counts.failed > 0 ? 'error' : undefined}>
          {countLine}
        </p>
        {batch.firstError && counts.failed > 0 ? (
          <ErrorLine
            error={batch.firstError}
            toggleId={`batch:${batch.batchId}`}
            shown={detailsShown}
            onToggle={onToggleDetails}
            prefix={counts.failed > 1 ? 'First failure: ' : ''}
          />
        ) : null}
      </div>
      <div className="transfer__actions">
        {actions.pause ? (
          <IconButton
            label={`Pause ${title}`}
            icon="pause"
            onClick={() => void act().actOnBatch(batch.batchId, 'pause')}
          />
        ) : null}
        {actions.resume ? (
          <IconButton
            label={`Resume ${title}`}
            icon="play"
            onClick={() => void act().actOnBatch(batch.batchId, 'resume')}
          />
        ) : null}
        {actions.retry ? (
          <IconButton
            label={`Retry ${title}`}
            icon="refresh"
            onClick={() => void act().actOnBatch(batch.batchId, 'retry')}
          />
        ) : null}
        {goTo && counts.done > 0 ? (
          <IconButton
            label={`Go to ${title}`}
            icon="arrow-right"
            onClick={() => {
              act().navigate({ accountId: goTo.accountId, bucket: goTo.bucket, prefix: goTo.prefix });
              if (goTo.reveal) act().revealKey(goTo.reveal);
            }}
          />
        ) : null}
        {actions.cancel ? (
          <IconButton
            label={`Cancel ${title}`}
            icon="close"
            onClick={() => void act().actOnBatch(batch.batchId, 'cancel')}
          />
        ) : null}
      </div>
    </li>
  );
}

interface TransferRowProps {
  index: number;
  measure: (element: Element | null) => void;
  transfer: TransferSnapshot;
  /** A file of an expanded batch (indented, one level down). */
  inBatch: boolean;
  top: number;
  position: number;
  setSize: number;
  actions: TransferActions;
  detailsShown: boolean;
  onToggleDetails: (id: string) => void;
}

/** One transfer: what, where, how far, how fast, and what can be done with it. Memoized: a batch re-renders only rows that changed. */
const TransferRow = memo(
  function TransferRow({
    index,
    measure,
    transfer: t,
    inBatch,
    top,
    position,
    setSize,
    actions,
    detailsShown,
    onToggleDetails,
  }: TransferRowProps) {
    const act = useAppStore.getState;
    const detailId = useId();
    const ids = [t.id];
    const showsProgress =
      t.state === 'running' || t.state === 'paused' || t.state === 'retrying' || t.state === 'queued';
    const percent = t.bytesTotal ? Math.min(100, (t.bytesDone / Math.max(t.bytesTotal, 1)) * 100) : 0;
    const detail = [detailText(t), t.note].filter(Boolean).join(' · ');
    // "checked by size": a plain label beside the state, explained by the note in the line below.
    const checked = verificationLabel(t);
    const where = `${t.bucket}/${t.key}`;
    return (
      <li
        ref={measure}
        data-index={index}
        className={inBatch ? 'transfer transfer--member' : 'transfer'}
        data-state={t.state}
        aria-level={inBatch ? 2 : undefined}
        aria-posinset={position}
        aria-setsize={setSize}
        style={{ transform: `translateY(${top}px)` }}
      >
        <Icon name={directionIcons[t.direction]} className="transfer__icon" />
        <div className="transfer__main">
          <div className="transfer__line">
            <span
              className="transfer__name"
              title={t.direction === 'download' ? `${where} → ${t.localPath}` : `${t.localPath} → ${where}`}
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
          {t.error ? (
            <ErrorLine error={t.error} toggleId={t.id} shown={detailsShown} onToggle={onToggleDetails} />
          ) : (
            <p id={detailId} className="transfer__detail" title={detail}>
              {detail}
            </p>
          )}
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
    before.index === after.index &&
    before.top === after.top &&
    before.inBatch === after.inBatch &&
    before.position === after.position &&
    before.setSize === after.setSize &&
    before.detailsShown === after.detailsShown &&
    before.measure === after.measure &&
    before.actions.reveal === after.actions.reveal,
);

function OperationItem({ operation }: { operation: OperationView }) {
  const cancel = useAppStore((s) => s.cancelOperation);
  const { title, done, total, state, summary, cancelling } = operation;
  const running = state === 'running';
  const counted = operationCountText(operation);
  return (
    <li className="operation" data-state={state}>
      <Icon
        name={running ? 'spinner' : state === 'finished' ? 'success' : 'alert'}
        className={running ? 'icon--spin operation__icon' : 'operation__icon'}
      />
      <div className="operation__main">
        <div className="operation__line">
          <span className="operation__title">{title}</span>
          <span className="operation__state">{operationStateText[state]}</span>
        </div>
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
            data-indeterminate={(running && total === null) || undefined}
          />
        </Progress.Root>
        <p className="operation__count" data-tone={operation.failed > 0 ? 'error' : undefined}>
          {counted}
        </p>
        {!running && summary ? <p className="operation__summary">{summary}</p> : null}
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
