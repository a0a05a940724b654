import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { keysIn, openBucket, toolbarButton } from './ui';

/**
 * Folder sync (issue #15): a local folder is compared with a bucket, the preview lists what
 * will be uploaded, replaced and deleted and why, a row unticked is left alone, the run goes
 * through the transfer queue, and a saved pair runs again from one click, showing its preview.
 * Web mode: the folder is inside the downloads root (the fixtures make it the temporary folder).
 */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function objectSha(client: S3Client, Bucket: string, Key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket, Key }));
  return sha256(await object.Body!.transformToByteArray());
}

async function scanInBothThemes(page: Page, selector: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await expectNoSeriousAxeViolations(page, selector);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousAxeViolations(page, selector);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('sync: preview, untick, run through the queue, and run a saved pair again', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  const local = await mkdtemp(join(tmpdir(), 's3fm-e2e-sync-'));
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'remote-only.txt', Body: 'only in the bucket' }));
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'shared.txt', Body: 'old bucket copy' }));
    await writeFile(join(local, 'a.txt'), 'a local file');
    await mkdir(join(local, 'sub'));
    await writeFile(join(local, 'sub', 'é.txt'), 'unicode name');
    await writeFile(join(local, 'shared.txt'), 'the newer local copy');
    const future = new Date(Date.now() + 3600_000);
    await utimes(join(local, 'shared.txt'), future, future);

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(webApp.url);
    await openBucket(page, Bucket);
    await toolbarButton(page, 'Sync').click();
    const dialog = page.getByRole('dialog', { name: 'Sync a folder' });
    await dialog.getByRole('textbox', { name: 'Local folder' }).fill(local);
    await dialog.getByRole('combobox', { name: 'Direction' }).selectOption('upload');
    await dialog.getByRole('combobox', { name: 'Mode' }).selectOption('mirror');
    await dialog.getByRole('checkbox', { name: 'Delete what is not in the source' }).check();
    await dialog.getByRole('textbox', { name: 'Pair name' }).fill('Notes');
    await dialog.getByRole('button', { name: 'Save pair' }).click();
    await expect(dialog.getByRole('status')).toContainText('Saved “Notes”.');
    await expect(dialog.getByRole('button', { name: 'Run Notes' })).toBeVisible();
    await scanInBothThemes(page, '[role="dialog"]');

    await dialog.getByRole('button', { name: 'Compare' }).click();
    await expect(dialog.getByText('2 to upload', { exact: false })).toBeVisible();
    await expect(dialog.getByRole('status').first()).toContainText('1 to replace');
    await expect(dialog.getByRole('status').first()).toContainText('1 to delete');
    const table = dialog.getByRole('table', { name: 'What the sync will do' });
    const rowFor = (path: string) => table.getByRole('row').filter({ hasText: path });
    await expect(rowFor('remote-only.txt')).toContainText('Not in the local folder.');
    await expect(rowFor('shared.txt')).toContainText('Different, and newer in the local folder.');
    await expect(rowFor('sub/é.txt')).toContainText('New: only in the local folder.');
    await scanInBothThemes(page, '[role="dialog"]');

    // Untick the delete and one upload: both are left as they are.
    await dialog.getByRole('checkbox', { name: 'Run: Delete remote-only.txt' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'Run: Upload a.txt' }).uncheck();
    await dialog.getByRole('button', { name: 'Run sync' }).click();
    await expect(dialog.getByRole('status')).toContainText('Sync started: 2 files to copy');
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    await expect
      .poll(() => keysIn(s3Client, Bucket), { timeout: 30_000 })
      .toEqual(['remote-only.txt', 'shared.txt', 'sub/é.txt']);
    for (const path of ['shared.txt', 'sub/é.txt']) {
      await expect
        .poll(async () => objectSha(s3Client, Bucket, path), { timeout: 30_000 })
        .toBe(sha256(await readFile(join(local, ...path.split('/')))));
    }

    // The saved pair runs again from one click, and its preview shows what is left.
    await toolbarButton(page, 'Sync').click();
    await dialog.getByRole('button', { name: 'Run Notes' }).click();
    await expect(table).toBeVisible();
    await expect(dialog.getByRole('status').first()).toContainText('1 to upload');
    await expect(dialog.getByRole('status').first()).toContainText('1 to delete');
    await expect(dialog.getByRole('status').first()).toContainText('2 the same');
    await expect(rowFor('a.txt')).toContainText('Upload');
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Remove Notes' }).click();
    await expect(dialog.getByRole('button', { name: 'Run Notes' })).toHaveCount(0);
  } finally {
    await rm(local, { recursive: true, force: true });
    await bucket.cleanup();
  }
});
