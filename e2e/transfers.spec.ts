import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { filesOf, gridOf, keysIn, openBucket, rowOf, shownNames } from './ui';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The sha256 of an object's bytes as the bucket holds them. */
async function objectSha(client: S3Client, bucket: string, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return sha256(await object.Body!.transformToByteArray());
}

/** Every file under a folder on disk, by its '/'-separated path inside it, with its sha256. */
async function filesUnder(root: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found[relative(root, path).split(/[\\/]/).join('/')] = sha256(await readFile(path));
  }
  return found;
}

const panelOf = (page: Page) => page.getByRole('region', { name: 'Transfers' });
/** A transfer's row in the panel, by the file's name. */
const transferOf = (page: Page, name: string): Locator =>
  panelOf(page)
    .getByRole('list', { name: 'Uploads and downloads' })
    .getByRole('listitem')
    .filter({ has: page.locator('.transfer__name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) });

/** Shows the files of a batch (a drop or an upload of several files is one row until expanded). */
async function expandBatch(page: Page, title: string): Promise<void> {
  const disclosure = panelOf(page).getByRole('button', { name: `Files in ${title}`, exact: true });
  if ((await disclosure.getAttribute('aria-expanded')) !== 'true') await disclosure.click();
  await expect(disclosure).toHaveAttribute('aria-expanded', 'true');
}

/** The part of the page's DataTransfer that a drop needs. */
interface PageTransfer {
  items: { add(file: File): unknown };
}

/**
 * Drops files from "the desktop" onto an element: a DataTransfer made in the page with File
 * objects, and the drag events a browser sends for a drop (the hint must show while over it).
 */
async function dropFiles(page: Page, target: Locator, files: Record<string, string>, hint: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle((contents) => {
    // Runs in the page; this file is type-checked without DOM types, so the page's class is looked up.
    const PageDataTransfer = (globalThis as unknown as { DataTransfer: new () => PageTransfer }).DataTransfer;
    const transfer = new PageDataTransfer();
    for (const [name, text] of Object.entries(contents)) transfer.items.add(new File([text], name));
    return transfer;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: 'Drop to upload to' })).toHaveText(hint);
  await target.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: 'Drop to upload to' })).toHaveCount(0);
}

/** The progress bar's value (aria-valuenow) of a transfer, 0 while it has none. */
async function progressOf(page: Page, name: string): Promise<number> {
  const bar = panelOf(page).getByRole('progressbar', { name, exact: true });
  if ((await bar.count()) === 0) return 0;
  return Number((await bar.getAttribute('aria-valuenow')) ?? 0);
}

