import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { TEST_KMS_KEY_ID } from '../scripts/minio';
import { freshBucket, type RunningS3Info } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { expectDialogClosed, filesOf, keysIn, openBucket, rowOf, sidebarOf, toolbarButton } from './ui';

/**
 * What a service lacks shows as a disabled choice that says why, never as a failure: the test
 * MinIO behind accounts of different provider presets (MinIO keeps no ACLs; "R2" takes no POST
 * forms and no SSE-KMS), and an upload that could only be checked by size.
 */

/** Adds an account for the test MinIO through the account form, under a provider preset. */
async function addAccount(page: Page, s3: RunningS3Info, provider: string, name: string): Promise<void> {
  await sidebarOf(page).getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByLabel('Provider').selectOption({ label: provider });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Endpoint').fill(s3.endpoint);
  await dialog.getByLabel('Region').fill(s3.region);
  await dialog.getByLabel('Access key ID').fill(s3.accessKeyId);
  await dialog.getByLabel('Secret access key').fill(s3.secretAccessKey);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expectDialogClosed(dialog);
  await expect(sidebarOf(page).getByRole('treeitem', { name })).toBeVisible();
}

/** Opens the upload dialog for the folder shown, with its options. */
async function openUploadOptions(page: Page): Promise<Locator> {
  await filesOf(page)
    .getByRole('button', { name: /^Upload/ })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Upload' });
  await dialog.getByRole('button', { name: 'Options' }).click();
  return dialog;
}

/** Picks one file in the upload dialog and waits for the dialog to close (the upload is queued). */
async function uploadWithPicker(page: Page, dialog: Locator, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Files…' }).click();
  await (await chooser).setFiles(path);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 30_000 });
}

/** A transfer's row in the transfers panel, by the file's name. */
const transferOf = (page: Page, name: string): Locator =>
  page
    .getByRole('region', { name: 'Transfers' })
    .getByRole('list', { name: 'Uploads and downloads' })
    .getByRole('listitem')
    .filter({ has: page.locator('.transfer__name', { hasText: name }) });

