import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { S3Client } from '@aws-sdk/client-s3';
import { startFaultProxy, type FaultProxy } from '../test/fault-proxy';
import { s3ClientFor, type RunningS3Info } from '../test/s3-fixtures';
import { webModeUrl } from '../scripts/web-mode-url';

/** A web-mode app started for one test. */
export interface WebApp {
  url: string;
  /** A fresh folder for this app's data. */
  dataDir: string;
}

/**
 * Starts `node out/main/web.js` with the given environment added to the runner's (a variable set
 * to undefined is left out: spawn skips undefined values) and resolves when it prints its URL.
 */
export async function startWebApp(env: NodeJS.ProcessEnv): Promise<WebApp & { stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 's3fm-e2e-'));
  // Web mode downloads only inside its downloads root (~/Downloads by default): the journeys
  // download into folders of their own under the temporary folder, so that is the root here.
  await writeFile(join(dataDir, 'transfers-settings.json'), JSON.stringify({ downloadsRoot: tmpdir() }));
  const child = spawn(process.execPath, ['out/main/web.js'], {
    env: { ...process.env, ...env, S3FM_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await webModeUrl(child, 20_000);
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A web-mode app whose launch account reaches MinIO through a fault-injecting proxy (to slow or break transfers). */
export interface ProxiedWebApp extends WebApp {
  proxy: FaultProxy;
}

/**
 * Fixtures: `s3` (the run's MinIO), `s3Client`, `webApp` (a web-mode app connected to MinIO
 * through a launch account), `freshWebApp` (a first start: no launch account, no settings), and
 * `proxiedWebApp` (like webApp, but through test/fault-proxy.ts, e.g. throttled).
 */
export const test = base.extend<{
  s3: RunningS3Info;
  s3Client: S3Client;
  webApp: WebApp;
  freshWebApp: WebApp;
  proxiedWebApp: ProxiedWebApp;
}>({
  // eslint-disable-next-line no-empty-pattern
  s3: async ({}, use) => {
    const info = process.env.E2E_S3;
    if (!info) throw new Error('E2E_S3 is not set: the e2e global setup did not run.');
    await use(JSON.parse(info) as RunningS3Info);
  },
  s3Client: async ({ s3 }, use) => {
    const client = s3ClientFor(s3);
    await use(client);
    client.destroy();
  },
  webApp: async ({ s3 }, use) => {
    const app = await startWebApp({
      S3FM_ENDPOINT: s3.endpoint,
      S3FM_ACCESS_KEY_ID: s3.accessKeyId,
      S3FM_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3FM_REGION: s3.region,
      S3FM_ACCOUNT_NAME: 'Local MinIO',
    });
    await use(app);
    await app.stop();
  },
  proxiedWebApp: async ({ s3 }, use) => {
    const proxy = await startFaultProxy({ target: s3.endpoint });
    try {
      const app = await startWebApp({
        S3FM_ENDPOINT: proxy.url,
        S3FM_ACCESS_KEY_ID: s3.accessKeyId,
        S3FM_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3FM_REGION: s3.region,
        S3FM_ACCOUNT_NAME: 'Local MinIO',
      });
      await use({ ...app, proxy });
      await app.stop();
    } finally {
      await proxy.stop();
    }
  },
  // eslint-disable-next-line no-empty-pattern
  freshWebApp: async ({}, use) => {
    // Unset, not just absent here: the runner's own environment must not give it a launch account.
    const app = await startWebApp({
      S3FM_ENDPOINT: undefined,
      S3FM_ACCESS_KEY_ID: undefined,
      S3FM_SECRET_ACCESS_KEY: undefined,
    });
    await use(app);
    await app.stop();
  },
});

export { expect } from '@playwright/test';
