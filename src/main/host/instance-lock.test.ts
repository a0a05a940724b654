import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, INSTANCE_LOCK_FILE, InstanceLockedError, isProcessAlive } from './instance-lock';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 's3fm-lock-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const lockPath = () => join(dataDir, INSTANCE_LOCK_FILE);
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

describe('the data folder’s instance lock', () => {
  it('is taken by the first instance: a private file with its pid, host and, later, its address', async () => {
    const lock = await acquireInstanceLock(dataDir, { pid: 101, isAlive: alive([101]) });
    await lock.setUrl('http://127.0.0.1:5123/');
    const holder = JSON.parse(await readFile(lockPath(), 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: 101, url: 'http://127.0.0.1:5123/' });
    expect((await stat(lockPath())).mode & 0o777).toBe(0o600);
    await lock.release();
    await expect(stat(lockPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a second instance while the first runs, naming its pid and address', async () => {
    const first = await acquireInstanceLock(dataDir, { pid: 101, isAlive: alive([101, 202]) });
    await first.setUrl('http://127.0.0.1:5123/');
    const second = acquireInstanceLock(dataDir, { pid: 202, isAlive: alive([101, 202]) });
    await expect(second).rejects.toBeInstanceOf(InstanceLockedError);
    await expect(second).rejects.toThrow(/process 101\b.*It is at http:\/\/127\.0\.0\.1:5123\//s);
    await expect(second).rejects.toThrow(dataDir);
    // The refusal left the first one's lock as it was.
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: 101 });
  });

  it('takes over a lock whose process is gone (killed or crashed)', async () => {
    await acquireInstanceLock(dataDir, { pid: 101, isAlive: alive([101]) });
    // 101 died without releasing: its lock is stale.
    const next = await acquireInstanceLock(dataDir, { pid: 202, isAlive: alive([202]) });
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: 202, url: null });
    await next.release();
  });

  it('takes over a lock that names its own pid (a container restarts with the same pid)', async () => {
    await acquireInstanceLock(dataDir, { pid: 1, isAlive: () => true });
    const again = await acquireInstanceLock(dataDir, { pid: 1, isAlive: () => true });
    expect(again.holder.pid).toBe(1);
  });

  it('takes over a lock file it cannot read (not JSON, or missing fields)', async () => {
    await writeFile(lockPath(), 'garbage');
    await expect(acquireInstanceLock(dataDir, { pid: 202, isAlive: () => true })).resolves.toBeDefined();
  });

  it('refuses a lock held on another computer (a shared folder), where the pid cannot be checked', async () => {
    await acquireInstanceLock(dataDir, { pid: 101, hostname: 'other-host', isAlive: () => false });
    await expect(
      acquireInstanceLock(dataDir, { pid: 202, hostname: 'this-host', isAlive: () => false }),
    ).rejects.toThrow(/process 101 on the computer "other-host"/);
  });

  it('lets exactly one of many starts win over the same stale lock', async () => {
    await acquireInstanceLock(dataDir, { pid: 1000, isAlive: () => false });
    const contenders = Array.from({ length: 12 }, (_, i) => 2000 + i);
    const isAlive = alive(contenders);
    const results = await Promise.allSettled(contenders.map((pid) => acquireInstanceLock(dataDir, { pid, isAlive })));
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const r of refused) expect(r.reason).toBeInstanceOf(InstanceLockedError);
    const winner = (winners[0] as PromiseFulfilledResult<{ holder: { pid: number } }>).value.holder.pid;
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: winner });
  });

  it('is not released by an instance that no longer holds it', async () => {
    const first = await acquireInstanceLock(dataDir, { pid: 101, isAlive: () => false });
    await acquireInstanceLock(dataDir, { pid: 202, isAlive: alive([202]) });
    await first.release();
    first.releaseSync();
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: 202 });
  });

  it('tells live processes from dead ones', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(2 ** 22 + 12345)).toBe(false);
  });
});
