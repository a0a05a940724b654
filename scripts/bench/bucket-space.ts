/**
 * Room for the transfers phase: what a prefix holds is deleted right after it is checked
 * (a 5 GiB object takes about 10 GiB of MinIO's four drives, with parity), and a big file is
 * only moved when its source, its download and MinIO's copy all fit.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, type ObjectIdentifier, type S3Client } from '@aws-sdk/client-s3';
import { abortUploads } from '../../test/s3-fixtures';

const MiB = 1024 * 1024;

/** Deletes every object under a prefix (1,000 a request) and aborts its unfinished multipart uploads. */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  await abortUploads(client, bucket, prefix);

  // Collect first, delete after: deleting while paginating would shift the listing.
  const keys: ObjectIdentifier[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push({ Key: object.Key });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  for (let i = 0; i < keys.length; i += 1000) {
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000), Quiet: true } }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) throw new Error(`${failed.length} objects under ${prefix} could not be deleted`);
  }
}

/**
 * Where MinIO moves a deleted object (or an aborted upload's parts) on each drive, to be
 * removed by a timer (`minioMetaTmpDeletedBucket` in MinIO's cmd/object-api-utils.go).
 */
export const MINIO_TRASH = path.join('.minio.sys', 'tmp', '.trash');

/**
 * Removes what MinIO's drives hold in their trash, as MinIO's own timer would (it removes each
 * entry whole): its first run comes 5 minutes after MinIO starts, whatever
 * MINIO_API_DELETE_CLEANUP_INTERVAL says, and until then every deleted object stays in memory
 * when the drives are on tmpfs. Each run then found less free memory than the one before
 * (2 GiB less a 1 GiB upload), and the kernel's reclaim made a 1 GiB download's system time
 * grow from 0.5 s to 4.9 s, whichever tool's turn it was. A missing trash is no error.
 */
export async function emptyTrash(drives: readonly string[]): Promise<void> {
  await Promise.all(
    drives.map(async (drive) => {
      const trash = path.join(drive, MINIO_TRASH);
      const entries = await readdir(trash).catch(() => [] as string[]);
      await Promise.all(entries.map((entry) => rm(path.join(trash, entry), { recursive: true, force: true })));
    }),
  );
}

/** Free bytes of the file system that holds `dir`. */
export function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** A folder on tmpfs for MinIO's drives when there is room: the benchmark measures the tools, not this disk. */
export function fastTmpDir(): string | undefined {
  try {
    return freeBytes('/dev/shm') > 3 * 1024 ** 3 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}

/** MemAvailable from /proc/meminfo, in bytes; null where it cannot be read. */
export function availableMemory(): number | null {
  try {
    const match = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Where the transfers phase keeps bytes: local files, and MinIO's drives (in RAM when on tmpfs). */
export interface Places {
  /** The folder on the disk for sources and downloads. */
  workDir: string;
  /** The folder that holds MinIO's drives. */
  drivesDir: string;
  /** The drives are on tmpfs: what MinIO stores takes RAM. */
  drivesInMemory: boolean;
  /** MinIO's drives (their trash is emptied after each run's objects are deleted: emptyTrash). */
  drives: readonly string[];
}

/**
 * Why moving `bytes` up and down would not fit, or null when it fits: the source and the
 * download on the work disk, about twice the bytes on MinIO's four drives (erasure parity),
 * and, with the drives in RAM, that much memory with 2 GiB to spare. `sourceWritten`: the
 * source file already exists (its room is taken).
 */
export function lackOfRoom(bytes: number, places: Places, sourceWritten: boolean): string | null {
  const spare = 512 * MiB;
  const gib = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GiB`;
  const onDisk = (sourceWritten ? 1 : 2) * bytes + spare;
  const work = freeBytes(places.workDir);
  if (work < onDisk) return `needs ${gib(onDisk)} free in ${places.workDir}, has ${gib(work)}`;
  const stored = Math.ceil(2.1 * bytes) + spare;
  const drives = freeBytes(places.drivesDir);
  if (drives < stored) return `needs ${gib(stored)} free for MinIO's drives in ${places.drivesDir}, has ${gib(drives)}`;
  const memory = availableMemory();
  const inMemory = stored + 2 * 1024 * MiB;
  if (places.drivesInMemory && memory !== null && memory < inMemory) {
    return `needs ${gib(inMemory)} of available memory (MinIO's drives are on tmpfs), has ${gib(memory)}`;
  }
  return null;
}

/**
 * Waits (up to `timeoutMs`) until moving `bytes` fits, saying so through `log` when it waits
 * (the trash of deleted objects is emptied after each run, see emptyTrash: what is waited for
 * is other work's memory or disk). The last reason it did not fit, or null.
 */
export async function waitForRoom(
  bytes: number,
  places: Places,
  sourceWritten: boolean,
  log: (line: string) => void,
  timeoutMs = 6 * 60_000,
): Promise<string | null> {
  const started = Date.now();
  let said = false;
  for (;;) {
    const lack = lackOfRoom(bytes, places, sourceWritten);
    if (lack === null || Date.now() > started + timeoutMs) {
      if (said)
        log(
          `    ${lack === null ? 'room again' : 'gave up waiting'} after ${Math.round((Date.now() - started) / 1000)} s`,
        );
      return lack;
    }
    if (!said && Date.now() > started + 5000) {
      log(`    waiting for room (${lack})…`);
      said = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
