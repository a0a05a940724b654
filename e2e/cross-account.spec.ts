import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { startMinio, type RunningS3 } from '../scripts/minio';
import { freshBucket, s3ClientFor, type FreshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { expectDialogClosed, filesOf, keysIn, openBucket, rowOf, sidebarOf } from './ui';

/**
 * Copy and move between accounts (issue #15): a second MinIO is added as an account through the
 * form; files and a folder of the launch account's bucket are copied, then moved, into a bucket
 * of the other account through "Copy to another account…" and "Move to another account…", with
 * progress in the transfers panel; what lands is checked byte for byte, and a move's source goes.
 */

let second: RunningS3;
let target: S3Client;

test.beforeAll(async () => {
  second = await startMinio();
  target = s3ClientFor(second);
});

test.afterAll(async () => {
  target?.destroy();
  await second?.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function bytesOf(client: S3Client, Bucket: string, Key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}

/** Scans the open dialog for serious accessibility violations in both colour schemes. */
async function scanInBothThemes(page: Page): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await expectNoSeriousAxeViolations(page, '[role="dialog"]');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousAxeViolations(page, '[role="dialog"]');
  await page.emulateMedia({ colorScheme: 'light' });
}

test('files and folders are copied, then moved, into a bucket of another account', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  test.setTimeout(120_000);
  let source: FreshBucket | undefined;
  let backup: FreshBucket | undefined;
  try {
    source = await freshBucket(s3);
    backup = await freshBucket(second);
    const big = randomBytes(20 * 1024 * 1024);
    await s3Client.send(
      new PutObjectCommand({
        Bucket: source.name,
        Key: 'reports/q1.txt',
        Body: 'first quarter',
        ContentType: 'text/plain',
        Metadata: { author: 'ana' },
      }),
    );
    await s3Client.send(new PutObjectCommand({ Bucket: source.name, Key: 'reports/raw/big.bin', Body: big }));
    await s3Client.send(new PutObjectCommand({ Bucket: source.name, Key: 'solo.txt', Body: 'move me' }));

    await page.goto(webApp.url);
    // The second service, added as a person would.
    await sidebarOf(page).getByRole('button', { name: 'Add account', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Add account' });
    await form.getByLabel('Provider').selectOption({ label: 'MinIO' });
    await form.getByLabel('Name', { exact: true }).fill('Backup MinIO');
    await form.getByLabel('Endpoint').fill(second.endpoint);
    await form.getByLabel('Region').fill(second.region);
    await form.getByLabel('Access key ID').fill(second.accessKeyId);
    await form.getByLabel('Secret access key').fill(second.secretAccessKey);
    await form.getByRole('button', { name: 'Save' }).click();
    await expectDialogClosed(form);
    await expect(sidebarOf(page).getByRole('treeitem', { name: backup.name, exact: true })).toBeVisible();

    await openBucket(page, source.name);
    await rowOf(page, 'reports').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy to another account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy to another account' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Account').selectOption({ label: 'Backup MinIO' });
    await dialog.getByLabel('Bucket').selectOption(backup.name);
    await dialog.getByRole('textbox', { name: 'Folder' }).fill('archive');
    await expect(dialog.getByLabel('If a name exists')).toHaveValue('keep-both');
    await scanInBothThemes(page);
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(dialog).toBeHidden();

    // Progress in the transfers panel, as one batch of two files.
    const panel = page.getByRole('region', { name: 'Transfers' });
    await expect(panel.getByText('2 of 2 files copied', { exact: false })).toBeVisible({ timeout: 60_000 });
    await expect
      .poll(() => keysIn(target, backup!.name), { timeout: 30_000 })
      .toEqual(['archive/reports/q1.txt', 'archive/reports/raw/big.bin']);
    expect(sha256(await bytesOf(target, backup.name, 'archive/reports/raw/big.bin'))).toBe(sha256(big));
    const head = await target.send(new HeadObjectCommand({ Bucket: backup.name, Key: 'archive/reports/q1.txt' }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toEqual({ author: 'ana' });
    // A copy keeps its sources.
    expect(await keysIn(s3Client, source.name)).toEqual(['reports/q1.txt', 'reports/raw/big.bin', 'solo.txt']);

    // A move: the source goes once its copy is verified, and the list shows it gone.
    await rowOf(page, 'solo.txt').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Move to another account…' }).click();
    const move = page.getByRole('dialog', { name: 'Move to another account' });
    await move.getByLabel('Account').selectOption({ label: 'Backup MinIO' });
    await move.getByLabel('Bucket').selectOption(backup.name);
    // The target's folders are offered: picking one fills the field.
    const folders = move.getByRole('group', { name: `Folders in s3://${backup.name}/`, exact: true });
    await folders.getByRole('button', { name: 'archive', exact: true }).click();
    await expect(move.getByRole('textbox', { name: 'Folder' })).toHaveValue('archive/');
    await expect(
      move.getByRole('group', { name: `Folders in s3://${backup.name}/archive/`, exact: true }),
    ).toBeVisible();
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(move).toBeHidden();
    await expect(rowOf(page, 'solo.txt')).toHaveCount(0, { timeout: 30_000 });
    expect((await bytesOf(target, backup.name, 'archive/solo.txt')).toString()).toBe('move me');
    expect(await keysIn(s3Client, source.name)).toEqual(['reports/q1.txt', 'reports/raw/big.bin']);
    await expect(filesOf(page)).toBeVisible();
  } finally {
    await source?.cleanup();
    await backup?.cleanup();
  }
});

test('with one account, the commands say to add another first', async ({ page, webApp, s3, s3Client }) => {
  const source = await freshBucket(s3);
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: source.name, Key: 'a.txt', Body: 'a' }));
    await page.goto(webApp.url);
    await openBucket(page, source.name);
    await rowOf(page, 'a.txt').click({ button: 'right' });
    const item = page.getByRole('menuitem', { name: 'Copy to another account…' });
    await expect(item).toHaveAttribute('aria-disabled', 'true');
  } finally {
    await source.cleanup();
  }
});
