import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { filesOf, gridOf, keysIn, openBucket, rowOf, shownNames } from './ui';

/**
 * The transfers panel as a new user meets it: a drop of many files is one row with exact counts
 * and a total progress bar, expandable to its files; a cancel and a refusal are counted apart from
 * what is done; errors say what happened and what to do, with the facts behind "Details"; a
 * batch pauses, resumes and cancels as one; long operations count "n of m".
 */

const panelOf = (page: Page) => page.getByRole('region', { name: 'Transfers' });
const listOf = (page: Page) => panelOf(page).getByRole('list', { name: 'Uploads and downloads' });
/** The header's counts, exactly as shown. */
const countsOf = (page: Page) => panelOf(page).getByRole('status', { name: /^Transfer counts/ });
/** A row of the panel by the name it shows (a file's, or a batch's title). */
const rowNamed = (page: Page, name: string): Locator =>
  listOf(page)
    .getByRole('listitem')
    .filter({
      has: page.locator('.transfer__name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
    });

/** The part of the page's DataTransfer that a drop needs. */
interface PageTransfer {
  items: { add(file: File): unknown };
}

/** Drops files from "the desktop" onto an element, as a browser sends the drag events. */
async function dropFiles(page: Page, target: Locator, files: Record<string, string>): Promise<void> {
  const dataTransfer = await page.evaluateHandle((contents) => {
    const PageDataTransfer = (globalThis as unknown as { DataTransfer: new () => PageTransfer }).DataTransfer;
    const transfer = new PageDataTransfer();
    for (const [name, text] of Object.entries(contents)) transfer.items.add(new File([text], name));
    return transfer;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: 'Drop to upload to' })).toBeVisible();
  await target.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: 'Drop to upload to' })).toHaveCount(0);
}

/** Scans the panel in light and dark mode. */
async function scanPanel(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousAxeViolations(page, 'section[aria-label="Transfers"]');
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a drop of 30 files is one row with exact counts: a cancel and a refusal are not "done", errors are words with details, and the batch retries as one', async ({
  page,
  proxiedWebApp,
  s3,
  s3Client,
}) => {
  test.setTimeout(150_000);
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  const { proxy } = proxiedWebApp;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'drop/readme.txt', Body: 'drop here' }));
    // The service refuses one file and never answers for another (until the person cancels it).
    proxy.addFault({
      match: { method: 'PUT', pathIncludes: `/${name}/drop/denied.txt` },
      fault: { kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied.' },
    });
    proxy.addFault({ match: { method: 'PUT', pathIncludes: `/${name}/drop/stuck.txt` }, fault: { kind: 'stall' } });
    const files: Record<string, string> = { 'denied.txt': 'no entry', 'stuck.txt': 'never answered' };
    for (let i = 1; i <= 28; i++) files[`photo-${String(i).padStart(2, '0')}.txt`] = `photo ${i} `.repeat(200);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(proxiedWebApp.url);
    await openBucket(page, name);
    await expect.poll(() => shownNames(page)).toEqual(['drop']);
    await dropFiles(page, rowOf(page, 'drop'), files);

    // One row for the whole drop, named after what was dropped, with its counts.
    const batch = listOf(page)
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: /^Files in / }) });
    await expect(batch).toHaveCount(1);
    await expect(listOf(page).getByRole('listitem')).toHaveCount(1);
    await expect(batch.locator('.transfer__name')).toHaveText('denied.txt and 29 more');
    await expect(batch).toContainText('1 running · 1 failed · 28 done', { timeout: 30_000 });
    await expect(batch).toContainText('28 of 30 files uploaded');
    await expect(batch.getByRole('progressbar', { name: 'denied.txt and 29 more: total progress' })).toBeVisible();
    await expect(countsOf(page)).toHaveText('1 running · 1 failed · 28 done');
    // The first failure in words on the batch's row; no status code or error name as the headline.
    await expect(batch).toContainText(
      `Access denied: the account may not write in bucket ${name}. Check the account's permissions for bucket ${name}, or use another account.`,
    );
    await expect(batch.locator('.transfer__error-text')).not.toContainText(/403|AccessDenied/);
    await scanPanel(page);

    // Expanded, it lists its files, what needs attention first.
    const disclosure = batch.getByRole('button', { name: 'Files in denied.txt and 29 more' });
    await expect(disclosure).toHaveAttribute('aria-expanded', 'false');
    await disclosure.click();
    await expect(disclosure).toHaveAttribute('aria-expanded', 'true');
    const stuck = rowNamed(page, 'stuck.txt');
    const denied = rowNamed(page, 'denied.txt');
    await expect(stuck).toContainText('Uploading');
    await expect(denied).toContainText('Failed');
    await expect(listOf(page).locator('.transfer--member[data-state="finished"]').first()).toContainText('Finished');

    // A real cancel of one file: it is counted cancelled, never done.
    await stuck.getByRole('button', { name: 'Cancel stuck.txt' }).click();
    await expect(stuck).toContainText('Cancelled');
    await expect(batch).toContainText('1 failed · 1 cancelled · 28 done');
    await expect(batch).toContainText('Ended with failures');
    await expect(countsOf(page)).toHaveText('1 failed · 1 cancelled · 28 done');

    // The failed file's error: words first, the facts behind Details (and copyable).
    await expect(denied).toContainText(`Access denied: the account may not write in bucket ${name}.`);
    const details = denied.getByRole('button', { name: 'Details', exact: true });
    await expect(details).toHaveAttribute('aria-expanded', 'false');
    await expect(denied).not.toContainText('HTTP 403');
    await details.click();
    await expect(details).toHaveAttribute('aria-expanded', 'true');
    await expect(denied).toContainText('Error code: access-denied · S3 error AccessDenied (HTTP 403)');
    await expect(denied.getByRole('button', { name: 'Copy details' })).toBeVisible();
    await scanPanel(page);

    // Nothing of the refused or cancelled file is in the bucket; the 28 others are.
    const photos = Object.keys(files)
      .filter((file) => file.startsWith('photo-'))
      .map((file) => `drop/${file}`);
    expect(await keysIn(s3Client, name)).toEqual(['drop/readme.txt', ...photos].sort());

    // The service lets them through now: Retry on the batch's row sends both again.
    proxy.clearFaults();
    await batch.getByRole('button', { name: 'Retry denied.txt and 29 more' }).click();
    await expect(batch).toContainText('30 done', { timeout: 30_000 });
    await expect(countsOf(page)).toHaveText('30 done');
    await expect(batch).not.toContainText('failed');
    expect(await keysIn(s3Client, name)).toEqual(
      ['drop/denied.txt', 'drop/readme.txt', 'drop/stuck.txt', ...photos].sort(),
    );

    // "Go to" opens the folder the files went to.
    await batch.getByRole('button', { name: 'Go to denied.txt and 29 more' }).click();
    await expect(filesOf(page).getByRole('heading', { name: 'drop' })).toBeVisible();
    await expect.poll(() => shownNames(page)).toContain('denied.txt');

    // Collapsed again, it is one row.
    await disclosure.click();
    await expect(listOf(page).getByRole('listitem')).toHaveCount(1);
  } finally {
    proxy.clearFaults();
    await bucket.cleanup();
  }
});

