/**
 * The MinIO of the benchmark's probes (node-floor.ts, range-read-floor.ts): its drives on tmpfs
 * where there is room, as `npm run bench` keeps them, stopped at the probe's clean-up; and the
 * rest of a probe's ground (startProbe).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3ClientFor } from '../../test/s3-fixtures';
import { startMinio, type RunningS3 } from '../minio';
import { fastTmpDir } from './bucket-space';
import { atCleanup } from './processes';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts a MinIO with its drives on tmpfs where there is room (see fastTmpDir); stopped by cleanupAll. */
export async function startProbeMinio(): Promise<RunningS3> {
  const savedTmp = process.env.TMPDIR;
  const fastTmp = fastTmpDir();
  if (fastTmp) process.env.TMPDIR = fastTmp;
  const minio = await startMinio().finally(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  atCleanup('MinIO', () => minio.stop());
  return minio;
}

/** What a probe works with: the benchmark's cache folder, a work folder of its own, its MinIO and a client. */
export interface ProbeGround {
  cacheDir: string;
  work: string;
  minio: RunningS3;
  client: S3Client;
}

/**
 * Sets up a probe (`name` names its work folder): the benchmark's cache folder (where the peer
 * tools are installed), a work folder on the disk, its MinIO (startProbeMinio) and a client,
 * with `bucket` made; all removed or stopped by cleanupAll.
 */
export async function startProbe(name: string, bucket: string): Promise<ProbeGround> {
  const cacheDir = path.join(repoRoot, '.cache', 'bench');
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), `s3fm-${name}-`));
  atCleanup('work folder', () => rmSync(work, { recursive: true, force: true }));
  const minio = await startProbeMinio();
  const client = s3ClientFor(minio);
  atCleanup('S3 client', () => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { cacheDir, work, minio, client };
}