test('a new user drops two files onto a folder and uploads a folder with the picker, watches progress, pauses and resumes one transfer, sees the files listed, then downloads a folder', async ({
  page,
  proxiedWebApp,
  s3,
  s3Client,
}) => {
  test.setTimeout(180_000);
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  const local = await mkdtemp(join(tmpdir(), 's3fm-e2e-transfers-'));
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'photos/readme.txt', Body: 'photos go here' }));
    // The folder to pick: nested files, and one big enough (48 MiB) to pause while it uploads.
    const album = join(local, 'album');
    await mkdir(join(album, '2024', 'june'), { recursive: true });
    const big = randomBytes(48 * 1024 * 1024);
    await writeFile(join(album, 'big.bin'), big);
    await writeFile(join(album, 'notes.txt'), 'notes about the album\n'.repeat(100));
    await writeFile(join(album, '2024', 'june', 'beach.jpg'), randomBytes(300_000));
    await writeFile(join(album, '2024', 'cover.png'), randomBytes(20_000));
    const albumFiles = await filesUnder(album);

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(proxiedWebApp.url);
    await openBucket(page, name);
    await expect.poll(() => shownNames(page)).toEqual(['photos']);

    // Two files dropped onto the "photos" folder row go into photos/.
    const dropped = { 'sunset.jpg': 'sunset pixels '.repeat(5000), 'caption.txt': 'A sunset over the bay.' };
    await dropFiles(page, rowOf(page, 'photos'), dropped, `Drop to upload to ${name}/photos/`);
    // Two files dropped together are one row, with their files inside.
    await expect(transferOf(page, 'caption.txt and sunset.jpg')).toContainText('2 done');
    await expandBatch(page, 'caption.txt and sunset.jpg');
    for (const file of Object.keys(dropped)) {
      await expect(transferOf(page, file)).toContainText('Finished');
    }
    for (const [file, text] of Object.entries(dropped)) {
      expect(await objectSha(s3Client, name, `photos/${file}`)).toBe(sha256(text));
    }
    // Collapsed again: one row.
    await panelOf(page).getByRole('button', { name: 'Files in caption.txt and sunset.jpg' }).click();
    await expect(transferOf(page, 'sunset.jpg')).toHaveCount(0);

    // Upload a folder with the picker; the link to the server is slow, so big.bin takes a while.
    proxiedWebApp.proxy.setThrottle(2 * 1024 * 1024);
    await filesOf(page)
      .getByRole('button', { name: /^Upload/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Upload' });
    await expect(dialog).toContainText(`Upload to ${name}/`);
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Folder…' }).click();
    await (await chooser).setFiles(album);
    // It hands the files to the app ("Preparing…"), checks for names that exist, and closes.
    await expect(page.getByRole('dialog')).toBeHidden({ timeout: 30_000 });

    // Progress moves: the bar's value grows while it uploads.
    await expandBatch(page, 'album');
    const bigRow = transferOf(page, 'big.bin');
    await expect(bigRow).toContainText('Uploading');
    await expect.poll(() => progressOf(page, 'big.bin'), { timeout: 30_000 }).toBeGreaterThan(0);
    const before = await progressOf(page, 'big.bin');
    await expect.poll(() => progressOf(page, 'big.bin'), { timeout: 30_000 }).toBeGreaterThan(before);
    await expect(
      panelOf(page)
        .getByText(/\d+ running/)
        .first(),
    ).toBeVisible();

    // Pause it: it says Paused and stops moving; resume it and it finishes.
    await bigRow.getByRole('button', { name: 'Pause big.bin' }).click();
    await expect(bigRow).toContainText('Paused');
    const paused = await progressOf(page, 'big.bin');
    await page.waitForTimeout(1500);
    expect(await progressOf(page, 'big.bin')).toBe(paused);
    expect(await progressOf(page, 'big.bin')).toBeLessThan(big.length);
    proxiedWebApp.proxy.setThrottle(null);
    await bigRow.getByRole('button', { name: 'Resume big.bin' }).click();
    await expect(bigRow).toContainText('Finished', { timeout: 60_000 });
    for (const file of ['notes.txt', 'beach.jpg', 'cover.png']) {
      await expect(transferOf(page, file)).toContainText('Finished');
    }

    // What landed in the bucket is byte for byte what was picked, structure kept.
    expect(await keysIn(s3Client, name)).toEqual(
      [
        ...Object.keys(albumFiles).map((path) => `album/${path}`),
        'photos/caption.txt',
        'photos/readme.txt',
        'photos/sunset.jpg',
      ].sort(),
    );
    for (const [path, hash] of Object.entries(albumFiles)) {
      expect(await objectSha(s3Client, name, `album/${path}`), path).toBe(hash);
    }

    // The list shows the new folder and files without a refresh by hand.
    await expect.poll(() => shownNames(page), { timeout: 15_000 }).toEqual(['album', 'photos']);
    await rowOf(page, 'photos').dblclick();
    await expect.poll(() => shownNames(page)).toEqual(['caption.txt', 'readme.txt', 'sunset.jpg']);

    // "Go to" from the panel opens the uploaded file's folder and selects it.
    await transferOf(page, 'beach.jpg').getByRole('button', { name: 'Go to beach.jpg' }).click();
    await expect(filesOf(page).getByRole('heading', { name: 'june' })).toBeVisible();
    await expect(rowOf(page, 'beach.jpg')).toHaveAttribute('aria-selected', 'true');

    // Download the album folder into a folder typed in the dialog; files arrive intact, structure kept.
    await filesOf(page).getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('button', { name }).click();
    await expect.poll(() => shownNames(page)).toEqual(['album', 'photos']);
    await rowOf(page, 'album').click();
    await filesOf(page)
      .getByRole('button', { name: /^Download/ })
      .click();
    const download = page.getByRole('dialog', { name: 'Download' });
    const target = join(local, 'downloads');
    await mkdir(target);
    const folderField = download.getByRole('textbox', { name: 'Download to' });
    await expect(folderField).not.toHaveValue('');
    await folderField.fill(target);
    await download.getByRole('button', { name: 'Download', exact: true }).click();
    await expect(download).toBeHidden();
    await expect
      .poll(async () => (await panelOf(page).locator('.transfer[data-state="finished"] .icon').count()) > 0)
      .toBe(true);
    await expect
      .poll(() => filesUnder(join(target, 'album')).catch(() => ({})), { timeout: 60_000 })
      .toEqual(albumFiles);
    // No half-written temporary file is left beside them.
    expect(Object.keys(await filesUnder(target)).sort()).toEqual(
      Object.keys(albumFiles)
        .map((p) => `album/${p}`)
        .sort(),
    );

    // Clear finished empties the panel of what ended.
    await panelOf(page).getByRole('button', { name: 'Clear finished' }).click();
    await expect(panelOf(page).getByRole('list', { name: 'Uploads and downloads' })).toHaveCount(0);
  } finally {
    proxiedWebApp.proxy.setThrottle(null);
    await rm(local, { recursive: true, force: true });
    await bucket.cleanup();
  }
});

