import { readFile, writeFile } from 'node:fs/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { gridOf, keysIn, openBucket, rowOf } from './ui';

/**
 * Editing a file with a local app (issue #15), in web mode: a browser cannot open a file in an
 * app or watch it, so Edit downloads the file and "Upload my changes…" sends the edited copy back,
 * with the ETag check: a file changed on the server since asks Overwrite / Save as a copy /
 * Discard / Keep editing instead of overwriting.
 */

async function textOf(client: S3Client, Bucket: string, Key: string): Promise<string> {
  return (await (await client.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ?? '';
}

/** Scans a part of the page for serious accessibility violations in both themes. */
async function scanInBothThemes(page: Page, selector: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousAxeViolations(page, selector);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Sends a file as "my edited copy" through the row's Upload my changes… button. */
async function uploadMyChanges(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page
    .getByRole('region', { name: 'Files being edited' })
    .getByRole('button', { name: 'Upload my changes…' })
    .click();
  await (await chooser).setFiles(path);
}

test('Edit downloads the file, Upload my changes sends it back, and a change on the server asks first', async ({
  page,
  webApp,
  s3,
  s3Client,
}, testInfo) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  try {
    await s3Client.send(
      new PutObjectCommand({ Bucket, Key: 'draft.txt', Body: 'first draft\n', ContentType: 'text/plain' }),
    );
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    await openBucket(page, Bucket);

    // Edit (the row's menu) downloads exactly the file.
    const download = page.waitForEvent('download');
    await rowOf(page, 'draft.txt').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Edit', exact: true }).click();
    const downloaded = await download;
    expect(downloaded.suggestedFilename()).toBe('draft.txt');
    const local = testInfo.outputPath('draft.txt');
    await downloaded.saveAs(local);
    expect(await readFile(local, 'utf8')).toBe('first draft\n');
    const editing = page.getByRole('region', { name: 'Files being edited' });
    const row = editing.getByRole('listitem', { name: 'Editing draft.txt' });
    await expect(row.getByRole('status')).toHaveText('Downloaded: edit it, then choose Upload my changes');
    await scanInBothThemes(page, 'section[aria-label="Files being edited"]');

    // The edited copy goes back over the version that was downloaded.
    await writeFile(local, 'second draft, edited here\n');
    await uploadMyChanges(page, local);
    await expect(row.getByRole('status')).toHaveText(/^Uploaded at \d{1,2}:\d{2}/);
    expect(await textOf(s3Client, Bucket, 'draft.txt')).toBe('second draft, edited here\n');

    // Someone else changes it: the next upload is refused, and the app asks.
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'draft.txt', Body: 'their version\n' }));
    await writeFile(local, 'third draft\n');
    await uploadMyChanges(page, local);
    const question = page.getByRole('alertdialog', { name: '“draft.txt” changed on the server' });
    await expect(question).toBeVisible();
    await expect(question).toContainText('Your save was not uploaded.');
    await scanInBothThemes(page, '[role="alertdialog"]');
    expect(await textOf(s3Client, Bucket, 'draft.txt')).toBe('their version\n');

    // Keep editing: nothing is written; the next upload asks again.
    await question.getByRole('button', { name: 'Keep editing' }).click();
    await expect(question).toBeHidden();
    await expect(row.getByRole('status')).toContainText('changed on the server');
    expect(await textOf(s3Client, Bucket, 'draft.txt')).toBe('their version\n');
    await uploadMyChanges(page, local);
    await expect(question).toBeVisible();

    // Save as a copy: mine lands next to theirs, which stays; editing ends.
    await question.getByRole('button', { name: 'Save as a copy' }).click();
    await expect(question).toBeHidden();
    await expect(editing).toBeHidden();
    expect(await keysIn(s3Client, Bucket)).toEqual(['draft (edited).txt', 'draft.txt']);
    expect(await textOf(s3Client, Bucket, 'draft (edited).txt')).toBe('third draft\n');
    expect(await textOf(s3Client, Bucket, 'draft.txt')).toBe('their version\n');
    await expect(rowOf(page, 'draft (edited).txt')).toBeVisible();
    await expect(gridOf(page)).toBeVisible();
  } finally {
    await bucket.cleanup();
  }
});

test('Stop editing ends a web-mode session without touching the file on the server', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'list.csv', Body: 'a,b\n' }));
    await page.goto(webApp.url);
    await openBucket(page, Bucket);
    const download = page.waitForEvent('download');
    await rowOf(page, 'list.csv').click({ button: 'right' });
    // The desktop-only "Edit with…" is not offered in a browser.
    await expect(page.getByRole('menuitem', { name: 'Edit with…' })).toHaveCount(0);
    await page.getByRole('menuitem', { name: 'Edit', exact: true }).click();
    await download;
    const editing = page.getByRole('region', { name: 'Files being edited' });
    await editing.getByRole('button', { name: 'Stop editing list.csv' }).click();
    await expect(editing).toBeHidden();
    expect(await textOf(s3Client, Bucket, 'list.csv')).toBe('a,b\n');
  } finally {
    await bucket.cleanup();
  }
});
