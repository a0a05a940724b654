import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { filesOf, rowOf, sidebarOf, toolbarButton, withAlertsOf } from './ui';

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details' });
/** A value in the details panel: the definition right after the term with that name. */
const property = (scope: Locator, name: string) =>
  scope
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .locator('xpath=following-sibling::dd[1]');

async function openBucketAndSelect(page: Page, bucket: string, name: string): Promise<void> {
  await sidebarOf(page).getByRole('treeitem', { name: bucket, exact: true }).click();
  await expect(filesOf(page).getByRole('heading', { name: bucket })).toBeVisible();
  await rowOf(page, name).click();
  await expect(rowOf(page, name)).toHaveAttribute('aria-selected', 'true');
}

async function bodyOf(client: S3Client, Bucket: string, Key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

test('a new user selects a file, copies a one-hour share link (read back from the clipboard), fetches it, opens the details panel, changes the content type, adds a metadata entry, and sees both after a refresh', async ({
  page,
  context,
  webApp,
  s3,
  s3Client,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  const Key = 'report.csv';
  const bytes = randomBytes(3000);
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key, Body: bytes, ContentType: 'application/octet-stream' }));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(webApp.url);
    await openBucketAndSelect(page, Bucket, Key);

    // Copy link: the share dialog opens on a one-hour link; its button makes it and copies it.
    await toolbarButton(page, 'Copy link').click();
    const dialog = page.getByRole('dialog', { name: `Share “${Key}”` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('radio', { name: '1 hour' })).toBeChecked();
    const madeAt = Date.now();
    await dialog.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect(page.getByText('Link copied', { exact: true })).toBeVisible();
    // A string: the e2e code has no DOM types, and this runs in the page.
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*X-Amz-Signature=/);
    // One link, shown as copied, with its exact expiry about an hour ahead.
    await expect(dialog.getByRole('textbox', { name: `Link for ${Key}` })).toHaveValue(copied);
    const expiry = dialog.getByRole('listitem', { name: Key }).locator('time').first();
    const expiresAt = Date.parse((await expiry.getAttribute('datetime')) ?? '');
    expect(Math.abs(expiresAt - (madeAt + 3600_000))).toBeLessThan(60_000);
    await expect(dialog.getByRole('listitem', { name: Key })).toContainText('in 1 hour');
    await expect(dialog.getByRole('button', { name: `Copy link for ${Key}` })).toBeVisible();

    // The link works for anyone: a plain HTTP client gets the very bytes that were put.
    const response = await fetch(copied);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);

    // Bad lifetimes: 0, negative, over 7 days are refused on the spot and nothing is sent.
    await dialog.getByRole('radio', { name: 'Custom' }).check();
    const lifetime = dialog.getByRole('spinbutton', { name: 'Custom lifetime' });
    const copyButton = dialog.getByRole('button', { name: 'Copy link', exact: true });
    await lifetime.fill('0');
    await expect(dialog.getByText('A link must live at least 1 second.')).toBeVisible();
    await expect(copyButton).toBeDisabled();
    await lifetime.fill('-2');
    await expect(dialog.getByText('A link must live at least 1 second.')).toBeVisible();
    await dialog.getByRole('combobox', { name: 'Unit of the custom lifetime' }).selectOption('days');
    await lifetime.fill('8');
    await expect(dialog.getByText('A link can live at most 7 days (a limit of S3 signatures).')).toBeVisible();
    await expect(copyButton).toBeDisabled();
    await copyButton.click({ force: true });
    await lifetime.press('Enter');

    // An upload link: someone without credentials PUTs a file, and it lands in the folder.
    await dialog.getByRole('tab', { name: 'Upload link' }).click();
    const putSection = dialog.getByRole('region', { name: 'Upload link' });
    await putSection.getByRole('textbox', { name: 'File name' }).fill('incoming.txt');
    await putSection.getByRole('button', { name: 'Create upload link' }).click();
    const putUrl = await putSection.getByRole('textbox', { name: 'Link for incoming.txt' }).inputValue();
    expect((await fetch(putUrl, { method: 'PUT', body: 'sent by a stranger' })).status).toBe(200);
    expect((await bodyOf(s3Client, Bucket, 'incoming.txt')).toString()).toBe('sent by a stranger');
    await expect(putSection.getByRole('textbox', { name: 'Upload with curl' })).toHaveValue(/^curl -X PUT /);
    // An upload form (POST policy), as a ready-to-paste HTML form.
    const postSection = dialog.getByRole('region', { name: 'Upload form' });
    await postSection.getByRole('button', { name: 'Create upload form' }).click();
    await expect(postSection.getByRole('textbox', { name: 'HTML form' })).toHaveValue(
      /<form action="http:\/\/127\.0\.0\.1:\d+\/[^"]*" method="post"/,
    );
    // The plain URLs, and whether anyone may read the object.
    await dialog.getByRole('tab', { name: 'Other URLs' }).click();
    await expect(dialog.getByRole('textbox', { name: `S3 URI of ${Key}` })).toHaveValue(`s3://${Bucket}/${Key}`);
    await expect(dialog.getByText(/^Not publicly readable/)).toBeVisible();

    // The links list holds the three links made, newest first (no secrets in it); Clear empties it.
    await dialog.getByRole('tab', { name: 'Links made' }).click();
    const made = dialog.getByRole('list', { name: 'Links made' }).getByRole('listitem');
    await expect(made).toHaveCount(3);
    await expect(made.nth(0)).toContainText('Upload form');
    await expect(made.nth(1)).toContainText('Uploadincoming.txt');
    await expect(made.nth(2)).toContainText('Download');
    await expect(made.nth(2)).toContainText(Key);
    await expect(made.nth(2).getByRole('button', { name: `Copy link for ${Key}` })).toBeVisible();
    await dialog.getByRole('button', { name: 'Clear list' }).click();
    await expect(dialog.getByText('No links made yet.')).toBeVisible();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();

    // The details panel shows what HEAD says.
    const details = detailsOf(page);
    await expect(property(details, 'Content type')).toHaveText('application/octet-stream');
    await expect(details.getByRole('region', { name: 'User metadata' })).toContainText('None');

    // Edit: a new content type and a metadata entry; a key with a space is refused first.
    await details.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit properties' });
    await edit.getByRole('textbox', { name: 'Content type' }).fill('text/csv');
    await edit.getByRole('button', { name: 'Add metadata entry' }).click();
    const metadataKey = edit.getByRole('textbox', { name: 'Metadata key 1' });
    await expect(metadataKey).toBeFocused();
    await metadataKey.fill('reviewed by');
    await edit.getByRole('textbox', { name: 'Metadata value 1' }).fill('ana');
    const refusal = 'A metadata key may contain only ASCII letters, digits and - _ . (no spaces or accents).';
    await expect(edit.getByText(refusal)).toBeVisible();
    await expect(metadataKey).toHaveAttribute('aria-invalid', 'true');
    const save = edit.getByRole('button', { name: 'Save', exact: true });
    await expect(save).toBeDisabled();
    await save.click({ force: true });
    await expect(edit).toBeVisible();
    await metadataKey.fill('révisé');
    await expect(edit.getByText(refusal)).toBeVisible();
    // Nothing reached the bucket.
    const untouched = await s3Client.send(new HeadObjectCommand({ Bucket, Key }));
    expect(untouched.ContentType).toBe('application/octet-stream');
    expect(untouched.Metadata).toEqual({});

    await metadataKey.fill('reviewed-by');
    await expect(edit.getByText(refusal)).toBeHidden();
    await save.click();
    await expect(edit).toBeHidden();
    // Saved as a long operation; the panel reloads once it ends.
    await expect(property(details, 'Content type')).toHaveText('text/csv');
    await expect(property(details.getByRole('region', { name: 'User metadata' }), 'reviewed-by')).toHaveText('ana');

    // After a refresh the panel still shows both, and so does the bucket.
    await toolbarButton(page, 'Refresh').click();
    await expect(rowOf(page, Key)).toHaveAttribute('aria-selected', 'true');
    await expect(property(details, 'Content type')).toHaveText('text/csv');
    await expect(property(details.getByRole('region', { name: 'User metadata' }), 'reviewed-by')).toHaveText('ana');
    const head = await s3Client.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ContentType).toBe('text/csv');
    expect(head.Metadata).toEqual({ 'reviewed-by': 'ana' });
    expect((await bodyOf(s3Client, Bucket, Key)).equals(bytes)).toBe(true);

    // Tags: an eleventh tag is refused inline, and nothing is sent.
    await details.getByRole('button', { name: 'Edit tags…' }).click();
    const tagsDialog = page.getByRole('dialog', { name: 'Edit tags' });
    for (let n = 1; n <= 11; n++) {
      await tagsDialog.getByRole('button', { name: 'Add tag' }).click();
      await tagsDialog.getByRole('textbox', { name: `Tag key ${n}` }).fill(`k${n}`);
      await tagsDialog.getByRole('textbox', { name: `Tag value ${n}` }).fill(`v${n}`);
    }
    await expect(tagsDialog.getByText('An object can have at most 10 tags.')).toBeVisible();
    const saveTags = tagsDialog.getByRole('button', { name: 'Save', exact: true });
    await expect(saveTags).toBeDisabled();
    await saveTags.click({ force: true });
    await expect(tagsDialog).toBeVisible();
    expect((await s3Client.send(new GetObjectTaggingCommand({ Bucket, Key }))).TagSet ?? []).toEqual([]);
    // Ten are fine.
    await tagsDialog.getByRole('button', { name: 'Remove tag 11' }).click();
    await expect(tagsDialog.getByText('An object can have at most 10 tags.')).toBeHidden();
    await saveTags.click();
    await expect(tagsDialog).toBeHidden();
    await expect(property(details.getByRole('region', { name: 'Tags' }), 'k10')).toHaveText('v10');
    const tagged = await s3Client.send(new GetObjectTaggingCommand({ Bucket, Key }));
    expect((tagged.TagSet ?? []).length).toBe(10);
    // Tags survive a later metadata edit (copied with the object).
    expect((await s3Client.send(new HeadObjectCommand({ Bucket, Key }))).Metadata).toEqual({ 'reviewed-by': 'ana' });
  } finally {
    await bucket.cleanup();
  }
});

