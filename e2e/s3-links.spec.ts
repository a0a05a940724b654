import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { freshBucket, type RunningS3Info } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { expectDialogClosed, filesOf, openBucket, rowOf, shownNames, sidebarOf } from './ui';

/**
 * s3:// links, AWS console addresses and S3 object URLs typed or pasted into the path bar open
 * their location in the account that has the bucket, or ask which (issue #14). The Electron
 * side (the OS handing a link to the app) goes through the same openLink: e2e/electron.spec.ts.
 */

/** Adds an account for the test MinIO through the account form. */
async function addAccount(page: Page, s3: RunningS3Info, name: string): Promise<void> {
  await sidebarOf(page).getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByLabel('Provider').selectOption({ label: 'MinIO' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Endpoint').fill(s3.endpoint);
  await dialog.getByLabel('Region').fill(s3.region);
  await dialog.getByLabel('Access key ID').fill(s3.accessKeyId);
  await dialog.getByLabel('Secret access key').fill(s3.secretAccessKey);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expectDialogClosed(dialog);
  await expect(sidebarOf(page).getByRole('treeitem', { name })).toBeVisible();
}

/** Types a link into the path bar and presses Enter. */
async function openInPathBar(page: Page, link: string): Promise<void> {
  const path = filesOf(page).getByLabel('Path');
  await path.fill(link);
  await path.press('Enter');
}

async function put(client: S3Client, bucket: string, keys: string[]): Promise<void> {
  await Promise.all(keys.map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));
}

test('s3:// links, console addresses and S3 URLs open their location, asking which account when it is not clear', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  const unlisted = `${name}-later`;
  try {
    await put(s3Client, name, ['docs/readme.md', 'docs/guide.md', 'photo.jpg']);
    await page.goto(webApp.url);
    // The path bar shows once a bucket is open.
    await openBucket(page, name);

    // An s3:// link to a folder.
    await openInPathBar(page, `s3://${name}/docs/`);
    await expect(filesOf(page).getByRole('heading', { name: 'docs' })).toBeVisible();
    await expect.poll(() => shownNames(page)).toEqual(['guide.md', 'readme.md']);

    // The AWS console's object page: its folder opens with the object selected.
    await openInPathBar(page, `https://s3.console.aws.amazon.com/s3/object/${name}?region=us-east-1&prefix=photo.jpg`);
    await expect(filesOf(page).getByRole('heading', { name })).toBeVisible();
    await expect(rowOf(page, 'photo.jpg')).toHaveAttribute('aria-selected', 'true');

    // A virtual-hosted S3 object URL (its key percent-encoded, as S3 writes it).
    await openInPathBar(page, `https://${name}.s3.us-east-1.amazonaws.com/docs/readme%2Emd`);
    await expect(filesOf(page).getByRole('heading', { name: 'docs' })).toBeVisible();
    await expect(rowOf(page, 'readme.md')).toHaveAttribute('aria-selected', 'true');
    await expect(filesOf(page).getByLabel('Path')).toHaveValue(`s3://${name}/docs/`);

    // Two accounts, and a bucket neither of them listed (made after they listed theirs): the app asks.
    await addAccount(page, s3, 'Second MinIO');
    // Both accounts have listed their buckets (the bucket shows under each) before the new one is
    // made: on a loaded machine the second list came after it once, and then the link just opened.
    await expect(sidebarOf(page).getByRole('treeitem', { name, exact: true })).toHaveCount(2);
    await s3Client.send(new CreateBucketCommand({ Bucket: unlisted }));
    await put(s3Client, unlisted, ['inbox/new.txt']);
    await sidebarOf(page).getByRole('treeitem', { name, exact: true }).first().click();
    await openInPathBar(page, `s3://${unlisted}/inbox/`);
    const ask = page.getByRole('dialog', { name: 'Open link in which account?' });
    await expect(ask).toContainText(`None of your accounts lists a bucket named “${unlisted}”`);
    await expect(ask.getByRole('radio', { name: 'Local MinIO' })).toBeFocused();
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await page.emulateMedia({ colorScheme: 'light' });

    // Cancel goes nowhere; asking again and choosing the second account opens the folder there.
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(ask).toBeHidden();
    await openInPathBar(page, `s3://${unlisted}/inbox/`);
    await ask.getByRole('radio', { name: 'Second MinIO' }).check();
    await ask.getByRole('button', { name: 'Open' }).click();
    await expect(ask).toBeHidden();
    await expect(filesOf(page).getByRole('heading', { name: 'inbox' })).toBeVisible();
    await expect.poll(() => shownNames(page)).toEqual(['new.txt']);
  } finally {
    await s3Client.send(new DeleteObjectCommand({ Bucket: unlisted, Key: 'inbox/new.txt' })).catch(() => undefined);
    await s3Client.send(new DeleteBucketCommand({ Bucket: unlisted })).catch(() => undefined);
    await bucket.cleanup();
  }
});
