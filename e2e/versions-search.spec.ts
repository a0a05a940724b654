import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { filesOf, gridOf, openBucket, rowOf, shownNames } from './ui';

async function textOf(client: S3Client, bucket: string, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

async function versionIds(client: S3Client, bucket: string, key: string): Promise<string[]> {
  const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
    .filter((v) => v.Key === key)
    .map((v) => v.VersionId ?? '');
}

test('a user lists the versions of a file, restores the first one and deletes another for good', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3, { versioning: true });
  try {
    for (const text of ['first draft', 'second draft', 'third draft']) {
      await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'notes.txt', Body: text }));
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    await openBucket(page, bucket.name);

    await rowOf(page, 'notes.txt').click({ button: 'right' });
    await page.getByRole('menu', { name: 'File actions' }).getByRole('menuitem', { name: 'Show versions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Versions of “notes.txt”' });
    const rows = dialog.getByRole('table').getByRole('row');
    // A header row and three versions, the newest marked current.
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(1)).toContainText('Current');

    // Restore the oldest: it becomes the current content, as a new (fourth) version.
    await dialog
      .getByRole('button', { name: /^Restore version of/ })
      .last()
      .click();
    await expect(rows).toHaveCount(5);
    await expect.poll(() => textOf(s3Client, bucket.name, 'notes.txt')).toBe('first draft');

    // Delete the second draft's version: the first press asks, the second deletes.
    const before = await versionIds(s3Client, bucket.name, 'notes.txt');
    expect(before).toHaveLength(4);
    const secondDraft = rows.nth(3);
    await secondDraft.getByRole('button', { name: /^Delete version of/ }).click();
    await secondDraft.getByRole('button', { name: /^Confirm: delete version of/ }).click();
    await expect(rows).toHaveCount(4);
    const after = await versionIds(s3Client, bucket.name, 'notes.txt');
    expect(after).toHaveLength(3);
    expect(await textOf(s3Client, bucket.name, 'notes.txt')).toBe('first draft');

    // Download an earlier version (now: current "first draft", "third draft", the original "first draft").
    await expect(rows.nth(2)).not.toContainText('Current');
    await rows
      .nth(2)
      .getByRole('button', { name: /^Download version of/ })
      .click();
    await expect(dialog).toBeHidden();
    const download = page.getByRole('dialog', { name: 'Download' });
    await expect(download).toContainText('an earlier version');
    const target = await mkdtemp(join(tmpdir(), 's3fm-e2e-version-'));
    try {
      await download.getByRole('textbox', { name: 'Download to' }).fill(target);
      await download.getByRole('button', { name: 'Download', exact: true }).click();
      await expect
        .poll(() => readFile(join(target, 'notes.txt'), 'utf8').catch(() => null), { timeout: 15_000 })
        .toBe('third draft');
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  } finally {
    await bucket.cleanup();
  }
});

test('a user searches every key under a folder for a word inside the key', async ({ page, webApp, s3, s3Client }) => {
  const bucket = await freshBucket(s3);
  try {
    for (const key of ['docs/Report-2024.pdf', 'docs/a/b/passport.png', 'docs/notes.txt', 'other/report.txt']) {
      await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: 'x' }));
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    await openBucket(page, bucket.name);
    await gridOf(page).getByRole('row').filter({ hasText: 'docs' }).first().dblclick();
    await expect.poll(() => shownNames(page)).toEqual(expect.arrayContaining(['a', 'notes.txt']));

    const files = filesOf(page);
    await files.getByRole('searchbox', { name: 'Filter this folder' }).fill('PORT');
    await files.getByRole('combobox', { name: 'Search keys that' }).selectOption('contain');
    await files.getByRole('button', { name: 'Search bucket' }).click();
    // Keys under docs/ only (other/report.txt is outside), whatever their depth and case.
    await expect
      .poll(async () => (await shownNames(page)).sort())
      .toEqual(['docs/Report-2024.pdf', 'docs/a/b/passport.png']);
    await expect(files.getByText('Keys containing')).toBeVisible();
    await expect(files.getByRole('status')).toContainText('2 results');
  } finally {
    await bucket.cleanup();
  }
});
