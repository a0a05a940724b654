import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, _electron } from '@playwright/test';

// Launches the built desktop app (run `npx electron-vite build` first) and checks the
// security boundary from the page's side: window.api is there, Node is not.

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Finds the Electron binary the way node_modules/electron/index.js does, without running
 * that file: requiring 'electron' from Node downloads the binary when it is missing, which
 * fails (slowly) where there is no internet. Returns the path, or why there is none.
 */
function findElectronBinary(): { path: string } | { missing: string } {
  const packageDir = join(projectRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { missing: `${pathFile} does not exist, so the binary was never downloaded` };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative || 'electron') : join(packageDir, 'dist', relative);
  return existsSync(binary) ? { path: binary } : { missing: `${binary} does not exist` };
}

const electron = findElectronBinary();
const skipReason =
  'missing' in electron
    ? `Electron binary not installed (no internet to download it): ${electron.missing}. ` +
      'The desktop glue is checked by type checks, the build and unit tests instead; web-mode specs cover the UI.'
    : undefined;
if (skipReason !== undefined) console.warn(`[e2e/electron.spec.ts] SKIPPED: ${skipReason}`);

test.describe('desktop app', () => {
  test.skip(skipReason !== undefined, skipReason ?? '');

  test('opens one window with window.api and without Node', async () => {
    if (!('path' in electron)) return;
    const app = await _electron.launch({
      executablePath: electron.path,
      args: ['out/main/index.js'],
      cwd: projectRoot,
      // No S3FM_* account: the test must not depend on a running S3 server.
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('S3FM_'))) as Record<
        string,
        string
      >,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');

      const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');
      expect(title).toContain('S3 File Manager');
      expect(page.url()).toMatch(/^app:\/\/renderer\//);

      // Runs in the page; globalThis instead of window because e2e code is compiled without DOM types.
      const globals = await page.evaluate(() => {
        const scope = globalThis as unknown as Record<string, unknown>;
        return { api: typeof scope.api, require: typeof scope.require, process: typeof scope.process };
      });
      expect(globals).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });

      // A round trip through the preload, the sender check and the IPC host.
      const info = await page.evaluate(async () => {
        const scope = globalThis as unknown as { api: { app: { info(input: object): Promise<unknown> } } };
        return scope.api.app.info({});
      });
      expect(info).toMatchObject({ ok: true, value: { name: 'S3 File Manager', mode: 'electron' } });
    } finally {
      await app.close();
    }
  });
});
