import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { test, expect, _electron, type ElectronApplication, type Page } from '@playwright/test';
import { freshBucket, s3ClientFor, type FreshBucket, type RunningS3Info } from '../test/s3-fixtures';

// Launches the built desktop app (run `npx electron-vite build` first): the security boundary
// from the page's side (window.api is there, Node is not), then the journeys only the desktop
// app has (issue #14): adding an account, a file dropped from the OS (webUtils.getPathForFile),
// drag-out, the native folder picker and an s3:// link handed over by a second launch. Electron's
// binary cannot be downloaded where this project is developed, so they skip there, loudly; they
// run in .github/workflows/release.yml on Linux, macOS and Windows.

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

/** Electron's arguments: the built main process; as root (the release workflow's Debian container) Chromium needs --no-sandbox. */
const launchArgs = (...extra: string[]): string[] => [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  'out/main/index.js',
  ...extra,
];

test.describe('desktop app', () => {
  test.skip(skipReason !== undefined, skipReason ?? '');

  test('opens one window with window.api and without Node', async () => {
    if (!('path' in electron)) return;
    const app = await _electron.launch({
      executablePath: electron.path,
      args: launchArgs(),
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

/** The environment without any S3FM_* launch account, and with a data folder of its own. */
function appEnvironment(dataDir: string): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => !entry[0].startsWith('S3FM_') && entry[1] !== undefined,
  );
  return { ...Object.fromEntries(inherited), S3FM_DATA_DIR: dataDir };
}

test.describe('desktop journeys', () => {
  test.skip(skipReason !== undefined, skipReason ?? '');
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;
  let s3: RunningS3Info;
  let bucket: FreshBucket;

  test.beforeAll(async () => {
    if (!('path' in electron)) return;
    s3 = JSON.parse(process.env.E2E_S3 ?? '') as RunningS3Info;
    bucket = await freshBucket(s3);
    const client = s3ClientFor(s3);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'docs/readme.md', Body: 'read me' }));
    client.destroy();
    dataDir = await mkdtemp(join(tmpdir(), 's3fm-electron-'));
    app = await _electron.launch({
      executablePath: electron.path,
      args: launchArgs(),
      cwd: projectRoot,
      env: appEnvironment(dataDir),
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    await bucket?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('launches into one window and adds an account through the form', async () => {
    await expect(page.getByRole('button', { name: 'Add account' }).first()).toBeVisible();
    await page.getByRole('button', { name: 'Add account' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByLabel('Provider').selectOption({ label: 'MinIO' });
    await dialog.getByLabel('Name', { exact: true }).fill('Desktop MinIO');
    await dialog.getByLabel('Endpoint').fill(s3.endpoint);
    await dialog.getByLabel('Region').fill(s3.region);
    await dialog.getByLabel('Access key ID').fill(s3.accessKeyId);
    await dialog.getByLabel('Secret access key').fill(s3.secretAccessKey);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const sidebar = page.getByRole('navigation', { name: 'Accounts and buckets' });
    await sidebar.getByRole('treeitem', { name: bucket.name, exact: true }).click();
    await expect(page.getByRole('main', { name: 'Files' }).getByRole('heading', { name: bucket.name })).toBeVisible();
  });

  test('a file dropped from the OS is uploaded from its path (webUtils.getPathForFile)', async () => {
    const file = join(dataDir, 'dropped.txt');
    await writeFile(file, 'dropped from the desktop');
    // A File backed by the file on disk (as the OS hands one over), dropped on the file list.
    // e2e code has no DOM types: the page's globals are described as far as they are used.
    type PageScope = {
      document: { createElement(tag: string): { type: string }; body: { append(node: unknown): void } };
      DataTransfer: new () => { items: { add(file: unknown): void } };
      s3fmFiles: { pathForFile(file: unknown): string };
    };
    type FileInput = { files: ArrayLike<unknown> };
    const input = await page.evaluateHandle(() => {
      const scope = globalThis as unknown as PageScope;
      const element = scope.document.createElement('input');
      element.type = 'file';
      scope.document.body.append(element);
      return element;
    });
    await input.asElement()!.setInputFiles(file);
    const path = await page.evaluate(
      (element) =>
        (globalThis as unknown as PageScope).s3fmFiles.pathForFile((element as unknown as FileInput).files[0]),
      input,
    );
    expect(path).toBe(file);
    const dataTransfer = await page.evaluateHandle((element) => {
      const transfer = new (globalThis as unknown as PageScope).DataTransfer();
      transfer.items.add((element as unknown as FileInput).files[0]);
      return transfer;
    }, input);
    await page.getByRole('main', { name: 'Files' }).getByRole('grid').dispatchEvent('drop', { dataTransfer });
    const upload = page.getByRole('dialog', { name: /Upload/ });
    if (await upload.isVisible().catch(() => false)) await upload.getByRole('button', { name: /^Upload/ }).click();
    await expect(
      page.getByRole('main', { name: 'Files' }).getByRole('gridcell', { name: 'dropped.txt' }),
    ).toBeVisible();
  });

  test('drag-out hands the OS a downloaded file, and the native folder picker answers', async () => {
    const accountId = await page.evaluate(async () => {
      const scope = globalThis as unknown as {
        api: { accounts: { list(i: object): Promise<{ value: Array<{ id: string }> }> } };
      };
      const result = await scope.api.accounts.list({});
      return result.value[0]?.id ?? '';
    });
    const dragged = await page.evaluate(
      async ({ accountId, bucketName }) => {
        const scope = globalThis as unknown as { api: { transfers: { dragOut(i: object): Promise<unknown> } } };
        return scope.api.transfers.dragOut({ accountId, bucket: bucketName, keys: ['docs/readme.md'] });
      },
      { accountId, bucketName: bucket.name },
    );
    expect(dragged).toMatchObject({ ok: true, value: { files: 1 } });

    // The picker is Electron's dialog; the test answers for the person.
    await app.evaluate(({ dialog }, folder) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [folder] })) as typeof dialog.showOpenDialog;
    }, dataDir);
    const chosen = await page.evaluate(async () => {
      const scope = globalThis as unknown as { api: { transfers: { chooseFolder(i: object): Promise<unknown> } } };
      return scope.api.transfers.chooseFolder({});
    });
    expect(chosen).toEqual({ ok: true, value: { path: dataDir, supported: true } });
  });

  test('an s3:// link given to a second launch opens in the running window', async () => {
    if (!('path' in electron)) return;
    const second = spawn(electron.path, launchArgs(`s3://${bucket.name}/docs/`), {
      cwd: projectRoot,
      env: appEnvironment(dataDir),
      stdio: 'ignore',
    });
    // The second instance hands its arguments over and quits at once.
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);
    await expect(page.getByRole('main', { name: 'Files' }).getByRole('heading', { name: 'docs' })).toBeVisible();
    await expect(page.getByRole('main', { name: 'Files' }).getByRole('gridcell', { name: 'readme.md' })).toBeVisible();
  });
});
