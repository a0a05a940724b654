/**
 * The benchmark empties MinIO's trash itself after each run (emptyTrash): against the MinIO the
 * tests build, a deleted object's bytes leave its drives at once, and what it still stores is
 * untouched.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { s3ClientFor } from '../../test/s3-fixtures';
import { startMinio, type RunningMinio } from '../minio';
import { emptyTrash, MINIO_TRASH } from './bucket-space';

const MiB = 1024 * 1024;
let minio: RunningMinio;

// A MinIO of its own, not the tests' shared one: only who starts a MinIO knows its drives' folders.
beforeAll(async () => {
  minio = await startMinio();
}, 120_000);

afterAll(async () => {
  await minio?.stop();
});

/** Bytes of every file under `dir` (0 when it does not exist). */
async function bytesUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}

const trashBytes = async () => {
  let total = 0;
  for (const drive of minio.drives) total += await bytesUnder(path.join(drive, MINIO_TRASH));
  return total;
};

test("a deleted object's bytes leave MinIO's drives when the trash is emptied; kept objects read back whole", async () => {
  const client = s3ClientFor(minio);
  try {
    const bucket = 'trash-test';
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const kept = Buffer.alloc(3 * MiB, 7);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept.bin', Body: kept }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone.bin', Body: Buffer.alloc(8 * MiB, 9) }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone.bin' }));

    // MinIO moved the deleted object's data (8 MiB and parity) into its drives' trash.
    expect(await trashBytes()).toBeGreaterThanOrEqual(8 * MiB);
    await emptyTrash(minio.drives);
    expect(await trashBytes()).toBe(0);

    const back = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept.bin' }));
    expect(Buffer.from(await back.Body!.transformToByteArray()).equals(kept)).toBe(true);
    // Emptying an empty trash, or drives without one, is no error.
    await emptyTrash(minio.drives);
    await emptyTrash([path.join(minio.drives[0]!, 'no-such-drive')]);
  } finally {
    client.destroy();
  }
}, 60_000);
