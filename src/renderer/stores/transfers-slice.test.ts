import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListingPage } from '../../shared/objects';
import type { Result } from '../../shared/result';
import type { TransferSnapshot } from '../../shared/transfers';
import type { SpoolPut } from '../bridge/spool-client';
import { quietBrowserApi } from '../test-support/quiet-api';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';
import { batchToast, sendToSpool, type LocalFile } from './transfers-slice';

const spoolId = '0b9a4d52-7c8e-4a43-9a55-0d3f3c2b1e10';
const here = { accountId: 'local', bucket: 'photos', prefix: '2024/' };

const snapshot = (fields: Partial<TransferSnapshot> = {}): TransferSnapshot => ({
  id: 't1',
  batchId: 'b1',
  direction: 'upload',
  accountId: 'local',
  bucket: 'photos',
  key: '2024/a.jpg',
  localPath: '/tmp/a.jpg',
  name: 'a.jpg',
  state: 'running',
  bytesTotal: 100,
  bytesDone: 10,
  bytesPerSecond: 50,
  secondsLeft: 2,
  retries: 0,
  error: null,
  note: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  ...fields,
});

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A fake transfers API that records every call; answers can be changed per test. */
function fakeTransfers() {
  const calls: Array<[string, unknown]> = [];
  let changed: ((change: { transfers: TransferSnapshot[]; removed: string[] }) => void) | undefined;
  let finished: ((outcome: unknown) => void) | undefined;
  const answers = {
    list: ok<TransferSnapshot[]>([]) as Result<TransferSnapshot[]>,
    openSpool: ok({ spoolId }) as Result<{ spoolId: string }>,
    uploadConflicts: ok({ existing: [] as string[], total: 0 }) as Result<{ existing: string[]; total: number }>,
    upload: ok({ batchId: 'b1', count: 2 }) as Result<{ batchId: string; count: number }>,
    pause: ok({ paused: 1 }) as Result<unknown>,
  };
  const record =
    (name: keyof typeof answers | string) =>
    async (input: unknown): Promise<Result<unknown>> => {
      calls.push([name, input]);
      return (answers as Record<string, Result<unknown>>)[name] ?? ok({});
    };
  const transfers = {
    list: record('list'),
    openSpool: record('openSpool'),
    uploadConflicts: record('uploadConflicts'),
    upload: record('upload'),
    download: record('download'),
    pause: record('pause'),
    resume: record('resume'),
    cancel: record('cancel'),
    retry: record('retry'),
    clearFinished: record('clearFinished'),
    reveal: record('reveal'),
    onChanged: (listener: typeof changed) => {
      changed = listener;
      return () => undefined;
    },
    onBatchFinished: (listener: typeof finished) => {
      finished = listener;
      return () => undefined;
    },
  };
  return {
    transfers,
    calls,
    answers,
    emit: (change: { transfers: TransferSnapshot[]; removed: string[] }) => changed?.(change),
    finish: (outcome: unknown) => finished?.(outcome),
    callsTo: (name: string) => calls.filter(([n]) => n === name).map(([, input]) => input),
  };
}