test('a batch pauses, resumes and cancels as one from its row, and a delete of many objects counts "n of m"', async ({
  page,
  proxiedWebApp,
  s3,
  s3Client,
}) => {
  test.setTimeout(120_000);
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  const { proxy } = proxiedWebApp;
  try {
    for (let i = 1; i <= 12; i++) {
      await s3Client.send(new PutObjectCommand({ Bucket: name, Key: `old/file-${i}.txt`, Body: `old ${i}` }));
    }
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'hold/readme.txt', Body: 'held here' }));
    // Every upload into hold/ hangs: the batch stays running until the person acts.
    proxy.addFault({ match: { method: 'PUT', pathIncludes: `/${name}/hold/` }, fault: { kind: 'stall' } });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(proxiedWebApp.url);
    await openBucket(page, name);
    await expect.poll(() => shownNames(page)).toEqual(['hold', 'old']);
    await dropFiles(page, rowOf(page, 'hold'), { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'd.txt': 'd' });

    const batch = rowNamed(page, 'a.txt and 3 more');
    await expect(batch).toContainText('4 running');
    await batch.getByRole('button', { name: 'Pause a.txt and 3 more' }).click();
    await expect(batch).toContainText('4 paused');
    await expect(batch).toContainText('Paused');
    await expect(countsOf(page)).toHaveText('4 paused');
    await batch.getByRole('button', { name: 'Resume a.txt and 3 more' }).click();
    await expect(batch).toContainText('4 running');
    await batch.getByRole('button', { name: 'Cancel a.txt and 3 more' }).click();
    await expect(batch).toContainText('4 cancelled');
    await expect(batch).toContainText('Cancelled');
    await expect(countsOf(page)).toHaveText('4 cancelled');
    await expect(batch).not.toContainText('done');
    expect((await keysIn(s3Client, name)).filter((key) => key.startsWith('hold/'))).toEqual(['hold/readme.txt']);

    // A delete of a folder of 12 objects: the operation counts them, "n of m".
    await rowOf(page, 'old').click();
    await gridOf(page).press('Delete');
    const confirm = page.getByRole('alertdialog', { name: /^Delete/ });
    await confirm
      .getByRole('button', { name: /^Delete/ })
      .last()
      .click();
    const operation = panelOf(page).getByRole('list', { name: 'Operations' }).getByRole('listitem');
    await expect(operation).toContainText('12 of 12 done', { timeout: 30_000 });
    await expect(operation).toContainText('Done');
    await expect(operation.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '12');
    expect((await keysIn(s3Client, name)).filter((key) => key.startsWith('old/'))).toEqual([]);
    await scanPanel(page);
  } finally {
    proxy.clearFaults();
    await bucket.cleanup();
  }
});
