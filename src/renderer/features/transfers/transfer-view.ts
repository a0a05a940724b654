import { finalTransferStates, type TransferSnapshot, type TransferState } from '../../../shared/transfers';
import type { OperationView } from '../../stores/operations-slice';
import { countOf, formatSize } from '../browser/format';

/**
 * Exact counts of transfers by what they do now or how they ended: each transfer is in exactly
 * one of them (a cancelled upload is never "done", a failed one never "done"), with the rate of
 * the running ones. The panel's header shows them for every transfer, a batch's row for its own.
 */
export interface TransferCounts {
  /** Running, or waiting out a retry after a passing error. */
  running: number;
  /** Queued: waiting for a place to run. */
  waiting: number;
  paused: number;
  /** Finished: the file is where it was sent. */
  done: number;
  /** Left out because the name existed and the person chose Skip. */
  skipped: number;
  failed: number;
  cancelled: number;
  /** The sum of the running transfers' rates. */
  bytesPerSecond: number;
}

/** Counts transfers by state and adds up their rates. */
export function transferCounts(transfers: Iterable<TransferSnapshot>): TransferCounts {
  const counts: TransferCounts = {
    running: 0,
    waiting: 0,
    paused: 0,
    done: 0,
    skipped: 0,
    failed: 0,
    cancelled: 0,
    bytesPerSecond: 0,
  };
  for (const t of transfers) countInto(counts, t);
  return counts;
}

function countInto(counts: TransferCounts, t: TransferSnapshot): void {
  switch (t.state) {
    case 'running':
    case 'retrying':
      counts.running++;
      counts.bytesPerSecond += t.bytesPerSecond;
      break;
    case 'queued':
      counts.waiting++;
      break;
    case 'paused':
      counts.paused++;
      break;
    case 'finished':
      counts.done++;
      break;
    case 'skipped':
      counts.skipped++;
      break;
    case 'failed':
      counts.failed++;
      break;
    case 'cancelled':
      counts.cancelled++;
      break;
  }
}

/** How many transfers ended (done, skipped, failed or cancelled). */
export function endedCount(counts: TransferCounts): number {
  return counts.done + counts.skipped + counts.failed + counts.cancelled;
}

