/**
 * Writes the README's screenshots: docs/screenshots/{main,narrow}-{light,dark}.png, the app at
 * 1280×800 (main) and 900×600 (narrow) in both colour schemes. Like `npm run demo` it starts a
 * fresh MinIO with the demo's sample buckets and the app in web mode connected to it; then
 * Debian's Chromium (through Playwright) opens a bucket, selects a file and takes each picture.
 *
 * `npm run screenshots` (a build, then this script).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { seedDemoServer } from './demo-data';
import { demoAppEnvironment } from './demo';
import { MINIO_MODULE_VERSION, startMinio } from './minio';
import { repoRoot } from './s3-servers/launcher';
import { webModeUrl } from './web-mode-url';

/** The pictures: name, window size. Each is taken in light and in dark. */
const shots = [
  { name: 'main', width: 1280, height: 800 },
  { name: 'narrow', width: 900, height: 600 },
] as const;

const outDir = path.join(repoRoot, 'docs', 'screenshots');

/** Starts web mode with the given environment; resolves with its URL and a stop function. */
async function startWebMode(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'out', 'main', 'web.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await webModeUrl(child, 20_000);
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
    },
  };
}

/** The scene every picture shows: the photos bucket, a summer folder, one file selected. */
async function setScene(page: Page): Promise<void> {
  const sidebar = page.getByRole('navigation', { name: 'Accounts and buckets' });
  const files = page.getByRole('main', { name: 'Files' });
  await sidebar.getByRole('treeitem', { name: 'demo-photos', exact: true }).click();
  await files.getByRole('gridcell', { name: '2025', exact: true }).dblclick();
  await files.getByRole('gridcell', { name: 'summer', exact: true }).dblclick();
  await files.getByRole('gridcell', { name: 'beach.png', exact: true }).click();
  // The details pane (collapsed in a narrow window) shows the selected file once its properties are read.
  const details = page.getByRole('complementary', { name: 'Details', exact: true });
  if (await details.isVisible()) await details.getByText('image/png').first().waitFor();
}

async function main(): Promise<void> {
  const executablePath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
  if (!existsSync(path.join(repoRoot, 'out', 'main', 'web.js'))) {
    throw new Error('The app is not built: run `npx electron-vite build` first.');
  }
  mkdirSync(outDir, { recursive: true });
  const s3 = await startMinio();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 's3fm-screenshots-'));
  let app: Awaited<ReturnType<typeof startWebMode>> | undefined;
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    console.log(`MinIO ${MINIO_MODULE_VERSION} at ${s3.endpoint}`);
    await seedDemoServer(s3);
    app = await startWebMode({
      ...demoAppEnvironment({ ...s3, version: MINIO_MODULE_VERSION }, 'minio'),
      S3FM_DATA_DIR: dataDir,
    });
    for (const shot of shots) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height }, colorScheme });
        await page.goto(app.url);
        await setScene(page);
        // Tooltips and focus rings of the clicks are not part of the picture.
        await page.mouse.move(shot.width - 2, shot.height - 2);
        const file = path.join(outDir, `${shot.name}-${colorScheme}.png`);
        await page.screenshot({ path: file });
        console.log(`wrote ${path.relative(repoRoot, file)}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await app?.stop();
    await s3.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
