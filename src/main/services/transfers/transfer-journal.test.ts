import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransferJournal } from './transfer-journal';
import type { JournalData } from './transfer-record';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 's3fm-journal-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A journal over a state the test changes, spacing writes by a long minimum interval. */
function journalOver(minIntervalMs: number) {
  const state: JournalData = { version: 1, transfers: [], batches: [] };
  const file = join(folder, 'journal.json');
  const journal = createTransferJournal({ file, current: () => state, minIntervalMs });
  const onDisk = async () => JSON.parse(await readFile(file, 'utf8')) as JournalData;
  return { state, journal, onDisk };
}

describe('transfer journal', () => {
  it('written() resolves with the next spaced write, which holds the state as it was asked for', async () => {
    const { state, journal, onDisk } = journalOver(50);
    await journal.flush();
    state.batches.push({
      id: 'b1',
      direction: 'download',
      accountId: 'a',
      bucket: 'b',
      destination: '/tmp',
      startedAt: new Date(0).toISOString(),
      announced: false,
    });
    journal.schedule();
    await journal.written();
    expect((await onDisk()).batches.map((batch) => batch.id)).toEqual(['b1']);
  });

  it('flush() does not wait out the spacing of a write already waiting, and what waits for it resolves', async () => {
    // A minute between writes: without the hurry, flush and written() would wait for it (and on
    // quit Node would exit first, its timer being unref'd).
    const { state, journal, onDisk } = journalOver(60_000);
    await journal.flush();
    state.batches.push({
      id: 'b2',
      direction: 'upload',
      accountId: 'a',
      bucket: 'b',
      destination: 'b/',
      startedAt: new Date(0).toISOString(),
      announced: false,
    });
    const waiting = journal.written();
    const started = Date.now();
    await journal.flush();
    await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await onDisk()).batches.map((batch) => batch.id)).toEqual(['b2']);
  });
});

/** A journaled upload that has not settled its key yet. */
function uploadRecord(id: string): JournalData['transfers'][number] {
  return {
    id,
    batchId: 'b',
    direction: 'upload',
    accountId: 'a',
    bucket: 'bucket',
    key: 'photos/cat.jpg',
    localPath: '/home/me/cat.jpg',
    name: 'cat.jpg',
    state: 'running',
    bytesTotal: 1,
    bytesDone: 0,
    retries: 0,
    error: null,
    note: null,
    createdAt: new Date(0).toISOString(),
    finishedAt: null,
    spec: {
      kind: 'upload',
      sourcePath: '/home/me/cat.jpg',
      folderMarker: false,
      wantedKey: 'photos/cat.jpg',
      keyResolved: false,
      onConflict: 'keep-both',
      options: {},
      fileSize: 1,
      fileMtimeMs: 0,
      multipart: null,
    },
  } as JournalData['transfers'][number];
}

describe('settled keys', () => {
  it('a key settled after the last write is there after a restart (a crash before the next write)', async () => {
    const { state, journal } = journalOver(60_000);
    state.transfers.push(uploadRecord('t1'));
    await journal.flush();
    journal.settleKey({ id: 't1', key: 'photos/cat (1).jpg', name: 'cat (1).jpg' });
    // No write since: a new journal over the same file, as after a crash, reads it back.
    const again = createTransferJournal({ file: join(folder, 'journal.json'), current: () => state });
    const loaded = await again.load();
    expect(loaded.transfers[0]).toMatchObject({ key: 'photos/cat (1).jpg', name: 'cat (1).jpg' });
    expect(loaded.transfers[0]?.spec).toMatchObject({ keyResolved: true });
  });

  it('is dropped once a write holds it, and one settled during that write is kept for the next', async () => {
    const state: JournalData = { version: 1, transfers: [uploadRecord('t1'), uploadRecord('t2')], batches: [] };
    const file = join(folder, 'journal.json');
    let during: (() => void) | undefined;
    const journal = createTransferJournal({
      file,
      current: () => {
        during?.();
        during = undefined;
        return state;
      },
      minIntervalMs: 0,
    });
    journal.settleKey({ id: 't1', key: 'photos/cat.jpg', name: 'cat.jpg' });
    // Settled while the write reads the state: not in what it writes, so it must stay noted.
    during = () => journal.settleKey({ id: 't2', key: 'photos/cat (1).jpg', name: 'cat (1).jpg' });
    await journal.flush();
    const lines = (await readFile(`${file}.keys`, 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['t2']);
    await journal.flush();
    await expect(readFile(`${file}.keys`, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
