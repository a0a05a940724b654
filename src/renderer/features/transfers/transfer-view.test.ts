import { describe, expect, it } from 'vitest';
import type { TransferSnapshot } from '../../../shared/transfers';
import {
  batchActions,
  batchDetailText,
  batchGoTo,
  batchMemberIds,
  batchStateText,
  batchTitle,
  batchView,
  conflictList,
  countsText,
  detailText,
  errorDetailsText,
  formatDuration,
  operationCountText,
  orderTransfers,
  panelRows,
  stateText,
  transferActions,
  transferCounts,
  verificationLabel,
} from './transfer-view';

const t = (fields: Partial<TransferSnapshot>): TransferSnapshot => ({
  id: fields.key ?? 'id',
  batchId: 'b',
  direction: 'upload',
  accountId: 'a',
  bucket: 'bucket',
  key: 'k',
  localPath: '/tmp/k',
  name: 'k',
  state: 'queued',
  bytesTotal: 1024 * 1024,
  bytesDone: 0,
  bytesPerSecond: 0,
  secondsLeft: null,
  retries: 0,
  error: null,
  note: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  ...fields,
});

describe('transfer counts', () => {
  it('puts each transfer in exactly one count and adds the running rates', () => {
    const counts = transferCounts([
      t({ state: 'running', bytesPerSecond: 30 * 1024 * 1024 }),
      t({ state: 'retrying', bytesPerSecond: 0 }),
      t({ state: 'running', bytesPerSecond: 15 * 1024 * 1024 }),
      t({ state: 'queued' }),
      t({ state: 'queued' }),
      t({ state: 'paused' }),
      t({ state: 'failed' }),
      t({ state: 'finished' }),
      t({ state: 'skipped' }),
      t({ state: 'cancelled' }),
    ]);
    expect(counts).toEqual({
      running: 3,
      waiting: 2,
      paused: 1,
      done: 1,
      skipped: 1,
      failed: 1,
      cancelled: 1,
      bytesPerSecond: 45 * 1024 * 1024,
    });
    expect(countsText(counts, true)).toBe(
      '3 running · 2 waiting · 1 paused · 1 failed · 1 cancelled · 1 skipped · 1 done · 45 MiB/s',
    );
    expect(countsText(transferCounts([]))).toBe('');
  });

  it('never counts a cancelled or failed transfer as done', () => {
    const counts = transferCounts([
      t({ state: 'cancelled' }),
      t({ state: 'failed' }),
      t({ state: 'finished' }),
      t({ state: 'finished' }),
      t({ state: 'finished' }),
    ]);
    expect(countsText(counts)).toBe('1 failed · 1 cancelled · 3 done');
    expect(countsText(transferCounts([t({ state: 'cancelled' })]))).toBe('1 cancelled');
  });
});

describe('the panel order', () => {
  it('puts active, failed, paused and queued first (oldest first), then what ended (newest first)', () => {
    const order = orderTransfers([
      t({ key: 'done-old', state: 'finished', finishedAt: '2026-01-01T00:01:00.000Z' }),
      t({ key: 'queued-2', state: 'queued', createdAt: '2026-01-01T00:00:02.000Z' }),
      t({ key: 'running', state: 'running' }),
      t({ key: 'done-new', state: 'finished', finishedAt: '2026-01-01T00:02:00.000Z' }),
      t({ key: 'queued-1', state: 'queued', createdAt: '2026-01-01T00:00:01.000Z' }),
      t({ key: 'failed', state: 'failed' }),
      t({ key: 'paused', state: 'paused' }),
    ]).map((x) => x.key);
    expect(order).toEqual(['running', 'failed', 'paused', 'queued-1', 'queued-2', 'done-new', 'done-old']);
  });
});

describe('a transfer row', () => {
  it('says its state in words', () => {
    expect(stateText(t({ state: 'running' }))).toBe('Uploading');
    expect(stateText(t({ state: 'running', direction: 'download' }))).toBe('Downloading');
    expect(stateText(t({ state: 'retrying', retries: 2 }))).toBe('Retrying (2)');
    expect(stateText(t({ state: 'paused' }))).toBe('Paused');
    expect(stateText(t({ state: 'queued' }))).toBe('Waiting');
  });

  it('shows bytes, rate and time left while running', () => {
    expect(
      detailText(
        t({
          state: 'running',
          bytesDone: 12 * 1024 * 1024,
          bytesTotal: 64 * 1024 * 1024,
          bytesPerSecond: 4 * 1024 * 1024,
          secondsLeft: 13,
        }),
      ),
    ).toBe('12 MiB of 64 MiB · 4 MiB/s · 13 s left');
    expect(detailText(t({ state: 'paused', bytesDone: 1024, bytesTotal: 2048, bytesPerSecond: 99 }))).toBe(
      '1 KiB of 2 KiB',
    );
    expect(detailText(t({ state: 'running', bytesTotal: null, bytesDone: 0 }))).toBe('0 B');
  });

  it('formats time left as people say it', () => {
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(4.2)).toBe('5 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(7800)).toBe('2 h 10 min');
  });

  it('offers the actions that apply', () => {
    expect(transferActions(t({ state: 'running' }), false)).toEqual({
      pause: true,
      resume: false,
      cancel: true,
      retry: false,
      reveal: false,
      goTo: false,
    });
    expect(transferActions(t({ state: 'paused' }), false)).toMatchObject({ pause: false, resume: true, cancel: true });
    expect(transferActions(t({ state: 'failed' }), false)).toMatchObject({ retry: true, cancel: false });
    expect(transferActions(t({ state: 'finished' }), false)).toMatchObject({ reveal: false, goTo: true });
    expect(transferActions(t({ state: 'finished' }), true)).toMatchObject({ reveal: true, goTo: true });
  });
});