test('a MinIO account offers only private access and says why, and uploads; an R2-preset account says why it makes no upload forms and has no SSE-KMS', async ({
  page,
  freshWebApp,
  s3,
  s3Client,
}) => {
  test.setTimeout(120_000);
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  const local = await mkdtemp(join(tmpdir(), 's3fm-e2e-capabilities-'));
  try {
    const file = join(local, 'hello.txt');
    await writeFile(file, 'hello from a capability check\n');
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(freshWebApp.url);

    // MinIO's preset: no ACLs on objects, two storage classes.
    await addAccount(page, s3, 'MinIO', 'Team MinIO');
    await openBucket(page, name);
    let upload = await openUploadOptions(page);
    const access = upload.getByRole('combobox', { name: 'Access' });
    await expect(access).toHaveValue('private');
    await expect(access.getByRole('option', { name: 'public-read', exact: true })).toBeDisabled();
    await expect(access.getByRole('option', { name: 'public-read-write', exact: true })).toBeDisabled();
    await expect(access.getByRole('option', { name: 'private', exact: true })).toBeEnabled();
    await expect(access).toHaveAccessibleDescription(
      'MinIO keeps no access lists on objects; it grants access with bucket policies.',
    );
    await expect(upload.getByText('MinIO keeps no access lists on objects', { exact: false })).toBeVisible();
    await expect(upload.getByRole('combobox', { name: 'Storage class' }).getByRole('option')).toHaveText([
      'The service’s default',
      'Standard',
      'Reduced Redundancy',
    ]);

    // Private still uploads, and nothing says it failed.
    await uploadWithPicker(page, upload, file);
    await expect(transferOf(page, 'hello.txt')).toContainText('Finished');
    await expect.poll(() => keysIn(s3Client, name)).toEqual(['hello.txt']);
    await expect(rowOf(page, 'hello.txt')).toBeVisible();

    // Collapse the MinIO account, so the bucket shows once: under the next account.
    await sidebarOf(page).getByRole('treeitem', { name: 'Team MinIO' }).click();
    await page.keyboard.press('ArrowLeft');
    await expect(sidebarOf(page).getByRole('treeitem', { name, exact: true })).toHaveCount(0);

    // The same server under R2's preset: R2 takes no POST forms, keeps no ACLs, has no SSE-KMS.
    await addAccount(page, s3, 'Cloudflare R2', 'R2 preset');
    await openBucket(page, name);
    await rowOf(page, 'hello.txt').click();
    await toolbarButton(page, 'Copy link').click();
    const share = page.getByRole('dialog', { name: 'Share “hello.txt”' });
    await share.getByRole('tab', { name: 'Upload link' }).click();
    const form = share.getByRole('region', { name: 'Upload form' });
    await expect(form).toContainText('Cloudflare R2 does not accept browser upload forms (POST).');
    await expect(form).toHaveAccessibleDescription(/^Cloudflare R2 does not accept browser upload forms \(POST\)\./);
    // No button that would only fail.
    await expect(share.getByRole('button', { name: 'Create upload form' })).toHaveCount(0);
    const link = share.getByRole('region', { name: 'Upload link' });
    const linkAccess = link.getByRole('combobox', { name: 'Access' });
    await expect(linkAccess.getByRole('option', { name: 'Public read', exact: true })).toBeDisabled();
    await expect(linkAccess).toHaveAccessibleDescription(
      'Cloudflare R2 keeps no access lists; it shares buckets through public access.',
    );
    // An upload link (PUT) is something R2 has: it is made.
    await link.getByRole('textbox', { name: 'File name' }).fill('from-partner.txt');
    await link.getByRole('button', { name: 'Create upload link' }).click();
    await expect(link.getByRole('textbox', { name: 'Upload with curl' })).toHaveValue(/from-partner\.txt/);
    await share.getByRole('button', { name: 'Done' }).click();
    await expect(share).toBeHidden();

    upload = await openUploadOptions(page);
    const encryption = upload.getByRole('combobox', { name: 'Encryption' });
    await expect(encryption.getByRole('option', { name: 'SSE-KMS (a KMS key)' })).toBeDisabled();
    await expect(encryption.getByRole('option', { name: 'SSE-S3 (keys managed by the service)' })).toBeDisabled();
    await expect(encryption.getByRole('option', { name: 'SSE-C (your own key)' })).toBeEnabled();
    await expect(encryption).toHaveAccessibleDescription(/Cloudflare R2 has no managed keys \(SSE-KMS\)\./);
    await upload.getByRole('button', { name: 'Cancel' }).click();
    await expect(upload).toBeHidden();
  } finally {
    await rm(local, { recursive: true, force: true });
    await bucket.cleanup();
  }
});

test('an upload the service lets the app check only by size finishes, and says "checked by size" instead of failing', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  const local = await mkdtemp(join(tmpdir(), 's3fm-e2e-capabilities-'));
  try {
    const file = join(local, 'secret.txt');
    await writeFile(file, 'kept under a managed key\n');
    await page.goto(webApp.url);
    await openBucket(page, name);

    // SSE-KMS: the ETag is no MD5 of the data, and a service of unknown kind promises no checksums.
    const upload = await openUploadOptions(page);
    await upload.getByRole('combobox', { name: 'Encryption' }).selectOption({ label: 'SSE-KMS (a KMS key)' });
    await upload.getByRole('textbox', { name: 'KMS key id' }).fill(TEST_KMS_KEY_ID);
    await uploadWithPicker(page, upload, file);

    const row = transferOf(page, 'secret.txt');
    await expect(row).toContainText('Finished');
    const label = row.getByText('checked by size', { exact: true });
    await expect(label).toBeVisible();
    await expect(label).toHaveAccessibleDescription(/Stored, checked by size: this service's ETag is not an MD5/);
    await expect(row).not.toContainText('Failed');
    await expect.poll(() => keysIn(s3Client, name)).toEqual(['secret.txt']);
  } finally {
    await rm(local, { recursive: true, force: true });
    await bucket.cleanup();
  }
});
