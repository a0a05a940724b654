import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEventBus } from '../event-bus';
import { silentLogger } from '../logging/logger';
import { downloadRecords } from './download-plan';
import { defaultTransferSettings } from './transfer-settings-store';
import { createTransferQueue, type TransferExecutor } from './transfer-queue';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('transfer queue', () => {
  test("the last transfer's clean-up gets the journal at once, not after the journal's spacing", async () => {
    // In memory where there is one: the test is about the queue's waiting, not the disk's.
    dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 's3fm-queue-'));
    const waits: number[] = [];
    const executor: TransferExecutor = {
      run: async () => 'finished',
      discard: async () => null,
      // As a download placed with "keep both" does: its temporary name goes once the journal says it finished.
      async settled(_record, journaled) {
        const from = performance.now();
        await journaled;
        waits.push(performance.now() - from);
      },
      batchSettled: async () => undefined,
    };
    const bus = createEventBus();
    const queue = createTransferQueue({
      bus,
      logger: silentLogger,
      journalFile: join(dir, 'journal.json'),
      settings: () => defaultTransferSettings,
      executor,
      timing: { stallMs: 10_000, backoff: { baseMs: 10, capMs: 10 } },
      // Far longer than a write takes on a busy machine: a wait for the spacing cannot hide in noise.
      journalSpacingMs: 5_000,
    });
    const finished = new Promise<number>((resolve) =>
      bus.onAny((channel) => {
        if (channel === 'transfers.batchFinished') resolve(performance.now());
      }),
    );
    const records = downloadRecords(
      [{ key: 'a.txt', size: 1, relative: 'a.txt' }],
      { batchId: 'batch', accountId: 'account', bucket: 'bucket', targetDir: dir },
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
        destination: dir,
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
});
