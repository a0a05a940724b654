import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransferJournal, readJournalFile, type JournalChanges } from './transfer-journal';
import { journalSchema, type JournalData } from './transfer-record';

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
  const onDisk = () => readJournalFile(file);
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

/** A journal over a state with marks, as the queue keeps them: each write takes what was marked. */
function markedJournal(transfers: JournalData['transfers'] = []) {
  const state: JournalData = { version: 1, transfers, batches: [] };
  const marks = { transfers: new Set<string>(), removed: new Set<string>() };
  const file = join(folder, 'journal.json');
  const take = (): JournalChanges => {
    const changes: JournalChanges = {
      transfers: state.transfers.filter((record) => marks.transfers.has(record.id)),
      batches: [],
      removedTransfers: [...marks.removed],
      removedBatches: [],
    };
    marks.transfers.clear();
    marks.removed.clear();
    return changes;
  };
  const journal = createTransferJournal({ file, current: () => state, changes: take, minIntervalMs: 0 });
  const lines = async () => (await readFile(file, 'utf8')).trimEnd().split('\n');
  return { state, marks, file, journal, lines };
}

describe('appended changes', () => {
  it('writes the whole state first, then appends only what changed; read back, it is the state', async () => {
    const records = ['t1', 't2', 't3'].map(uploadRecord);
    const { state, marks, file, journal, lines } = markedJournal(records);
    await journal.flush();
    expect(await lines()).toHaveLength(2);
    const whole = (await readFile(file, 'utf8')).length;

    records[1]!.state = 'finished';
    records[1]!.bytesDone = 1;
    marks.transfers.add('t2');
    await journal.flush();
    const appended = (await lines())[2]!;
    expect((JSON.parse(appended) as { t: { id: string }[] }).t.map((record) => record.id)).toEqual(['t2']);
    // One record's line, not the whole state again.
    expect(appended.length).toBeLessThan(whole / 2);

    state.transfers.splice(0, 1);
    marks.removed.add('t1');
    state.transfers.push(uploadRecord('t4'));
    marks.transfers.add('t4');
    await journal.flush();
    expect(await lines()).toHaveLength(4);
    // As the schema reads it (defaults filled in).
    const expected = journalSchema.parse(state);
    expect(await readJournalFile(file)).toEqual(expected);
    // A new journal over the file (a restart) loads the same.
    expect(await createTransferJournal({ file, current: () => state }).load()).toEqual(expected);
  });

  it('a last line cut short by a crash is left out, and the lines before it count', async () => {
    const records = ['t1', 't2'].map(uploadRecord);
    const { marks, file, journal } = markedJournal(records);
    await journal.flush();
    records[0]!.state = 'finished';
    marks.transfers.add('t1');
    await journal.flush();
    // What a kill during the next append leaves: a line with no end.
    await appendFile(file, '{"t":[{"id":"t2","state":"fini');
    const loaded = await createTransferJournal({
      file,
      current: () => ({ version: 1, transfers: [], batches: [] }),
    }).load();
    expect(loaded.transfers.map((record) => [record.id, record.state])).toEqual([
      ['t1', 'finished'],
      ['t2', 'running'],
    ]);
    expect((await readdir(folder)).filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('a damaged line before the last is not skipped: the file is kept aside and the queue starts empty', async () => {
    const { marks, file, journal } = markedJournal([uploadRecord('t1')]);
    await journal.flush();
    await appendFile(file, '{"t":[{"id"\n');
    marks.transfers.add('t1');
    await journal.flush();
    const loaded = await createTransferJournal({
      file,
      current: () => ({ version: 1, transfers: [], batches: [] }),
    }).load();
    expect(loaded.transfers).toEqual([]);
    expect((await readdir(folder)).filter((name) => name.includes('corrupt'))).toHaveLength(1);
  });

  it('reads a journal of the first format (one JSON object) and writes it whole in the new one', async () => {
    const state: JournalData = { version: 1, transfers: [uploadRecord('t1')], batches: [] };
    const { file, journal, lines } = markedJournal();
    await writeFile(file, JSON.stringify(state));
    expect(await journal.load()).toEqual(journalSchema.parse(state));
    await journal.flush();
    expect(await lines()).toHaveLength(2);
  });

  it('writes the file whole again once the appended lines outgrow it, and when it was removed', async () => {
    const records = [uploadRecord('t1'), uploadRecord('t2')];
    const { marks, file, journal, lines } = markedJournal(records);
    await journal.flush();
    // Each change appends ~200 KiB: past 1 MiB of appended lines the next write is whole.
    const counts: number[] = [];
    for (let round = 0; round < 8; round++) {
      records[0]!.note = `${round} ${'x'.repeat(200 * 1024)}`;
      marks.transfers.add('t1');
      await journal.flush();
      counts.push((await lines()).length);
    }
    expect(counts).toEqual([3, 4, 5, 6, 7, 8, 2, 3]);
    expect((await readJournalFile(file)).transfers[0]!.note).toMatch(/^7 /);

    await rm(file);
    records[1]!.state = 'finished';
    marks.transfers.add('t2');
    await journal.flush();
    expect(await lines()).toHaveLength(2);
    expect((await readJournalFile(file)).transfers.map((record) => record.state)).toEqual(['running', 'finished']);
  });
});
