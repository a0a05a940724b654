import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEventBus } from '../event-bus';
import { silentLogger } from '../logging/logger';
import { downloadRecords } from './download-plan';
import { defaultTransferSettings } from './transfer-settings-store';
import { readJournalFile } from './transfer-journal';
import {
  createTransferQueue,
  parallelLimits,
  type TransferExecutor,
  type TransferQueueOptions,
} from './transfer-queue';
import type { TransferRecord } from './transfer-record';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * A queue over `executor`, journaled in a new folder (`dir`; in memory where there is one: the
 * tests are about the queue, not the disk), with the default settings and quick retries unless
 * `more` says otherwise.
 */
async function queueInNewFolder(executor: TransferExecutor, more: Partial<TransferQueueOptions> = {}) {
  dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 's3fm-queue-'));
  return createTransferQueue({
    bus: createEventBus(),
    logger: silentLogger,
    journalFile: join(dir, 'journal.json'),
    settings: () => defaultTransferSettings,
    executor,
    timing: { stallMs: 60_000, backoff: { baseMs: 10, capMs: 10 } },
    ...more,
  });
}

describe('transfer queue', () => {
  test("the last transfer's clean-up gets the journal at once, not after the journal's spacing", async () => {
    const waits: number[] = [];
    const executor: TransferExecutor = {
      run: async () => 'finished',
      discard: async () => null,
      // As a download placed with "keep both" does: its temporary name goes once the journal says it finished.
      async settled(_record, journaled) {
        const from = performance.now();
        await journaled;
        waits.push(performance.now() - from);
        return false;
      },
      batchSettled: async () => undefined,
    };
    const bus = createEventBus();
    const queue = await queueInNewFolder(executor, {
      bus,
      // Far longer than a write takes on a busy machine: a wait for the spacing cannot hide in noise.
      journalSpacingMs: 5_000,
    });
    const folder = dir ?? '';
    const finished = new Promise<number>((resolve) =>
      bus.onAny((channel) => {
        if (channel === 'transfers.batchFinished') resolve(performance.now());
      }),
    );
    const records = downloadRecords(
      [{ key: 'a.txt', size: 1, relative: 'a.txt' }],
      { batchId: 'batch', accountId: 'account', bucket: 'bucket', targetDir: folder },
      { onConflict: 'keep-both' },
      { rules: 'posix', foldCase: false },
      new Date(),
    );
    const added = performance.now();
    await queue.add(
      {
        id: 'batch',
        direction: 'download',
        accountId: 'account',
        bucket: 'bucket',
        destination: folder,
        startedAt: new Date().toISOString(),
        announced: false,
      },
      records,
    );
    const announced = await finished;
    await queue.dispose();
    // The journal was written as the batch was added: the next regular write would wait 5 s.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThan(2_500);
    expect(announced - added).toBeLessThan(2_500);
  });

  test('the journal holds every record as the queue has it: what runners and clean-ups changed, and what was cleared', async () => {
    dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 's3fm-queue-'));
    const journalFile = join(dir, 'journal.json');
    const gate = () => {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { open, opened };
    };
    const slowMayChange = gate();
    const slowChanged = gate();
    const slowMayEnd = gate();
    const executor: TransferExecutor = {
      // Runners change their records' specs without telling the queue (as ranged downloads' chunks do).
      async run(record) {
        if (record.spec.kind !== 'download') throw new Error('a download was expected');
        record.spec.etag = `etag of ${record.key}`;
        record.spec.leftover = join(dir ?? '', `${record.id}.s3fm-part`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (record.key === 'slow.txt') {
          await slowMayChange.opened;
          record.spec.etag = 'changed while running';
          slowChanged.open();
          await slowMayEnd.opened;
        }
        if (record.key.startsWith('bad')) throw new Error('refused');
        return 'finished';
      },
      discard: async () => null,
      // As a download's clean-up does: the temporary name goes once the journal says finished.
      async settled(record, journaled) {
        await journaled;
        if (record.spec.kind !== 'download' || record.spec.leftover === undefined) return false;
        delete record.spec.leftover;
        return true;
      },
      batchSettled: async () => undefined,
    };
    const bus = createEventBus();
    const queueOver = (eventBus: ReturnType<typeof createEventBus>) =>
      createTransferQueue({
        bus: eventBus,
        logger: silentLogger,
        journalFile,
        settings: () => defaultTransferSettings,
        executor,
        timing: { stallMs: 10_000, backoff: { baseMs: 10, capMs: 10 } },
      });
    const queue = queueOver(bus);
    const finished = (batchId: string) =>
      new Promise<void>((resolve) =>
        bus.onAny((channel, payload) => {
          if (channel === 'transfers.batchFinished' && (payload as { batchId: string }).batchId === batchId) resolve();
        }),
      );
    const batchOf = (id: string, keys: string[]) => ({
      batch: {
        id,
        direction: 'download' as const,
        accountId: 'account',
        bucket: 'bucket',
        destination: dir ?? '',
        startedAt: new Date().toISOString(),
        announced: false,
      },
      records: downloadRecords(
        keys.map((key) => ({ key, size: 1, relative: key })),
        { batchId: id, accountId: 'account', bucket: 'bucket', targetDir: dir ?? '' },
        { onConflict: 'keep-both' },
        { rules: 'posix', foldCase: false },
        new Date(),
      ),
    });
    const first = batchOf('first', ['slow.txt', ...Array.from({ length: 40 }, (_, i) => `file-${i}.txt`), 'bad.txt']);
    const firstFinished = finished('first');
    await queue.add(first.batch, first.records);
    const onDisk = async (key: string) =>
      (await readJournalFile(journalFile)).transfers.find((record) => record.key === key);
    await expect.poll(async () => (await onDisk('file-39.txt'))?.state, { timeout: 5_000 }).toBe('finished');

    // A write made while one runs on (a second batch) holds what its runner changed since its last write.
    slowMayChange.open();
    await slowChanged.opened;
    const second = batchOf('second', ['later.txt']);
    const secondFinished = finished('second');
    await queue.add(second.batch, second.records);
    const slow = await onDisk('slow.txt');
    expect(slow?.spec.kind === 'download' && slow.spec.etag).toBe('changed while running');
    slowMayEnd.open();
    await Promise.all([firstFinished, secondFinished]);
    // Written as changes appended to one whole state (a header, the state, then a line per write), not whole each time.
    expect((await readFile(journalFile, 'utf8')).trimEnd().split('\n').length).toBeGreaterThan(4);

    // Every clean-up dropped its temporary name after the final state was written: written again.
    expect((await queue.records()).some((record) => record.spec.kind === 'download' && record.spec.leftover)).toBe(
      false,
    );
    await expect
      .poll(() => readJournalFile(journalFile), { timeout: 5_000 })
      .toEqual({ version: 1, transfers: await queue.records(), batches: [first.batch, second.batch] });

    // Clearing the finished ones leaves the failed one and its batch; a restart reads that back.
    expect(await queue.clearFinished()).toBe(42);
    await queue.dispose();
    const left = await readJournalFile(journalFile);
    expect(left.transfers.map((record) => [record.key, record.state])).toEqual([['bad.txt', 'failed']]);
    expect(left.batches.map((kept) => kept.id)).toEqual(['first']);
    const again = queueOver(createEventBus());
    expect(await again.records()).toEqual(await queue.records());
    await again.dispose();
  });
});

