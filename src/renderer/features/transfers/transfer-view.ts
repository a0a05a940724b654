import { finalTransferStates, type TransferSnapshot, type TransferState } from '../../../shared/transfers';
import { countOf, formatSize } from '../browser/format';

/** The counts and speed the panel's header shows. */
export interface TransferTotals {
  /** Running, or waiting out a retry. */
  active: number;
  queued: number;
  paused: number;
  failed: number;
  /** Finished, skipped or cancelled. */
  ended: number;
  /** The sum of the active transfers' rates. */
  bytesPerSecond: number;
}

/** Counts transfers by state and adds up their rates. */
export function transferTotals(transfers: Iterable<TransferSnapshot>): TransferTotals {
  const totals: TransferTotals = { active: 0, queued: 0, paused: 0, failed: 0, ended: 0, bytesPerSecond: 0 };
  for (const t of transfers) {
    switch (t.state) {
      case 'running':
      case 'retrying':
        totals.active++;
        totals.bytesPerSecond += t.bytesPerSecond;
        break;
      case 'queued':
        totals.queued++;
        break;
      case 'paused':
        totals.paused++;
        break;
      case 'failed':
        totals.failed++;
        break;
      default:
        totals.ended++;
    }
  }
  return totals;
}

/** "3 active · 12 queued · 1 failed · 45 MiB/s": the header's one line; empty parts are left out. */
export function totalsText(totals: TransferTotals): string {
  const parts = [
    totals.active > 0 ? `${totals.active.toLocaleString()} active` : '',
    totals.queued > 0 ? `${totals.queued.toLocaleString()} queued` : '',
    totals.paused > 0 ? `${totals.paused.toLocaleString()} paused` : '',
    totals.failed > 0 ? `${totals.failed.toLocaleString()} failed` : '',
    totals.ended > 0 ? `${totals.ended.toLocaleString()} done` : '',
    totals.active > 0 ? formatRate(totals.bytesPerSecond) : '',
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

/**
 * The panel's order: active, failed, paused and queued transfers (oldest first, as the queue
 * runs them), then those that ended (newest first).
 */
export function orderTransfers(transfers: Iterable<TransferSnapshot>): TransferSnapshot[] {
  return [...transfers].sort((a, b) => {
    const group = stateOrder[a.state] - stateOrder[b.state];
    if (group !== 0) return group;
    if (stateOrder[a.state] === 4) {
      return (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt) || a.key.localeCompare(b.key);
    }
    return a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key);
  });
}

/** A transfer's state in words ("Uploading", "Retrying (2)"). */
export function stateText(t: TransferSnapshot): string {
  switch (t.state) {
    case 'queued':
      return 'Queued';
    case 'running':
      return t.direction === 'upload' ? 'Uploading' : 'Downloading';
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
  return t.direction === 'upload' && t.state === 'finished' && t.verifiedBy === 'size' ? 'checked by size' : null;
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