/** A spool sender that keeps each file's text; `hold` keeps requests open until released. */
function fakeSpool(options: { hold?: boolean; failOn?: string } = {}) {
  const received = new Map<string, string>();
  const waiting: Array<() => void> = [];
  const send = async (put: SpoolPut): Promise<Result<void>> => {
    if (options.hold) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        put.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      if (put.signal.aborted) return { ok: false, error: { code: 'cancelled', message: 'Cancelled.' } };
    }
    if (put.relativePath === options.failOn) {
      return { ok: false, error: { code: 'invalid-input', message: 'The path is not valid.' } };
    }
    put.onProgress(put.body.size);
    received.set(`${put.spoolId}/${put.relativePath}`, await put.body.text());
    return { ok: true, value: undefined };
  };
  return { send, received, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

function setup(spool = fakeSpool(), listing: ListingPage = { folders: [], files: [], nextToken: null }) {
  const fake = fakeTransfers();
  const listed: unknown[] = [];
  const api = {
    ...quietBrowserApi(),
    objects: {
      list: async (input: unknown) => {
        listed.push(input);
        return ok(listing);
      },
      onChanged: () => () => undefined,
    },
    transfers: fake.transfers,
  } as unknown as StoreDependencies['api'];
  const deps = { api, spoolSender: spool.send, applyIntervalMs: 100 };
  return { store: createAppStore(deps), fake, spool, listed };
}

const file = (relativePath: string, text: string): LocalFile => ({ relativePath, file: new Blob([text]) });

afterEach(() => {
  vi.useRealTimers();
});

describe('the transfers slice: following the queue', () => {
  it('loads the queue at start, then applies changes and removals by id', async () => {
    const { store, fake } = setup();
    fake.answers.list = ok([snapshot({ id: 'a' }), snapshot({ id: 'b', state: 'queued' })]);
    await tick();
    expect(fake.callsTo('list')).toEqual([{}]);
    expect([...store.getState().transfers.keys()]).toEqual(['a', 'b']);
    expect(store.getState().transfersStatus).toBe('ready');

    fake.emit({ transfers: [snapshot({ id: 'b', state: 'running', bytesDone: 50 })], removed: ['a'] });
    const transfers = store.getState().transfers;
    expect([...transfers.keys()]).toEqual(['b']);
    expect(transfers.get('b')).toMatchObject({ state: 'running', bytesDone: 50 });
  });

  it('applies a burst of events at most once per interval, the newest snapshot winning', async () => {
    vi.useFakeTimers();
    const { store, fake } = setup();
    await vi.advanceTimersByTimeAsync(0);
    let renders = 0;
    store.subscribe((state, previous) => {
      if (state.transfers !== previous.transfers) renders++;
    });
    fake.emit({ transfers: [snapshot({ bytesDone: 1 })], removed: [] });
    expect(renders).toBe(1);
    for (let i = 2; i <= 50; i++) fake.emit({ transfers: [snapshot({ bytesDone: i })], removed: [] });
    expect(renders).toBe(1);
    expect(store.getState().transfers.get('t1')?.bytesDone).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(renders).toBe(2);
    expect(store.getState().transfers.get('t1')?.bytesDone).toBe(50);
  });

  it('shows why the queue could not be loaded', async () => {
    const { store, fake } = setup();
    fake.answers.list = { ok: false, error: { code: 'not-supported', message: 'Not built yet.' } };
    await store.getState().loadTransfers();
    expect(store.getState().transfersStatus).toBe('error');
    expect(store.getState().transfersError?.message).toBe('Not built yet.');
  });

  it('says in a toast how a batch ended', async () => {
    const { store, fake } = setup();
    fake.finish({
      batchId: 'b1',
      direction: 'upload',
      finished: 11,
      skipped: 0,
      failed: 1,
      cancelled: 0,
      summary: 'Uploaded 11 files to photos/2024/ (1 failed).',
    });
    expect(store.getState().notifications.map((n) => [n.kind, n.message])).toEqual([
      ['error', 'Uploaded 11 files to photos/2024/ (1 failed).'],
    ]);
    expect(
      batchToast({
        batchId: 'b',
        direction: 'download',
        finished: 2,
        skipped: 0,
        failed: 0,
        cancelled: 0,
        summary: 'x',
      }).kind,
    ).toBe('success');
  });

  it('pauses, resumes, cancels and retries by id, and says so when main refuses', async () => {
    const { store, fake } = setup();
    await store.getState().pauseTransfers(['t1']);
    await store.getState().pauseTransfers();
    await store.getState().resumeTransfers(['t1']);
    await store.getState().cancelTransfers(['t1']);
    await store.getState().retryTransfers(['t1']);
    expect(fake.callsTo('pause')).toEqual([{ ids: ['t1'] }, {}]);
    expect(fake.callsTo('resume')).toEqual([{ ids: ['t1'] }]);
    expect(fake.callsTo('cancel')).toEqual([{ ids: ['t1'] }]);
    expect(fake.callsTo('retry')).toEqual([{ ids: ['t1'] }]);
    fake.answers.pause = { ok: false, error: { code: 'internal', message: 'Broken.' } };
    await store.getState().pauseTransfers();
    expect(store.getState().notifications.at(-1)).toMatchObject({ kind: 'error', message: 'Could not pause: Broken.' });
  });

  it("acts on a whole batch from its row: each action goes to the batch's transfers it applies to", async () => {
    const { store, fake } = setup();
    fake.answers.list = ok([
      snapshot({ id: 'run', batchId: 'drop', state: 'running' }),
      snapshot({ id: 'wait', batchId: 'drop', state: 'queued' }),
      snapshot({ id: 'held', batchId: 'drop', state: 'paused' }),
      snapshot({ id: 'bad', batchId: 'drop', state: 'failed' }),
      snapshot({ id: 'done', batchId: 'drop', state: 'finished' }),
      snapshot({ id: 'gone', batchId: 'drop', state: 'cancelled' }),
      snapshot({ id: 'other', batchId: 'elsewhere', state: 'running' }),
    ]);
    await tick();
    await store.getState().actOnBatch('drop', 'pause');
    await store.getState().actOnBatch('drop', 'resume');
    await store.getState().actOnBatch('drop', 'retry');
    await store.getState().actOnBatch('drop', 'cancel');
    expect(fake.callsTo('pause')).toEqual([{ ids: ['run', 'wait'] }]);
    expect(fake.callsTo('resume')).toEqual([{ ids: ['held'] }]);
    expect(fake.callsTo('retry')).toEqual([{ ids: ['bad', 'gone'] }]);
    // A finished, failed or cancelled file is never cancelled (and so never counted cancelled).
    expect(fake.callsTo('cancel')).toEqual([{ ids: ['run', 'wait', 'held'] }]);
    await store.getState().actOnBatch('nothing-here', 'cancel');
    expect(fake.callsTo('cancel')).toHaveLength(1);
  });

  it('clears finished transfers and ended operations together', async () => {
    const { store, fake } = setup();
    store.getState().receiveOutcome({
      operationId: 'op',
      kind: 'delete',
      state: 'finished',
      done: 1,
      failures: [],
      failedCount: 0,
      summary: 'Deleted 1 object.',
    });
    expect(store.getState().operations).toHaveLength(1);
    await store.getState().clearFinishedTransfers();
    expect(store.getState().operations).toEqual([]);
    expect(fake.callsTo('clearFinished')).toEqual([{}]);
  });

  it('goes to an uploaded object: opens its folder and selects it', async () => {
    const listing: ListingPage = {
      folders: [],
      files: [
        {
          kind: 'file',
          key: '2024/a.jpg',
          name: 'a.jpg',
          size: 100,
          lastModified: null,
          storageClass: null,
          etag: null,
        },
      ],
      nextToken: null,
    };
    const { store, fake } = setup(fakeSpool(), listing);
    fake.emit({ transfers: [snapshot({ state: 'finished' })], removed: [] });
    store.getState().goToTransfer('t1');
    expect(store.getState().selection).toEqual({
      kind: 'folder',
      accountId: 'local',
      bucket: 'photos',
      prefix: '2024/',
    });
    await vi.waitFor(() => expect([...store.getState().listSelection.selected]).toEqual(['2024/a.jpg']));
  });
});

describe('the transfers slice: uploads', () => {
  it('in web mode sends the files into a spool, then queues the spool', async () => {
    const { store, fake, spool } = setup();
    const options = { acl: 'public-read' as const, metadata: { team: 'blue' }, encryption: { mode: 'none' as const } };
    await store
      .getState()
      .uploadPicked(here, { kind: 'files', files: [file('a.txt', 'alpha'), file('album/b.txt', 'beta')] }, options);
    expect(fake.callsTo('openSpool')).toEqual([{}]);
    expect(Object.fromEntries(spool.received)).toEqual({
      [`${spoolId}/a.txt`]: 'alpha',
      [`${spoolId}/album/b.txt`]: 'beta',
    });
    const source = { kind: 'spool', spoolId };
    expect(fake.callsTo('uploadConflicts')).toEqual([
      { accountId: 'local', bucket: 'photos', prefix: '2024/', source },
    ]);
    expect(fake.callsTo('upload')).toEqual([
      { accountId: 'local', bucket: 'photos', prefix: '2024/', source, onConflict: 'replace', options },
    ]);
    expect(store.getState().uploadFlow).toBeNull();
  });

  it('in Electron queues the paths themselves, without a spool', async () => {
    const { store, fake } = setup();
    await store.getState().uploadPicked(here, { kind: 'paths', paths: ['/home/me/album', '/home/me/a.txt'] });
    expect(fake.callsTo('openSpool')).toEqual([]);
    expect(fake.callsTo('upload')).toMatchObject([
      { source: { kind: 'paths', paths: ['/home/me/album', '/home/me/a.txt'] }, onConflict: 'replace' },
    ]);
  });

  it('asks when names exist, and queues with the answer', async () => {
    const { store, fake } = setup();
    fake.answers.uploadConflicts = ok({ existing: ['2024/a.txt'], total: 2 });
    await store.getState().uploadPicked(here, { kind: 'files', files: [file('a.txt', 'a'), file('b.txt', 'b')] });
    expect(store.getState().uploadFlow).toEqual({
      step: 'conflicts',
      location: here,
      existing: ['2024/a.txt'],
      total: 2,
      queueing: false,
    });
    expect(fake.callsTo('upload')).toEqual([]);
    await store.getState().resolveUploadConflicts('skip');
    expect(fake.callsTo('upload')).toMatchObject([{ onConflict: 'skip', source: { kind: 'spool', spoolId } }]);
    expect(store.getState().uploadFlow).toBeNull();
  });

  it('shows "Preparing n of m" while files are sent, and Cancel stops before anything is queued', async () => {
    const spool = fakeSpool({ hold: true });
    const { store, fake } = setup(spool);
    const files = [file('a.txt', 'a'), file('b.txt', 'bb'), file('c.txt', 'ccc'), file('d.txt', 'dddd')];
    const done = store.getState().uploadPicked(here, { kind: 'files', files }, undefined, 'picker');
    await vi.waitFor(() => expect(store.getState().uploadFlow?.step).toBe('preparing'));
    expect(store.getState().uploadFlow).toMatchObject({ done: 0, total: 4, bytesTotal: 10 });
    store.getState().cancelUploadFlow();
    await done;
    expect(store.getState().uploadFlow).toBeNull();
    expect(fake.callsTo('uploadConflicts')).toEqual([]);
    expect(fake.callsTo('upload')).toEqual([]);
    expect(spool.received.size).toBe(0);
  });

  it('names the file that could not be sent, and queues nothing', async () => {
    const { store, fake } = setup(fakeSpool({ failOn: 'bad/b.txt' }));
    await store.getState().uploadPicked(here, { kind: 'files', files: [file('a.txt', 'a'), file('bad/b.txt', 'b')] });
    expect(store.getState().uploadFlow).toMatchObject({
      step: 'failed',
      error: { code: 'invalid-input', message: '“bad/b.txt” could not be prepared: The path is not valid.' },
    });
    expect(fake.callsTo('upload')).toEqual([]);
  });

  it('keeps the dialog open with main’s reason when queueing fails', async () => {
    const { store, fake } = setup();
    fake.answers.upload = { ok: false, error: { code: 'access-denied', message: 'Denied.' } };
    await store.getState().uploadPicked(here, { kind: 'paths', paths: ['/a'] });
    expect(store.getState().uploadFlow).toMatchObject({ step: 'failed', error: { message: 'Denied.' } });
  });

  it('says there is nothing to upload for an empty drop', async () => {
    const { store, fake } = setup();
    await store.getState().uploadPicked(here, { kind: 'files', files: [] });
    expect(fake.calls.filter(([name]) => name !== 'list')).toEqual([]);
    expect(store.getState().notifications.at(-1)?.message).toMatch(/Nothing to upload/);
  });

  it('opens the picker and the download dialog on request', () => {
    const { store } = setup();
    store.getState().requestUpload(here);
    expect(store.getState().uploadFlow).toEqual({ step: 'choose', location: here });
    store.getState().requestDownload(here, ['2024/a.jpg', '2024/album/']);
    expect(store.getState().transferDialog).toEqual({
      kind: 'download',
      location: here,
      keys: ['2024/a.jpg', '2024/album/'],
    });
  });
});

describe('sendToSpool', () => {
  it('sends a few files at a time and reports files and bytes done', async () => {
    let inFlight = 0;
    let most = 0;
    const progress: Array<{ done: number; bytesDone: number }> = [];
    const files = Array.from({ length: 7 }, (_, i) => file(`f${i}.txt`, 'x'.repeat(i + 1)));
    const result = await sendToSpool(
      async (put) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        put.onProgress(put.body.size);
        inFlight--;
        return { ok: true, value: undefined };
      },
      spoolId,
      files,
      new AbortController().signal,
      (p) => progress.push(p),
      3,
    );
    expect(result.ok).toBe(true);
    expect(most).toBe(3);
    expect(progress.at(-1)).toEqual({ done: 7, bytesDone: 28 });
  });
});