describe('how many small files run at once', () => {
  const settings = { ...defaultTransferSettings, filesInParallel: 3 };

  test('64 near the service, or when its round trip is not known yet', () => {
    expect(parallelLimits(settings).files).toBe(64);
    expect(parallelLimits(settings, 1).files).toBe(64);
    expect(parallelLimits(settings, 25).files).toBe(64);
  });

  test('more on a longer round trip, two and a half a millisecond of it, up to 256', () => {
    expect(parallelLimits(settings, 40).files).toBe(100);
    expect(parallelLimits(settings, 80).files).toBe(200);
    expect(parallelLimits(settings, 400).files).toBe(256);
  });

  test('four times files in parallel when that is more, and never over 64 MiB of small files together', () => {
    expect(parallelLimits({ ...settings, filesInParallel: 30 }, 20).files).toBe(120);
    expect(parallelLimits(settings, 400).smallBytes).toBe(64 * 1024 * 1024);
  });

  /**
   * A queue whose transfers each wait until let go (`letGo`, in the order they started) or
   * stopped, telling `onStart` of each as it starts; its journal in a folder of its own.
   */
  async function heldQueue(onStart: (record: TransferRecord) => void, more: Partial<TransferQueueOptions> = {}) {
    const waiting: Array<{ record: TransferRecord; resolve: () => void }> = [];
    const executor: TransferExecutor = {
      async run(record, control) {
        onStart(record);
        await new Promise<void>((resolve) => {
          waiting.push({ record, resolve });
          control.signal.addEventListener('abort', () => resolve());
        });
        return 'finished';
      },
      discard: async () => null,
      settled: async () => false,
      batchSettled: async () => undefined,
    };
    const bus = createEventBus();
    const queue = await queueInNewFolder(executor, { bus, settings: () => settings, ...more });
    const targetDir = dir ?? '';
    /** Queues a batch (named after its account) of `files` small downloads. */
    const addBatch = (accountId: string, files: number) =>
      queue.add(
        {
          id: accountId,
          direction: 'download',
          accountId,
          bucket: 'bucket',
          destination: targetDir,
          startedAt: new Date().toISOString(),
          announced: false,
        },
        downloadRecords(
          Array.from({ length: files }, (_, i) => ({
            key: `${accountId}-${i}`,
            size: 1,
            relative: `${accountId}-${i}`,
          })),
          { batchId: accountId, accountId, bucket: 'bucket', targetDir },
          { onConflict: 'keep-both' },
          { rules: 'posix', foldCase: false },
          new Date(),
        ),
      );
    /** Lets the longest-waiting transfer end; the record it ran. */
    const letGo = () => {
      const next = waiting.shift();
      next?.resolve();
      return next?.record;
    };
    return { bus, queue, addBatch, waiting, letGo };
  }

  test("a few start in each turn of the event loop, so the first ones' requests leave before the rest are ready", async () => {
    // A turn of the event loop, counted by a callback that sets itself again each turn.
    let turn = 0;
    let counting = true;
    const count = () => {
      turn += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const startedIn = new Map<number, number>();
    const { queue, addBatch, waiting } = await heldQueue(() => startedIn.set(turn, (startedIn.get(turn) ?? 0) + 1));
    await addBatch('account', 100);
    await expect.poll(() => waiting.length, { timeout: 5_000 }).toBe(64);
    counting = false;
    expect(Math.max(...startedIn.values())).toBe(8);
    expect(startedIn.size).toBeGreaterThanOrEqual(8);
    await queue.dispose();
  });

  test("each service's small files run to its own round trip's number, in the queue's order", async () => {
    const running = { far: 0, near: 0 };
    const most = { far: 0, near: 0 };
    const { bus, queue, addBatch, letGo } = await heldQueue(
      (record) => {
        const service = record.accountId as keyof typeof running;
        running[service] += 1;
        most[service] = Math.max(most[service], running[service]);
      },
      // One service 80 ms away (200 at once), one near (64 at once).
      { roundTripMs: (record) => (record.accountId === 'far' ? 80 : 1) },
    );
    const ended = new Set<string>();
    bus.onAny((channel, payload) => {
      if (channel === 'transfers.batchFinished') ended.add((payload as { batchId: string }).batchId);
    });
    await addBatch('far', 300);
    await addBatch('near', 100);
    await expect.poll(() => running.far, { timeout: 5_000 }).toBe(200);
    // Behind the far batch, the near one waits: at 200 running, its own 64 are taken.
    expect(running.near).toBe(0);
    // Then each is let go in turn, the queue starting the next ones as they end.
    while (ended.size < 2) {
      const record = letGo();
      if (record) running[record.accountId as keyof typeof running] -= 1;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await queue.dispose();
    expect(most).toEqual({ far: 200, near: 64 });
  });
});
