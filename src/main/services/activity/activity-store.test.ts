import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../shared/activity';
import { createActivityStore } from './activity-store';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function logFile(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 's3fm-activity-'));
  folders.push(folder);
  return join(folder, 'activity', 'activity.jsonl');
}

function entry(n: number, extra: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    id: `id-${n}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    accountId: 'a',
    accountName: 'Home',
    kind: 'upload',
    channel: 'transfers.upload',
    what: `Upload file-${n}.txt to photos`,
    bucket: 'photos',
    result: 'ok',
    resultText: 'Done.',
    ...extra,
  };
}

describe('activity store', () => {
  it('appends entries as JSON lines, and reads them back after a restart', async () => {
    const file = await logFile();
    const store = createActivityStore({ file });
    await store.put(entry(1));
    await store.put(entry(2));
    await store.flush();
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = createActivityStore({ file });
    expect((await again.all()).map((e) => e.id)).toEqual(['id-1', 'id-2']);
  });

  it('keeps the last line of an id: a long operation that ended replaces its running entry, in place', async () => {
    const file = await logFile();
    const store = createActivityStore({ file });
    await store.put(entry(1, { result: 'running', resultText: 'Running…', ref: 'op' }));
    await store.put(entry(2));
    await store.put(entry(1, { result: 'failed', resultText: 'Deleted 12 items; 1 failed.', ref: 'op' }));
    await store.flush();
    const again = createActivityStore({ file });
    expect((await again.all()).map((e) => [e.id, e.result])).toEqual([
      ['id-1', 'failed'],
      ['id-2', 'ok'],
    ]);
  });

  it('skips corrupt lines and a torn last line, and does not glue the next entry onto it', async () => {
    const file = await logFile();
    const first = createActivityStore({ file });
    await first.put(entry(1));
    await first.flush();
    await appendFile(file, 'not json\n{"id":"x","kind":"nonsense"}\n{"id":"id-9","at":"2026');
    const store = createActivityStore({ file });
    expect((await store.all()).map((e) => e.id)).toEqual(['id-1']);
    expect(store.skippedLines()).toBe(3);
    await store.put(entry(2));
    await store.flush();
    const again = createActivityStore({ file });
    expect((await again.all()).map((e) => e.id)).toEqual(['id-1', 'id-2']);
  });

  it('stays under its size bound, keeping the newest entries', async () => {
    const file = await logFile();
    const maxBytes = 8 * 1024;
    const store = createActivityStore({ file, maxBytes });
    for (let n = 0; n < 200; n += 1) void store.put(entry(n));
    await store.flush();
    const size = (await stat(file)).size;
    expect(size).toBeLessThanOrEqual(maxBytes);
    const kept = (await store.all()).map((e) => e.id);
    expect(kept.at(-1)).toBe('id-199');
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(200);
    // What memory holds is what the file holds.
    const again = createActivityStore({ file, maxBytes });
    expect((await again.all()).map((e) => e.id)).toEqual(kept);
  });

  it('trims a file that is over the bound when it is loaded (the bound was lowered)', async () => {
    const file = await logFile();
    const big = createActivityStore({ file });
    for (let n = 0; n < 100; n += 1) void big.put(entry(n));
    await big.flush();
    const store = createActivityStore({ file, maxBytes: 4096 });
    const kept = await store.all();
    expect(kept.at(-1)?.id).toBe('id-99');
    expect((await stat(file)).size).toBeLessThanOrEqual(4096);
  });

  it('clears the log', async () => {
    const file = await logFile();
    const store = createActivityStore({ file });
    await store.put(entry(1));
    expect(await store.clear()).toBe(1);
    expect(await store.all()).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('starts empty when the file cannot be parsed at all', async () => {
    const file = await logFile();
    const store0 = createActivityStore({ file });
    await store0.put(entry(1));
    await store0.flush();
    await writeFile(file, '\u0000\u0000garbage');
    const store = createActivityStore({ file });
    expect(await store.all()).toEqual([]);
  });
});