/** Counts in words, one part per non-empty count: "2 running · 12 waiting · 1 failed · 1 cancelled · 40 done". */
export function countsText(counts: TransferCounts, withRate = false): string {
  const parts = [
    counts.running > 0 ? `${counts.running.toLocaleString()} running` : '',
    counts.waiting > 0 ? `${counts.waiting.toLocaleString()} waiting` : '',
    counts.paused > 0 ? `${counts.paused.toLocaleString()} paused` : '',
    counts.failed > 0 ? `${counts.failed.toLocaleString()} failed` : '',
    counts.cancelled > 0 ? `${counts.cancelled.toLocaleString()} cancelled` : '',
    counts.skipped > 0 ? `${counts.skipped.toLocaleString()} skipped` : '',
    counts.done > 0 ? `${counts.done.toLocaleString()} done` : '',
    withRate && counts.running > 0 ? formatRate(counts.bytesPerSecond) : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

// Where each state sorts in the panel: what needs attention or moves first, what ended last.
const stateOrder: Record<TransferState, number> = {
  running: 0,
  retrying: 0,
  failed: 1,
  paused: 2,
  queued: 3,
  finished: 4,
  skipped: 4,
  cancelled: 4,
};

// Plain comparisons: ISO times and keys sort by code unit, and a batch of 5,000 is sorted ten times a second.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The panel's order of two items: by state group; oldest first while open, newest first once ended. */
function compareEntries(
  a: { group: number; createdAt: string; finishedAt: string | null; name: string },
  b: { group: number; createdAt: string; finishedAt: string | null; name: string },
): number {
  const group = a.group - b.group;
  if (group !== 0) return group;
  if (a.group === 4) {
    return compare(b.finishedAt ?? b.createdAt, a.finishedAt ?? a.createdAt) || compare(a.name, b.name);
  }
  return compare(a.createdAt, b.createdAt) || compare(a.name, b.name);
}

const entryOf = (t: TransferSnapshot) => ({
  group: stateOrder[t.state],
  createdAt: t.createdAt,
  finishedAt: t.finishedAt,
  name: t.key,
});

/**
 * The panel's order: active, failed, paused and queued transfers (oldest first, as the queue
 * runs them), then those that ended (newest first).
 */
export function orderTransfers(transfers: Iterable<TransferSnapshot>): TransferSnapshot[] {
  return [...transfers].sort((a, b) => compareEntries(entryOf(a), entryOf(b)));
}

/** A batch (one drop, one upload or download request of several files) as its row shows it. */
export interface TransferBatchView {
  batchId: string;
  direction: TransferSnapshot['direction'];
  /** What was dropped or chosen: "album", "a.jpg and b.jpg", "a.jpg and 12 more". */
  title: string;
  /** "bucket/prefix/" for uploads, the local folder for downloads; null where main did not say. */
  destination: string | null;
  /** Its transfers, in the order they arrived (the panel orders them when the batch is expanded). */
  members: TransferSnapshot[];
  counts: TransferCounts;
  /** Bytes done of the bytes that will be sent (skipped and cancelled files left out). */
  bytesDone: number;
  /** null while the size of a file still to run is not known (a download before its HEAD). */
  bytesTotal: number | null;
  /** At the current rate; null when it cannot be estimated. */
  secondsLeft: number | null;
  /** The first failure's error, shown on the row. */
  firstError: TransferSnapshot['error'];
  /** The state the row shows: running, waiting, paused, or how it ended. */
  state: TransferState;
  createdAt: string;
  finishedAt: string | null;
}

/** One line of the panel's list: a batch's row, or a transfer's (alone, or inside an expanded batch). */
export type PanelRow =
  | { kind: 'batch'; batch: TransferBatchView; expanded: boolean; position: number; setSize: number }
  | { kind: 'transfer'; transfer: TransferSnapshot; inBatch: boolean; position: number; setSize: number };

/** The state a batch's row shows, from its counts: what moves first, then what waits, then how it ended. */
export function batchState(counts: TransferCounts, files: number): TransferState {
  if (counts.running > 0) return 'running';
  if (counts.waiting > 0) return 'queued';
  if (counts.paused > 0) return 'paused';
  if (counts.failed > 0) return 'failed';
  if (counts.cancelled === files) return 'cancelled';
  if (counts.skipped === files) return 'skipped';
  return 'finished';
}

/** The first segment of a member's path below the batch's destination: what was dropped or chosen. */
function topName(t: TransferSnapshot): string {
  const destination = t.batchDestination;
  if (destination !== undefined) {
    // Uploads and copies between accounts go to "bucket/prefix"; downloads into a local folder.
    if (t.direction !== 'download') {
      const prefix = destination.slice(t.bucket.length + 1);
      if (destination.startsWith(`${t.bucket}/`) && t.key.startsWith(prefix)) {
        return t.key.slice(prefix.length).split('/')[0] || t.name;
      }
    } else {
      const root = destination.replace(/[\\/]+$/, '');
      if (t.localPath.startsWith(root) && /^[\\/]/.test(t.localPath.slice(root.length))) {
        return t.localPath.slice(root.length + 1).split(/[\\/]/)[0] || t.name;
      }
    }
  }
  return t.name;
}

/**
 * "album", "a.jpg and b.jpg", "a.jpg and 12 more": names what a batch is made of, the first name
 * in code-unit order (the same title whatever order the files arrived in; no locale sort of thousands).
 */
export function batchTitle(members: readonly TransferSnapshot[]): string {
  const names = new Set<string>();
  let first: string | undefined;
  for (const member of members) {
    const name = topName(member);
    names.add(name);
    if (first === undefined || name < first) first = name;
  }
  if (first === undefined || names.size === 1) return first ?? '';
  if (names.size === 2) {
    const [a, b] = [...names].sort();
    return `${a} and ${b}`;
  }
  return `${first} and ${(names.size - 1).toLocaleString()} more`;
}

/** Sums up a batch's members for its row. */
export function batchView(members: TransferSnapshot[]): TransferBatchView {
  const counts = transferCounts(members);
  let bytesDone = 0;
  let bytesTotal: number | null = 0;
  let createdAt = members[0]?.createdAt ?? '';
  let finishedAt: string | null = '';
  let firstError: TransferSnapshot['error'] = null;
  let firstErrorAt = '';
  for (const t of members) {
    if (t.createdAt < createdAt) createdAt = t.createdAt;
    if (finishedAt !== null)
      finishedAt = t.finishedAt === null ? null : t.finishedAt > finishedAt ? t.finishedAt : finishedAt;
    if (t.state === 'failed' && t.error && (firstError === null || (t.finishedAt ?? '') < firstErrorAt)) {
      firstError = t.error;
      firstErrorAt = t.finishedAt ?? '';
    }
    if (t.state === 'skipped' || t.state === 'cancelled') continue;
    if (t.state === 'finished') {
      const size = t.bytesTotal ?? t.bytesDone;
      bytesDone += size;
      if (bytesTotal !== null) bytesTotal += size;
      continue;
    }
    bytesDone += t.bytesDone;
    bytesTotal = t.bytesTotal === null || bytesTotal === null ? null : bytesTotal + t.bytesTotal;
  }
  const first = members[0] as TransferSnapshot;
  const secondsLeft =
    counts.running > 0 && counts.bytesPerSecond > 0 && bytesTotal !== null
      ? Math.max(0, bytesTotal - bytesDone) / counts.bytesPerSecond
      : null;
  return {
    batchId: first.batchId,
    direction: first.direction,
    title: batchTitle(members),
    destination: first.batchDestination ?? null,
    members,
    counts,
    bytesDone,
    bytesTotal,
    secondsLeft,
    firstError,
    state: batchState(counts, members.length),
    createdAt,
    finishedAt: finishedAt === '' ? null : finishedAt,
  };
}

/**
 * The panel's list: each batch of several files as one row (followed by its files, ordered, when
 * expanded), each single transfer as its own row, in the panel's order. Positions count within
 * the level, for aria-posinset and aria-setsize.
 */
export function panelRows(transfers: Iterable<TransferSnapshot>, expanded: ReadonlySet<string>): PanelRow[] {
  const byBatch = new Map<string, TransferSnapshot[]>();
  for (const t of transfers) {
    const members = byBatch.get(t.batchId);
    if (members) members.push(t);
    else byBatch.set(t.batchId, [t]);
  }
  type Top = { entry: ReturnType<typeof entryOf>; single?: TransferSnapshot; batch?: TransferBatchView };
  const top: Top[] = [];
  for (const members of byBatch.values()) {
    if (members.length === 1) {
      const single = members[0] as TransferSnapshot;
      top.push({ entry: entryOf(single), single });
      continue;
    }
    const batch = batchView(members);
    top.push({
      entry: {
        group: stateOrder[batch.state],
        createdAt: batch.createdAt,
        finishedAt: batch.finishedAt,
        name: batch.batchId,
      },
      batch,
    });
  }
  top.sort((a, b) => compareEntries(a.entry, b.entry));
  const rows: PanelRow[] = [];
  top.forEach((item, index) => {
    const position = index + 1;
    if (item.single) {
      rows.push({ kind: 'transfer', transfer: item.single, inBatch: false, position, setSize: top.length });
      return;
    }
    const batch = item.batch as TransferBatchView;
    const open = expanded.has(batch.batchId);
    rows.push({ kind: 'batch', batch, expanded: open, position, setSize: top.length });
    if (!open) return;
    orderTransfers(batch.members).forEach((transfer, i) =>
      rows.push({ kind: 'transfer', transfer, inBatch: true, position: i + 1, setSize: batch.members.length }),
    );
  });
  return rows;
}

/** What can be done with a whole batch from its row. */
export interface BatchActions {
  pause: boolean;
  resume: boolean;
  retry: boolean;
  cancel: boolean;
}

/** The buttons a batch's row shows: each applies to the members it can (cancel to those not ended). */
export function batchActions(counts: TransferCounts): BatchActions {
  return {
    pause: counts.running + counts.waiting > 0,
    resume: counts.paused > 0,
    retry: counts.failed + counts.cancelled > 0,
    cancel: counts.running + counts.waiting + counts.paused > 0,
  };
}

/** The states each batch action applies to (as main's queue selects them). */
export const batchActionStates: Record<keyof BatchActions, readonly TransferState[]> = {
  pause: ['running', 'retrying', 'queued'],
  resume: ['paused'],
  retry: ['failed', 'cancelled'],
  cancel: ['running', 'retrying', 'queued', 'paused'],
};

/** The ids of a batch's transfers in the given states. */
export function batchMemberIds(
  transfers: Iterable<TransferSnapshot>,
  batchId: string,
  states: readonly TransferState[],
): string[] {
  const ids: string[] = [];
  for (const t of transfers) if (t.batchId === batchId && states.includes(t.state)) ids.push(t.id);
  return ids;
}

/** Where "Go to" takes an upload batch: its destination folder, with what was dropped selected when it is one item. */
export function batchGoTo(
  batch: TransferBatchView,
): { accountId: string; bucket: string; prefix: string; reveal: string | null } | null {
  const first = batch.members[0];
  const destination = batch.destination;
  if (!first || batch.direction === 'download' || !destination?.startsWith(`${first.bucket}/`)) return null;
  const prefix = destination.slice(first.bucket.length + 1);
  const names = new Set<string>();
  let folder = false;
  for (const member of batch.members) {
    const name = topName(member);
    names.add(name);
    if (member.key.length > prefix.length + name.length) folder = true;
    if (names.size > 1) break;
  }
  const [only] = names;
  const reveal = names.size === 1 && only !== undefined ? `${prefix}${only}${folder ? '/' : ''}` : null;
  return { accountId: first.accountId, bucket: first.bucket, prefix, reveal };
}

/** "12 of 30 files uploaded · 5 MiB of 20 MiB · 3 MiB/s · 5 s left": a batch's progress line. */
export function batchDetailText(batch: TransferBatchView): string {
  const files = batch.members.length;
  const verb = { upload: 'uploaded', download: 'downloaded', copy: 'copied' }[batch.direction];
  const running = batch.counts.running > 0;
  return [
    `${batch.counts.done.toLocaleString()} of ${files.toLocaleString()} files ${verb}`,
    batch.bytesTotal === null
      ? formatSize(batch.bytesDone)
      : `${formatSize(batch.bytesDone)} of ${formatSize(batch.bytesTotal)}`,
    running && batch.counts.bytesPerSecond > 0 ? formatRate(batch.counts.bytesPerSecond) : '',
    running && batch.secondsLeft !== null ? `${formatDuration(batch.secondsLeft)} left` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A batch's state in words: "Uploading", "Waiting", "Paused", "Finished", "Failed", "Cancelled". */
export function batchStateText(batch: TransferBatchView): string {
  if (batch.state === 'running') return runningWords[batch.direction];
  if (batch.state === 'queued') return 'Waiting';
  if (batch.state === 'failed') return 'Ended with failures';
  return stateText({ state: batch.state, direction: batch.direction, retries: 0 });
}

/** What a running transfer is doing, by the way it goes. */
const runningWords = { upload: 'Uploading', download: 'Downloading', copy: 'Copying' } as const;

/** A transfer's state in words ("Uploading", "Retrying (2)"). */
export function stateText(t: Pick<TransferSnapshot, 'state' | 'direction' | 'retries'>): string {
  switch (t.state) {
    case 'queued':
      return 'Waiting';
    case 'running':
      return runningWords[t.direction];
    case 'paused':
      return 'Paused';
    case 'retrying':
      return `Retrying (${t.retries.toLocaleString()})`;
    case 'finished':
      return 'Finished';
    case 'skipped':
      return 'Skipped';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
  }
}

/**
 * The words for how a finished upload was checked, where that is worth saying: "checked by size"
 * where the service gave nothing stronger than the size to compare (an ETag that is no MD5, no
 * checksums). That is what the service offers, not a failure, so it is never shown as one.
 */
export function verificationLabel(t: TransferSnapshot): string | null {
  return t.direction !== 'download' && t.state === 'finished' && t.verifiedBy === 'size' ? 'checked by size' : null;
}

/** "45 MiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatSize(Math.max(0, Math.round(bytesPerSecond)))}/s`;
}

/** Time left as people say it: "12 s", "3 min 5 s", "2 h 10 min"; '' when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(s / 3600);
  const min = Math.round((s % 3600) / 60);
  return `${h} h${min ? ` ${min} min` : ''}`;
}

/** "12 MiB of 64 MiB" (or "12 MiB" while the size is unknown). */
export function bytesText(t: TransferSnapshot): string {
  return t.bytesTotal === null ? formatSize(t.bytesDone) : `${formatSize(t.bytesDone)} of ${formatSize(t.bytesTotal)}`;
}

/** The detail line under a running transfer: bytes, rate and time left. */
export function detailText(t: TransferSnapshot): string {
  const running = t.state === 'running';
  return [
    bytesText(t),
    running && t.bytesPerSecond > 0 ? formatRate(t.bytesPerSecond) : '',
    running && t.secondsLeft !== null ? `${formatDuration(t.secondsLeft)} left` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** What can be done with one transfer now. */
export interface TransferActions {
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  retry: boolean;
  /** "Show in folder": a finished transfer's local file, in Electron only. */
  reveal: boolean;
  /** "Go to": the object in the file list, once it exists there. */
  goTo: boolean;
}

/** The buttons a transfer's row shows. */
export function transferActions(t: TransferSnapshot, desktop: boolean): TransferActions {
  const ended = finalTransferStates.includes(t.state);
  return {
    pause: t.state === 'running' || t.state === 'queued' || t.state === 'retrying',
    resume: t.state === 'paused',
    cancel: !ended,
    retry: t.state === 'failed' || t.state === 'cancelled',
    reveal: desktop && t.state === 'finished',
    goTo: t.state === 'finished' || t.direction === 'download',
  };
}

/** Up to `max` names from a conflict list, and how many more there are ("and 12 more"). */
export function conflictList(existing: readonly string[], max = 10): { shown: string[]; more: string } {
  const shown = existing.slice(0, max);
  const rest = existing.length - shown.length;
  return { shown, more: rest > 0 ? `and ${countOf(rest, 'more', 'more')}` : '' };
}

/**
 * The technical facts behind an error's "Details": its code and what main recorded (S3 error
 * name, HTTP status, request id, the service's own sentence). Errors journaled before details
 * existed have their code only.
 */
export function errorDetailsText(error: NonNullable<TransferSnapshot['error']>): string {
  return [`Error code: ${error.code}`, error.detail].filter(Boolean).join(' · ');
}

/** "120 of 500 done · 3 failed" (or "120 done so far" while the total is counted): a long operation's count. */
export function operationCountText(operation: Pick<OperationView, 'done' | 'failed' | 'total'>): string {
  const { done, failed, total } = operation;
  const counted =
    total === null
      ? `${done.toLocaleString()} done so far`
      : `${done.toLocaleString()} of ${total.toLocaleString()} done`;
  return failed > 0 ? `${counted} · ${failed.toLocaleString()} failed` : counted;
}