// A 1×1 PNG: enough for the browser to decode, so the preview proves the image was fetched.
const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

test('the details panel turns versioning on and suspends it, counts a folder, previews an image and a long text, and shares and edits several files at once', async ({
  page,
  context,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  // Just over the 256 KiB the text preview reads, so it says it is cut.
  const text = 'line of text\n'.repeat(21_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'notes.txt', Body: text, ContentType: 'text/plain' }));
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'pic.png', Body: onePixelPng, ContentType: 'image/png' }));
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'docs/a.txt', Body: 'x'.repeat(100) }));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(webApp.url);
    await sidebarOf(page).getByRole('treeitem', { name: Bucket, exact: true }).click();
    const details = detailsOf(page);
    const bucketSection = details.getByRole('region', { name: 'Bucket' });

    // Versioning: off, turned on, then suspended after a confirmation; the bucket agrees each time.
    await expect(property(bucketSection, 'Versioning')).toContainText('Off');
    await bucketSection.getByRole('button', { name: 'Turn on versioning' }).click();
    await page
      .getByRole('alertdialog', { name: 'Turn on versioning?' })
      .getByRole('button', { name: 'Turn on versioning' })
      .click();
    await expect(property(bucketSection, 'Versioning')).toContainText('On');
    expect((await s3Client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    await bucketSection.getByRole('button', { name: 'Suspend versioning' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Suspend versioning?' });
    await confirm.getByRole('button', { name: 'Suspend' }).click();
    await expect(confirm).toBeHidden();
    await expect(property(bucketSection, 'Versioning')).toContainText('Suspended');
    expect((await s3Client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Suspended');
    await expect(property(bucketSection, 'Default encryption')).not.toBeEmpty();

    // The size of the bucket's root, on request: every object under it.
    await details.getByRole('button', { name: 'Calculate size' }).click();
    const total = text.length + onePixelPng.length + 100;
    await expect(property(details, 'Size')).toContainText(`3 objects`);
    await expect(property(details, 'Size')).toContainText(`${total.toLocaleString('en-US')} bytes`);

    // A small image previews at once, streamed from its presigned URL (the CSP allows it).
    await rowOf(page, 'pic.png').click();
    const image = details.getByRole('img', { name: 'Preview of pic.png' });
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);

    // A long text previews its start on request, and says it was cut.
    await rowOf(page, 'notes.txt').click();
    await details.getByRole('button', { name: 'Preview' }).click();
    await expect(details.getByLabel('Preview of notes.txt')).toContainText('line of text');
    await expect(details.getByText(/^Truncated/)).toBeVisible();

    // Two files at once. Ctrl/Cmd+Shift+L shares them: one link per line on the clipboard.
    await rowOf(page, 'pic.png').click({ modifiers: ['ControlOrMeta'] });
    await expect(details.getByRole('heading', { name: '2 items selected' })).toBeVisible();
    await page.keyboard.press('ControlOrMeta+Shift+L');
    const share = page.getByRole('dialog', { name: 'Share 2 files' });
    await share.getByRole('button', { name: 'Copy links', exact: true }).click();
    await expect(page.getByText('2 links copied', { exact: true })).toBeVisible();
    const lines = ((await page.evaluate('navigator.clipboard.readText()')) as string).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => new URL(line).pathname).sort()).toEqual([`/${Bucket}/notes.txt`, `/${Bucket}/pic.png`]);
    const fetched = await fetch(lines.find((line) => line.includes('/pic.png')) ?? '');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(onePixelPng)).toBe(true);
    await expect(share.getByRole('button', { name: 'Copy link for notes.txt' })).toBeVisible();
    await share.getByRole('button', { name: 'Done' }).click();

    // One header for both, each keeping its own content type.
    await details.getByRole('button', { name: 'Edit 2 files…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit properties' });
    await edit.getByRole('textbox', { name: 'Cache-Control' }).fill('no-cache');
    await edit.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(edit).toBeHidden();
    await expect
      .poll(async () => (await s3Client.send(new HeadObjectCommand({ Bucket, Key: 'pic.png' }))).CacheControl)
      .toBe('no-cache');
    const notes = await s3Client.send(new HeadObjectCommand({ Bucket, Key: 'notes.txt' }));
    expect(notes.CacheControl).toBe('no-cache');
    expect(notes.ContentType).toBe('text/plain');
    expect((await s3Client.send(new HeadObjectCommand({ Bucket, Key: 'pic.png' }))).ContentType).toBe('image/png');
  } finally {
    await bucket.cleanup();
  }
});

