import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { freshBucket, type RunningS3Info } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { expectDialogClosed, filesOf, gridOf, openBucket, rowOf, sidebarOf, toolbarButton } from './ui';

/**
 * Versioned buckets people can undo in (issue #13): turning versioning on asks first and says
 * what it means, a delete says whether it can be undone, "Show deleted files" lists delete
 * markers as deleted rows with Undelete and Delete for good, and a service without versioning
 * says so instead of offering it.
 */

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details' });
/** A value in the details panel: the definition right after the term with that name. */
const property = (scope: Locator, name: string) =>
  scope
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${name}$`) })
    .locator('xpath=following-sibling::dd[1]');
/** A deleted row of the file list: its name cell reads "name Deleted". */
const deletedRowOf = (page: Page, name: string): Locator =>
  gridOf(page)
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: `${name} Deleted`, exact: true }) });

async function textOf(client: S3Client, Bucket: string, Key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket, Key }));
  return (await object.Body?.transformToString()) ?? '';
}

/** Every version and delete marker under a prefix. */
async function versionsUnder(client: S3Client, Bucket: string, Prefix: string) {
  const page = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix }));
  return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
}

/** Scans one dialog for serious accessibility violations in the light theme and in the dark one. */
async function scanInBothThemes(page: Page, selector: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await expectNoSeriousAxeViolations(page, selector);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousAxeViolations(page, selector);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens the delete confirmation for one row and returns its text; the dialog is left open. */
async function deleteDialogFor(page: Page, name: string): Promise<Locator> {
  await rowOf(page, name).click();
  await toolbarButton(page, 'Delete').click();
  return page.getByRole('alertdialog', { name: 'Delete' });
}

test('turning versioning on asks first and says what it means; deletes say whether they can be undone', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'notes.txt', Body: 'notes' }));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(webApp.url);
    await openBucket(page, Bucket);
    const bucketSection = detailsOf(page).getByRole('region', { name: 'Bucket' });
    await expect(property(bucketSection, 'Versioning')).toContainText('Off');

    // Never versioned: a delete cannot be undone, and there are no deleted files to show.
    let question = await deleteDialogFor(page, 'notes.txt');
    await expect(question).toContainText('Delete “notes.txt”? This cannot be undone.');
    await question.getByRole('button', { name: 'Cancel' }).click();
    // The dialog gone first: an Escape while it closes is the dialog's, not the list's.
    await expect(question).toBeHidden();
    // Nothing selected: the details panel shows the bucket again.
    await page.keyboard.press('Escape');
    await expect(toolbarButton(page, 'Show deleted files')).toHaveAttribute('aria-disabled', 'true');
    await expect(toolbarButton(page, 'Show deleted files')).toHaveAccessibleDescription(
      /Versioning was never turned on for this bucket/,
    );

    // Turning on asks first, and says what it means; Cancel changes nothing.
    await bucketSection.getByRole('button', { name: 'Turn on versioning' }).click();
    const turnOn = page.getByRole('alertdialog', { name: 'Turn on versioning?' });
    await expect(turnOn).toContainText('cannot be turned off again, only suspended');
    await expect(turnOn).toContainText('take storage');
    await expect(turnOn).toContainText('lifecycle rules');
    await expect(turnOn).toContainText('Deletes can be undone');
    await scanInBothThemes(page, '[role="alertdialog"]');
    await turnOn.getByRole('button', { name: 'Cancel' }).click();
    await expect(turnOn).toBeHidden();
    expect((await s3Client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    await bucketSection.getByRole('button', { name: 'Turn on versioning' }).click();
    await turnOn.getByRole('button', { name: 'Turn on versioning' }).click();
    await expect(turnOn).toBeHidden();
    await expect(property(bucketSection, 'Versioning')).toContainText('On');
    expect((await s3Client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');

    // Versioned: a delete can be undone, and the dialog says how.
    question = await deleteDialogFor(page, 'notes.txt');
    await expect(question).toContainText('this can be undone: Show deleted files → Undelete');
    await scanInBothThemes(page, '[role="alertdialog"]');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(question).toBeHidden();
    await page.keyboard.press('Escape');

    // Suspending says what suspension does: the versions kept so far stay.
    await bucketSection.getByRole('button', { name: 'Suspend versioning' }).click();
    const suspend = page.getByRole('alertdialog', { name: 'Suspend versioning?' });
    await expect(suspend).toContainText('The versions kept so far stay');
    await scanInBothThemes(page, '[role="alertdialog"]');
    await suspend.getByRole('button', { name: 'Suspend' }).click();
    await expect(property(bucketSection, 'Versioning')).toContainText('Suspended');
    expect((await s3Client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Suspended');

    // Suspended: a delete may remove the null version for good.
    question = await deleteDialogFor(page, 'notes.txt');
    await expect(question).toContainText('Versioning is suspended in this bucket');
    await expect(question).toContainText('(the “null” version) is removed for good');
    await question.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await bucket.cleanup();
  }
});

test('a deleted file is shown as deleted, undeleted with its bytes, and others deleted for good', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3, { versioning: true });
  const Bucket = bucket.name;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'report.txt', Body: 'the first report' }));
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'report.txt', Body: 'the final report' }));
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'draft.txt', Body: 'a draft' }));
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'keep.txt', Body: 'kept' }));
    // A folder whose only file is deleted: it shows as a deleted folder.
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'old/c.txt', Body: 'old' }));
    await s3Client.send(new DeleteObjectCommand({ Bucket, Key: 'old/c.txt' }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    await openBucket(page, Bucket);

    // The delete says it can be undone, and puts a delete marker on top.
    const question = await deleteDialogFor(page, 'report.txt');
    await expect(question).toContainText('this can be undone');
    await question.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(rowOf(page, 'report.txt')).toHaveCount(0);
    await s3Client.send(new DeleteObjectCommand({ Bucket, Key: 'draft.txt' }));

    // Show deleted files: the deleted ones appear beside the live one, marked in words.
    const toggle = toolbarButton(page, 'Show deleted files');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(deletedRowOf(page, 'report.txt')).toBeVisible();
    await expect(deletedRowOf(page, 'draft.txt')).toBeVisible();
    await expect(deletedRowOf(page, 'old')).toBeVisible();
    await expect(rowOf(page, 'keep.txt')).toBeVisible();
    await expect(filesOf(page).getByText('2 deleted files here.')).toBeVisible();
    await scanInBothThemes(page, 'main');
    // A deleted file's details say what it is and when it went, and offer Undelete.
    await deletedRowOf(page, 'draft.txt').click();
    const details = detailsOf(page);
    await expect(property(details, 'Kind')).toHaveText('Deleted file');
    await expect(property(details, 'Size before')).toHaveText('7 B');
    await expect(details.getByRole('button', { name: 'Undelete' })).toBeVisible();
    await scanInBothThemes(page, 'aside');

    // Undelete: the version before the marker is current again, bytes and all.
    // At 1280 px Undelete is in the toolbar's More actions; the rows' menu has it too.
    await deletedRowOf(page, 'report.txt').click({ button: 'right' });
    await page.getByRole('menu', { name: 'File actions' }).getByRole('menuitem', { name: 'Undelete' }).click();
    await expect(rowOf(page, 'report.txt')).toBeVisible();
    await expect(deletedRowOf(page, 'report.txt')).toHaveCount(0);
    expect(await textOf(s3Client, Bucket, 'report.txt')).toBe('the final report');
    expect(await versionsUnder(s3Client, Bucket, 'report.txt')).toHaveLength(2);

    // Delete for good, two at once (a file and a folder of deleted files): it says how many versions go.
    await deletedRowOf(page, 'draft.txt').click();
    await deletedRowOf(page, 'old').click({ modifiers: ['Control'] });
    await deletedRowOf(page, 'old').click({ button: 'right' });
    await page.getByRole('menu', { name: 'File actions' }).getByRole('menuitem', { name: 'Delete for good…' }).click();
    const forGood = page.getByRole('alertdialog', { name: 'Delete for good' });
    await expect(forGood).toContainText(
      'Delete 2 deleted items for good? 4 versions and delete markers of 2 files will be removed. This cannot be undone.',
    );
    await scanInBothThemes(page, '[role="alertdialog"]');
    await forGood.getByRole('button', { name: 'Delete for good' }).click();
    await expect(forGood).toBeHidden();
    await expect(deletedRowOf(page, 'draft.txt')).toHaveCount(0);
    await expect(deletedRowOf(page, 'old')).toHaveCount(0);
    await expect.poll(() => versionsUnder(s3Client, Bucket, 'draft.txt')).toEqual([]);
    expect(await versionsUnder(s3Client, Bucket, 'old/')).toEqual([]);
    // What was not chosen is untouched.
    expect(await textOf(s3Client, Bucket, 'keep.txt')).toBe('kept');
    expect(await textOf(s3Client, Bucket, 'report.txt')).toBe('the final report');
  } finally {
    await bucket.cleanup();
  }
});

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

test('a service without versioning offers no deleted files, says why, and its deletes cannot be undone', async ({
  page,
  freshWebApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3, { versioning: true });
  const Bucket = bucket.name;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'a' }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(freshWebApp.url);
    // Cloudflare R2's preset says the service keeps no versions (the server behind it does, here).
    await addAccount(page, s3, 'Cloudflare R2', 'R2 preset');
    await openBucket(page, Bucket);
    const toggle = toolbarButton(page, 'Show deleted files');
    await expect(toggle).toHaveAttribute('aria-disabled', 'true');
    await expect(toggle).toHaveAccessibleDescription(
      'Cloudflare R2 does not keep object versions. Deleted files cannot be shown.',
    );
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    const question = await deleteDialogFor(page, 'a.txt');
    await expect(question).toContainText('Delete “a.txt”? This cannot be undone.');
    await question.getByRole('button', { name: 'Cancel' }).click();
    // The dialog gone first: an Escape while it closes is the dialog's, not the list's.
    await expect(question).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(detailsOf(page).getByRole('region', { name: 'Bucket' })).toContainText(
      'Cloudflare R2 does not keep object versions.',
    );
  } finally {
    await bucket.cleanup();
  }
});