describe('conflictList', () => {
  it('names up to ten and counts the rest', () => {
    const names = Array.from({ length: 13 }, (_, i) => `f${i}`);
    expect(conflictList(names)).toEqual({ shown: names.slice(0, 10), more: 'and 3 more' });
    expect(conflictList(['a'])).toEqual({ shown: ['a'], more: '' });
  });
});

describe('how a finished upload was checked', () => {
  it('says "checked by size" where nothing stronger could be compared, and nothing otherwise', () => {
    const note =
      "Stored, checked by size: this service's ETag is not an MD5 of the data, and it offers no other checksum.";
    expect(verificationLabel(t({ state: 'finished', verifiedBy: 'size', note }))).toBe('checked by size');
    expect(verificationLabel(t({ state: 'finished', verifiedBy: 'md5' }))).toBeNull();
    expect(verificationLabel(t({ state: 'finished', verifiedBy: 'checksum' }))).toBeNull();
    expect(verificationLabel(t({ state: 'finished' }))).toBeNull();
    expect(verificationLabel(t({ state: 'running', verifiedBy: 'size' }))).toBeNull();
    expect(verificationLabel(t({ state: 'finished', direction: 'download', verifiedBy: 'size' }))).toBeNull();
  });
});

describe('batches', () => {
  const member = (key: string, fields: Partial<TransferSnapshot> = {}) =>
    t({
      id: key,
      key: `photos/${key}`,
      name: key.split('/').at(-1) ?? key,
      batchId: 'drop',
      batchDestination: 'bucket/photos/',
      ...fields,
    });

  it('are named after what was dropped below their destination', () => {
    expect(batchTitle([member('album/a.jpg'), member('album/2024/b.jpg')])).toBe('album');
    expect(batchTitle([member('a.jpg'), member('b.jpg')])).toBe('a.jpg and b.jpg');
    expect(batchTitle([member('c.jpg'), member('b.jpg'), member('a.jpg'), member('album/d.jpg')])).toBe(
      'a.jpg and 3 more',
    );
    const download = (path: string) =>
      t({ direction: 'download', localPath: `/home/me/Downloads/${path}`, batchDestination: '/home/me/Downloads/' });
    expect(batchTitle([download('album/a.jpg'), download('album/b/c.jpg')])).toBe('album');
  });

  it('sum up their members: counts, bytes of what will be sent, rate and time left', () => {
    const batch = batchView([
      member('a', { state: 'finished', bytesTotal: 100, bytesDone: 100 }),
      member('b', { state: 'running', bytesTotal: 300, bytesDone: 100, bytesPerSecond: 50 }),
      member('c', { state: 'queued', bytesTotal: 100, bytesDone: 0 }),
      member('d', { state: 'cancelled', bytesTotal: 1000, bytesDone: 10 }),
      member('e', { state: 'skipped', bytesTotal: 1000, bytesDone: 0 }),
      member('f', {
        state: 'failed',
        bytesTotal: 100,
        bytesDone: 0,
        error: { code: 'access-denied', message: 'Access denied.' },
      }),
    ]);
    expect(batch.counts).toMatchObject({ running: 1, waiting: 1, done: 1, cancelled: 1, skipped: 1, failed: 1 });
    expect(batch.bytesDone).toBe(200);
    expect(batch.bytesTotal).toBe(600);
    expect(batch.secondsLeft).toBe(8);
    expect(batch.state).toBe('running');
    expect(batch.firstError).toEqual({ code: 'access-denied', message: 'Access denied.' });
    expect(batchStateText(batch)).toBe('Uploading');
    expect(batchDetailText(batch)).toBe('1 of 6 files uploaded · 200 B of 600 B · 50 B/s · 8 s left');
    expect(batchActions(batch.counts)).toEqual({ pause: true, resume: false, retry: true, cancel: true });
  });

  it('say how they ended', () => {
    const ended = (states: TransferSnapshot['state'][]) =>
      batchView(states.map((state, i) => member(`f${i}`, { state })));
    expect(ended(['finished', 'finished']).state).toBe('finished');
    expect(ended(['finished', 'cancelled']).state).toBe('finished');
    expect(ended(['cancelled', 'cancelled']).state).toBe('cancelled');
    expect(ended(['finished', 'failed']).state).toBe('failed');
    expect(batchStateText(ended(['finished', 'failed']))).toBe('Ended with failures');
    expect(ended(['paused', 'failed']).state).toBe('paused');
    expect(ended(['queued', 'paused']).state).toBe('queued');
    expect(batchActions(ended(['finished', 'finished']).counts)).toEqual({
      pause: false,
      resume: false,
      retry: false,
      cancel: false,
    });
  });

  it('are one row, with their files after it (ordered) only when expanded; single transfers stay rows', () => {
    const transfers = [
      member('b.jpg', { state: 'queued', createdAt: '2026-01-01T00:00:02.000Z' }),
      member('a.jpg', { state: 'running', createdAt: '2026-01-01T00:00:01.000Z' }),
      t({ id: 'alone', key: 'alone.txt', batchId: 'other', state: 'finished', finishedAt: '2026-01-01T00:01:00.000Z' }),
    ];
    const collapsed = panelRows(transfers, new Set());
    expect(collapsed.map((row) => (row.kind === 'batch' ? `batch:${row.batch.title}` : row.transfer.id))).toEqual([
      'batch:a.jpg and b.jpg',
      'alone',
    ]);
    expect(collapsed.map((row) => [row.position, row.setSize])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const expanded = panelRows(transfers, new Set(['drop']));
    expect(
      expanded.map((row) => (row.kind === 'batch' ? 'batch' : `${row.transfer.id}${row.inBatch ? ' (in batch)' : ''}`)),
    ).toEqual(['batch', 'a.jpg (in batch)', 'b.jpg (in batch)', 'alone']);
    expect(expanded.map((row) => [row.position, row.setSize])).toEqual([
      [1, 2],
      [1, 2],
      [2, 2],
      [2, 2],
    ]);
  });

  it('lay out 5,000 files quickly enough to redraw ten times a second', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      member(`album/${String(i).padStart(5, '0')}.jpg`, {
        state: i % 3 === 0 ? 'finished' : i % 3 === 1 ? 'running' : 'queued',
        finishedAt: i % 3 === 0 ? `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00.000Z` : null,
      }),
    );
    // The best of three: a shared, busy machine can stall any one run.
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      expect(panelRows(many, new Set(['drop']))).toHaveLength(5001);
      best = Math.min(best, performance.now() - started);
    }
    expect(best).toBeLessThan(100);
  });

  it('go to their destination folder, with what was dropped selected when it is one item', () => {
    expect(batchGoTo(batchView([member('album/a.jpg'), member('album/2024/b.jpg')]))).toEqual({
      accountId: 'a',
      bucket: 'bucket',
      prefix: 'photos/',
      reveal: 'photos/album/',
    });
    expect(batchGoTo(batchView([member('a.jpg'), member('b.jpg')]))?.reveal).toBeNull();
    expect(batchGoTo(batchView([member('a.jpg', { direction: 'download' }), member('b.jpg')]))).toBeNull();
  });

  it('act on the members each action applies to', () => {
    const transfers = [
      member('a', { state: 'running' }),
      member('b', { state: 'queued' }),
      member('c', { state: 'paused' }),
      member('d', { state: 'failed' }),
      member('e', { state: 'finished' }),
      member('f', { state: 'cancelled' }),
      t({ id: 'x', batchId: 'other', state: 'running' }),
    ];
    expect(batchMemberIds(transfers, 'drop', ['running', 'retrying', 'queued', 'paused'])).toEqual(['a', 'b', 'c']);
    expect(batchMemberIds(transfers, 'drop', ['failed', 'cancelled'])).toEqual(['d', 'f']);
  });
});

describe('errors and operations', () => {
  it('put the technical facts behind Details, never in the headline', () => {
    expect(
      errorDetailsText({
        code: 'access-denied',
        message: 'Access denied: …',
        detail: 'S3 error AccessDenied (HTTP 403)',
      }),
    ).toBe('Error code: access-denied · S3 error AccessDenied (HTTP 403)');
    expect(errorDetailsText({ code: 'network', message: 'The connection was cut.' })).toBe('Error code: network');
  });

  it('count operations as "n of m", with failures apart', () => {
    expect(operationCountText({ done: 120, failed: 0, total: 500 })).toBe('120 of 500 done');
    expect(operationCountText({ done: 480, failed: 20, total: 500 })).toBe('480 of 500 done · 20 failed');
    expect(operationCountText({ done: 7, failed: 0, total: null })).toBe('7 done so far');
  });
});