/** Every file under a folder, read as text. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')));
}

test('a customer key (SSE-C) is generated, shown once, stored with its fingerprint, and removed', async ({
  page,
  webApp,
}) => {
  // The key goes to the OS keychain: npm test runs the e2e stage inside a D-Bus session with gnome-keyring.
  test.skip(!process.env.DBUS_SESSION_BUS_ADDRESS, 'SKIPPED: needs a Secret Service (run through npm test)');
  await page.goto(webApp.url);
  await sidebarOf(page).getByRole('treeitem', { name: 'Local MinIO' }).click();
  await detailsOf(page).getByRole('button', { name: 'Encryption key (SSE-C)…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Encryption key (SSE-C)' });
  await expect(dialog.getByText('No key is stored for this account.')).toBeVisible();

  // A key typed in is checked as typed.
  await dialog.getByRole('button', { name: 'Use my own key' }).click();
  await dialog.getByLabel('Key (base64)').fill('too-short');
  await expect(dialog.getByText('An SSE-C key is 32 bytes, given as 44 characters of base64.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Save key' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Generated: shown once, saved only after the person says they kept it.
  await dialog.getByRole('button', { name: 'Generate key' }).click();
  const key = await dialog.getByRole('textbox', { name: 'New encryption key' }).inputValue();
  expect(Buffer.from(key, 'base64')).toHaveLength(32);
  await expect(dialog.getByText(/cannot be read without it/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Save key' })).toBeDisabled();
  await dialog.getByRole('checkbox', { name: 'I have kept a copy of this key' }).check();
  await dialog.getByRole('button', { name: 'Save key' }).click();
  const fingerprint = createHash('md5').update(Buffer.from(key, 'base64')).digest('base64');
  await withAlertsOf(dialog, () => expect(dialog.getByText('A key is stored for this account.')).toBeVisible());
  await expect(dialog.getByText(fingerprint)).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'New encryption key' })).toHaveCount(0);
  // The key is in the keychain, not in the app's files.
  for (const content of await filesUnder(webApp.dataDir)) expect(content).not.toContain(key);

  // Removed after a confirmation.
  await dialog.getByRole('button', { name: 'Remove key' }).click();
  await dialog.getByRole('button', { name: 'Remove key' }).click();
  await expect(dialog.getByText('No key is stored for this account.')).toBeVisible();
});