test('an upload onto a name that exists asks first, and Skip leaves the object as it was', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  try {
    const original = 'the original report';
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'report.txt', Body: original }));
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'docs/readme.md', Body: 'docs' }));
    await page.goto(webApp.url);
    await openBucket(page, name);
    await expect.poll(() => shownNames(page)).toEqual(['docs', 'report.txt']);

    // A file dropped onto a folder of the sidebar tree goes into that folder.
    const docsInTree = page
      .getByRole('navigation', { name: 'Accounts and buckets' })
      .getByRole('treeitem', { name: 'docs', exact: true });
    await dropFiles(page, docsInTree, { 'guide.md': '# Guide' }, `Drop to upload to ${name}/docs/`);
    await expect(transferOf(page, 'guide.md')).toContainText('Finished');
    expect(await objectSha(s3Client, name, 'docs/guide.md')).toBe(sha256('# Guide'));

    // Dropped onto the list (not a folder row): into the folder shown, here the bucket's top.
    await dropFiles(
      page,
      gridOf(page),
      { 'report.txt': 'a newer report', 'summary.txt': 'a summary' },
      `Drop to upload to ${name}/`,
    );
    const question = page.getByRole('dialog', { name: 'Some names exist already' });
    await expect(question).toContainText(`1 of 2 files already exist in ${name}/`);
    await expect(question.getByRole('list', { name: 'Names that exist' })).toHaveText('report.txt');
    await expect(question.getByRole('button', { name: 'Skip' })).toBeFocused();
    await question.getByRole('button', { name: 'Skip' }).click();
    await expect(question).toBeHidden();

    await expect(transferOf(page, 'report.txt and summary.txt')).toContainText('1 skipped · 1 done');
    await expandBatch(page, 'report.txt and summary.txt');
    await expect(transferOf(page, 'report.txt')).toContainText('Skipped');
    await expect(transferOf(page, 'summary.txt')).toContainText('Finished');
    expect(await objectSha(s3Client, name, 'report.txt')).toBe(sha256(original));
    expect(await objectSha(s3Client, name, 'summary.txt')).toBe(sha256('a summary'));
    await expect.poll(() => shownNames(page)).toEqual(['docs', 'report.txt', 'summary.txt']);
  } finally {
    await bucket.cleanup();
  }
});

test('transfer settings are checked as typed and kept; unfinished uploads are listed and aborted', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  try {
    // Left behind by a crash (of any tool): an upload started and never completed.
    await s3Client.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'backups/disk.img' }));
    await page.goto(webApp.url);
    await openBucket(page, name);
    const panel = panelOf(page);

    // Settings: a part smaller than S3 allows is refused under its field; a valid one is saved.
    await panel.getByRole('button', { name: 'Settings…' }).click();
    const settings = page.getByRole('dialog', { name: 'Transfer settings' });
    const partSize = settings.getByRole('textbox', { name: 'Part size (MiB)' });
    await expect(partSize).toHaveValue('8');
    await partSize.fill('3');
    await expect(partSize).toHaveAccessibleDescription(/S3 parts are at least 5 MiB/);
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings).toBeVisible();
    await partSize.fill('16');
    await settings.getByRole('textbox', { name: 'Files in parallel' }).fill('2');
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings).toBeHidden();
    await panel.getByRole('button', { name: 'Settings…' }).click();
    await expect(partSize).toHaveValue('16');
    await expect(settings.getByRole('textbox', { name: 'Files in parallel' })).toHaveValue('2');
    await settings.getByRole('button', { name: 'Cancel' }).click();

    // Unfinished uploads: listed for the bucket shown, aborted when chosen.
    await panel.getByRole('button', { name: 'Unfinished uploads…' }).click();
    const orphaned = page.getByRole('dialog', { name: 'Unfinished uploads' });
    const list = orphaned.getByRole('list', { name: 'Unfinished uploads' });
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list).toContainText('backups/disk.img');
    await list.getByRole('checkbox', { name: 'backups/disk.img' }).check();
    await orphaned.getByRole('button', { name: 'Abort 1 upload' }).click();
    await expect(orphaned).toContainText('None: nothing is left unfinished');
    const left = await s3Client.send(new ListMultipartUploadsCommand({ Bucket: name }));
    expect(left.Uploads ?? []).toEqual([]);
  } finally {
    await bucket.cleanup();
  }
});
