import { existsSync } from 'node:fs';
import { MINIO_MODULE_VERSION, startMinio } from '../scripts/minio';

/**
 * One real MinIO for the e2e run, shared through E2E_S3 (JSON); each test starts its own
 * web-mode app (e2e/fixtures.ts) so tests do not share app state.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync('out/main/web.js') || !existsSync('out/renderer/index.html')) {
    throw new Error('The app is not built: run `npx electron-vite build` (npm test does it) before the e2e tests.');
  }
  const { stop, ...info } = await startMinio();
  console.log(`S3 server for e2e tests: MinIO ${MINIO_MODULE_VERSION} at ${info.endpoint}`);
  process.env.E2E_S3 = JSON.stringify(info);
  return stop;
}
