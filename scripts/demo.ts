/**
 * `npm run demo`: a local S3 server with sample buckets, and the app connected to it, so a
 * newcomer sees the app working without a cloud account. MinIO where it is built (npm test
 * builds it), s3rver otherwise; the desktop app where Electron's binary exists, web mode otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { seedDemoData } from './demo-data';
import { MINIO_MODULE_VERSION, minioBinaryPath, startMinio } from './minio';
import { startS3rver } from './s3rver';

/** True where Electron's binary was downloaded (it cannot be on machines without internet). */
function electronBinaryExists(): boolean {
  const pathFile = 'node_modules/electron/path.txt';
  return existsSync(pathFile) && existsSync(`node_modules/electron/dist/${readFileSync(pathFile, 'utf8').trim()}`);
}

async function main(): Promise<void> {
  const useMinio = existsSync(minioBinaryPath());
  const s3 = useMinio ? await startMinio() : await startS3rver();
  console.log(
    useMinio
      ? `Demo S3 server: MinIO ${MINIO_MODULE_VERSION} at ${s3.endpoint}`
      : `Demo S3 server: s3rver at ${s3.endpoint} (MinIO is not built yet; npm test builds it)`,
  );
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await seedDemoData(client);
  client.destroy();

  const env = {
    ...process.env,
    S3FM_ENDPOINT: s3.endpoint,
    S3FM_ACCESS_KEY_ID: s3.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3FM_REGION: s3.region,
    S3FM_ACCOUNT_NAME: useMinio ? 'Demo (MinIO)' : 'Demo (s3rver)',
  };
  const desktop = electronBinaryExists();
  if (!desktop) console.log('Electron binary not installed: starting web mode. Open the URL below in a browser.');
  const app = desktop
    ? spawn('npx', ['electron-vite', 'preview', '--skipBuild'], { env, stdio: 'inherit' })
    : spawn(process.execPath, ['out/main/web.js'], { env, stdio: 'inherit' });

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (app.exitCode === null && app.pid !== undefined) process.kill(app.pid, 'SIGTERM');
    await s3.stop();
    process.exit(0);
  };
  app.once('exit', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main().catch((error: unknown) => {
  console.error('The demo could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
