import { describe, expect, it } from 'vitest';
import type { TransferSnapshot } from '../../../shared/transfers';
import {
  conflictList,
  detailText,
  formatDuration,
  orderTransfers,
  stateText,
  totalsText,
  transferActions,
  transferTotals,
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

describe('transfer totals', () => {
  it('counts by state and adds the active rates', () => {
    const totals = transferTotals([
      t({ state: 'running', bytesPerSecond: 30 * 1024 * 1024 }),
      t({ state: 'retrying', bytesPerSecond: 0 }),
      t({ state: 'running', bytesPerSecond: 15 * 1024 * 1024 }),
      t({ state: 'queued' }),
      t({ state: 'queued' }),
      t({ state: 'paused' }),
      t({ state: 'failed' }),
      t({ state: 'finished' }),
      t({ state: 'skipped' }),
    ]);
    expect(totals).toEqual({ active: 3, queued: 2, paused: 1, failed: 1, ended: 2, bytesPerSecond: 45 * 1024 * 1024 });
    expect(totalsText(totals)).toBe('3 active · 2 queued · 1 paused · 1 failed · 2 done · 45 MiB/s');
    expect(totalsText(transferTotals([]))).toBe('');
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
