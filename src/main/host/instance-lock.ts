import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';

/** The lock file's name in the data folder. Not web-specific: any mode that runs the queue may take it. */
export const INSTANCE_LOCK_FILE = 'instance.lock';

/** What the lock file says about the instance holding it. Never the token: other local users may read folders. */
export interface InstanceLockHolder {
  pid: number;
  hostname: string;
  /** Where it can be reached, without the token (e.g. `http://127.0.0.1:5123/`), once it listens. */
  url: string | null;
  /** ISO 8601; with the pid, tells this holding apart from an earlier one of the same pid. */
  startedAt: string;
}

/** A held lock: set the address once it is known, release it on the way out. */
export interface InstanceLock {
  readonly path: string;
  readonly holder: InstanceLockHolder;
  /** Records where this instance listens, so a refused second start can say so. */
  setUrl(url: string): Promise<void>;
  /** Removes the lock if it is still ours. */
  release(): Promise<void>;
  /** The same, synchronously, for process.on('exit'). */
  releaseSync(): void;
}

/** Thrown when another live instance holds the data folder; the message says which and what to do. */
export class InstanceLockedError extends Error {
  constructor(
    readonly holder: InstanceLockHolder,
    readonly lockPath: string,
  ) {
    const where = holder.url ? ` It is at ${holder.url} (open the address it printed, with its token).` : '';
    const elsewhere = holder.hostname === osHostname() ? '' : ` on the computer ${JSON.stringify(holder.hostname)}`;
    super(
      `Another S3 File Manager (process ${holder.pid}${elsewhere}) is already using the data folder ` +
        `${JSON.stringify(join(lockPath, '..'))}, and two would resume the same transfers twice.${where} ` +
        `Stop it first, or give this one another folder with S3FM_DATA_DIR. If no such process runs, ` +
        `delete ${JSON.stringify(lockPath)}.`,
    );
    this.name = 'InstanceLockedError';
  }
}

/** How the lock tells a live holder from a dead one; replaceable in tests. */
export interface InstanceLockOptions {
  pid?: number;
  hostname?: string;
  /** True while the process runs; by default a signal-0 probe. */
  isAlive?: (pid: number) => boolean;
  now?: () => Date;
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): InstanceLockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<InstanceLockHolder>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string' || typeof value.startedAt !== 'string') {
      return null;
    }
    return {
      pid: value.pid,
      hostname: value.hostname,
      url: typeof value.url === 'string' ? value.url : null,
      startedAt: value.startedAt,
    };
  } catch {
    return null;
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Writes `text` to a new file beside `path` (mode 0600, synced), and returns its name. */
async function writeTemporary(path: string, text: string): Promise<string> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temporary;
}

const BREAKER_STALE_MS = 10_000;
const ATTEMPTS = 50;

/**
 * Takes the data folder for this process: `instance.lock` holds its pid, host name, start time
 * and (later) its address. The file is created whole and at once (written aside, then hard-linked
 * into place, which fails if one exists), so a reader never sees half a lock. A lock whose process
 * is gone (killed, crashed) on this computer is stale and taken over; the takeover itself is
 * serialized by a second file, so two starts that both find the same stale lock do not both win.
 * A live holder, or one on another computer (a shared folder, where its pid means nothing here),
 * refuses the start with InstanceLockedError.
 */
export async function acquireInstanceLock(dataDir: string, options: InstanceLockOptions = {}): Promise<InstanceLock> {
  const pid = options.pid ?? process.pid;
  const hostname = options.hostname ?? osHostname();
  const isAlive = options.isAlive ?? isProcessAlive;
  const now = options.now ?? (() => new Date());
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, INSTANCE_LOCK_FILE);
  const breaker = `${path}.takeover`;
  let holder: InstanceLockHolder = { pid, hostname, url: null, startedAt: now().toISOString() };
  const text = (): string => `${JSON.stringify(holder)}\n`;
  const isStale = (other: InstanceLockHolder | null): boolean =>
    other === null ||
    (other.hostname === hostname &&
      // Our own pid in someone else's lock means that process is gone (a container restarts with the same pid).
      (other.pid === pid || !isAlive(other.pid)));

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const temporary = await writeTemporary(path, text());
    try {
      await link(temporary, path);
      return lockHandle();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
    const found = await readText(path);
    if (found === null) continue;
    const other = parseHolder(found);
    if (!isStale(other)) throw new InstanceLockedError(other as InstanceLockHolder, path);
    await breakStaleLock(found);
  }
  throw new Error(`Could not take ${path}: it kept changing. Try again.`);

  /** Removes the lock if it still holds `staleText`, while holding the takeover file. */
  async function breakStaleLock(staleText: string): Promise<void> {
    try {
      await (await open(breaker, 'wx', 0o600)).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Someone else is taking over; a takeover file left by a crash in those few lines is old.
      const age = await stat(breaker).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > BREAKER_STALE_MS) await unlink(breaker).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
      return;
    }
    try {
      if ((await readText(path)) === staleText) await unlink(path);
    } finally {
      await unlink(breaker).catch(() => undefined);
    }
  }

  function ours(): boolean {
    try {
      return readFileSync(path, 'utf8') === text();
    } catch {
      return false;
    }
  }

  function lockHandle(): InstanceLock {
    return {
      path,
      get holder() {
        return holder;
      },
      async setUrl(url) {
        if (!ours()) return;
        holder = { ...holder, url };
        const temporary = await writeTemporary(path, text());
        await rename(temporary, path);
      },
      async release() {
        if ((await readText(path)) === text()) await unlink(path).catch(() => undefined);
      },
      releaseSync() {
        if (!ours()) return;
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      },
    };
  }
}
