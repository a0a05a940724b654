import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { keysIn, rowOf, sidebarOf } from './ui';

/** Opens "Copy to…" for one file of the bucket, and its options. */
async function openCopyOptions(page: Page, bucket: string, file: string) {
  await sidebarOf(page).getByRole('treeitem', { name: bucket, exact: true }).click();
  await rowOf(page, file).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Copy to…' }).click();
  const copy = page.getByRole('dialog', { name: 'Copy to' });
  await copy.getByRole('button', { name: 'Options' }).click();
  return copy;
}

test('the copy dialog keeps each file’s encryption by default, and applies a chosen one', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'a.txt', Body: 'hello' }));
    await page.goto(webApp.url);

    let copy = await openCopyOptions(page, name, 'a.txt');
    const encryption = copy.getByRole('combobox', { name: 'Encryption' });
    await expect(encryption).toHaveValue('keep');
    await expect(encryption.getByRole('option', { name: 'Keep as it is' })).toHaveCount(1);
    await encryption.selectOption({ label: 'SSE-KMS (a KMS key)' });
    await expect(copy.getByRole('textbox', { name: 'KMS key id' })).toBeVisible();
    await encryption.selectOption({ label: 'Keep as it is' });
    await copy.getByRole('textbox', { name: 'Folder' }).fill('kept');
    await copy.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(copy).toBeHidden();
    await expect.poll(() => keysIn(s3Client, name)).toContain('kept/a.txt');

    copy = await openCopyOptions(page, name, 'a.txt');
    await copy
      .getByRole('combobox', { name: 'Encryption' })
      .selectOption({ label: 'SSE-S3 (keys managed by the service)' });
    await copy.getByRole('textbox', { name: 'Folder' }).fill('encrypted');
    await copy.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(copy).toBeHidden();
    // The test MinIO has a built-in KMS (scripts/minio.ts), so SSE-S3 works as on AWS.
    await expect.poll(() => keysIn(s3Client, name)).toContain('encrypted/a.txt');
    const encrypted = await s3Client.send(new HeadObjectCommand({ Bucket: name, Key: 'encrypted/a.txt' }));
    expect(encrypted.ServerSideEncryption).toBe('AES256');
    const kept = await s3Client.send(new HeadObjectCommand({ Bucket: name, Key: 'kept/a.txt' }));
    expect(kept.ServerSideEncryption).toBeUndefined();
  } finally {
    await bucket.cleanup();
  }
});
