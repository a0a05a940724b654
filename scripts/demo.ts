/**
 * `npm run demo`: a local S3 server with sample buckets, and the app connected to it, so a
 * newcomer sees the app working without a cloud account. MinIO where it is built (npm test
 * builds it), s3rver otherwise; the desktop app where Electron's binary is installed or can be
 * downloaded now (scripts/ensure-electron.ts, the same step as `npm start`), web mode otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { seedDemoData } from './demo-data';
import { ensureElectron } from './ensure-electron';
import { MINIO_MODULE_VERSION, minioBinaryPath, startMinio } from './minio';
import { startS3rver } from './s3rver';

async function main(): Promise<void> {
  // Before the S3 server starts, so that a download's progress or failure is not buried in its output.
  const electron = await ensureElectron();
  if (!electron.installed) console.error(`\n${electron.explanation}\n`);

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
  // ELECTRON_EXEC_PATH: electron-vite launches the binary ensureElectron checked (see scripts/start.ts).
  const app = electron.installed
    ? spawn('npx', ['electron-vite', 'preview', '--skipBuild'], {
        env: { ...env, ELECTRON_EXEC_PATH: electron.executable },
        stdio: 'inherit',
      })
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
