/**
 * The MinIO of the benchmark's probes (node-floor.ts, range-read-floor.ts): its drives on tmpfs
 * where there is room, as `npm run bench` keeps them, stopped at the probe's clean-up.
 */
import { startMinio, type RunningS3 } from '../minio';
import { fastTmpDir } from './bucket-space';
import { atCleanup } from './processes';

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
