import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import playwrightConfig from '../playwright.config';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { keysIn, openBucket, rowOf, sidebarOf, toolbarButton } from './ui';

// The drop box: a folder's upload page, made in the app, saved and copied, then opened by a
// recipient in a real Chromium from file:// (and data:) that uploads through MinIO's POST
// policy. MinIO allows every origin server-wide (the page's is "null"), so the page works as is.

async function bodyOf(client: S3Client, Bucket: string, Key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** The row of one file on the upload page. */
const fileRow = (page: Page, name: string): Locator =>
  page.getByRole('list', { name: 'Files' }).getByRole('listitem').filter({ hasText: name });

/** Opens a page file in a new tab of the same browser, as a recipient double-clicking it would. */
async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Upload files' })).toBeVisible();
  return page;
}

test('a folder gets a drop box: its upload page, saved and copied, uploads from file:// and data: into that folder only, and says "too large" and "expired" in words', async ({
  page,
  context,
  playwright,
  webApp,
  s3,
  s3Client,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  const folder = await mkdtemp(join(tmpdir(), 's3fm-dropbox-'));
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'inbox/readme.txt', Body: 'drop files here' }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    await openBucket(page, Bucket);

    // The sidebar's bucket menu offers it for the bucket's root too.
    await sidebarOf(page).getByRole('treeitem', { name: Bucket, exact: true }).click({ button: 'right' });
    await page
      .getByRole('menu', { name: `Actions for ${Bucket}` })
      .getByRole('menuitem', { name: 'Create drop box…' })
      .click();
    const fromTree = page.getByRole('dialog', { name: `Drop box for “${Bucket}”` });
    await expect(fromTree).toContainText(`An upload page for s3://${Bucket}/`);
    await fromTree.getByRole('button', { name: 'Done' }).click();
    await expect(fromTree).toBeHidden();

    // The bucket's root, from the toolbar with nothing selected, for a page that lives one second.
    await toolbarButton(page, 'Drop box').click();
    const rootDialog = page.getByRole('dialog', { name: `Drop box for “${Bucket}”` });
    await expect(rootDialog).toBeVisible();
    await rootDialog.getByRole('radio', { name: 'Custom' }).check();
    await rootDialog.getByRole('spinbutton', { name: 'Custom lifetime' }).fill('0.02');
    await rootDialog.getByRole('combobox', { name: 'Unit of the custom lifetime' }).selectOption('minutes');
    await rootDialog.getByRole('button', { name: 'Make upload page' }).click();
    await expect(rootDialog).toContainText(`into the storage bucket “${Bucket}”`);
    const shortDownload = page.waitForEvent('download');
    await rootDialog.getByRole('button', { name: 'Save page…' }).click();
    const shortPage = join(folder, 'short.html');
    await (await shortDownload).saveAs(shortPage);
    const shortHtml = await readFile(shortPage, 'utf8');
    const expiresAt = /"expiresAt":"([^"]+)"/.exec(shortHtml)?.[1] ?? '';
    expect(shortHtml).toContain('"keyPrefix":""');
    await rootDialog.getByRole('button', { name: 'Done' }).click();
    // From the folder's context menu.
    await rowOf(page, 'inbox').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Create drop box…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Drop box for “inbox”' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('radio', { name: '1 hour' })).toBeChecked();
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await dialog.getByRole('spinbutton', { name: 'Largest file' }).fill('2');
    await dialog.getByRole('combobox', { name: 'Unit of the largest file' }).selectOption('KiB');
    await dialog.getByRole('button', { name: 'Make upload page' }).click();
    await expect(dialog.getByRole('heading', { name: 'Upload page ready' })).toBeVisible();
    await expect(dialog).toContainText('up to 2 KiB into the folder “inbox/”');
    await expect(
      dialog.getByRole('status').filter({ hasText: 'The bucket accepts uploads from the page' }),
    ).toBeVisible();
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await page.emulateMedia({ colorScheme: 'light' });

    // Save page… downloads it in web mode; Copy link copies the same page as a data: URL.
    const downloading = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Save page…' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('upload-to-inbox.html');
    const saved = join(folder, 'upload-to-inbox.html');
    await download.saveAs(saved);
    const html = await readFile(saved, 'utf8');
    expect(html).not.toContain(s3.secretAccessKey);
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByText('Page link copied', { exact: true })).toBeVisible();
    const dataUrl = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(dataUrl.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(Buffer.from(dataUrl.split(',')[1] ?? '', 'base64').toString('utf8')).toBe(html);
    await expect(dialog).toContainText('This service is on a local address');
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The recipient opens the saved file and picks two files: one lands, one is too large.
    const recipient = await openPage(context, pathToFileURL(saved).href);
    await expect(recipient.getByText('Each file may be up to 2 KiB.', { exact: false })).toBeVisible();
    await expectNoSeriousAxeViolations(recipient);
    const photo = randomBytes(1500);
    await recipient.getByLabel('Choose files to upload').setInputFiles([
      { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'movie.mp4', mimeType: 'video/mp4', buffer: randomBytes(5000) },
    ]);
    await expect(fileRow(recipient, 'photo.jpg')).toContainText('Uploaded');
    await expect(fileRow(recipient, 'movie.mp4')).toContainText('Too large: this page accepts files of up to 2 KiB.');
    await expect(recipient.getByRole('status')).toHaveText('1 uploaded, 1 failed');
    expect((await bodyOf(s3Client, Bucket, 'inbox/photo.jpg')).equals(photo)).toBe(true);
    await recipient.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxeViolations(recipient);
    await recipient.close();

    // The same page from its data: link. Chromium lets a page from a data: link (no secure
    // context) reach public addresses only (Local Network Access), and MinIO here is on 127.0.0.1,
    // which the dialog says: so this recipient's browser has that check off, as for a public bucket.
    const launch = playwrightConfig.use?.launchOptions ?? {};
    const remote = await playwright.chromium.launch({
      ...launch,
      args: [...(launch.args ?? []), '--disable-features=LocalNetworkAccessChecks'],
    });
    try {
      const fromLink = await openPage(await remote.newContext(), dataUrl);
      const note = Buffer.from('from the link');
      await fromLink
        .getByLabel('Choose files to upload')
        .setInputFiles([{ name: 'note.txt', mimeType: 'text/plain', buffer: note }]);
      await expect(fileRow(fromLink, 'note.txt')).toContainText('Uploaded');
      expect((await bodyOf(s3Client, Bucket, 'inbox/note.txt')).equals(note)).toBe(true);
    } finally {
      await remote.close();
    }

    // A page changed to aim elsewhere and to skip its own size check: the storage refuses both,
    // and the page says why from S3's error XML.
    const tampered = join(folder, 'tampered.html');
    await writeFile(
      tampered,
      html
        .replace('"keyPrefix":"inbox/"', '"keyPrefix":"elsewhere/"')
        .replace('"maxSizeBytes":2048', '"maxSizeBytes":99999'),
    );
    const changed = await openPage(context, pathToFileURL(tampered).href);
    await changed
      .getByLabel('Choose files to upload')
      .setInputFiles([{ name: 'sneaky.txt', mimeType: 'text/plain', buffer: Buffer.from('x') }]);
    await expect(fileRow(changed, 'sneaky.txt')).toContainText(
      'Refused: the storage accepts files only in the folder this page was made for',
    );
    await changed.close();
    const bigger = join(folder, 'bigger.html');
    await writeFile(bigger, html.replace('"maxSizeBytes":2048', '"maxSizeBytes":99999'));
    const unchecked = await openPage(context, pathToFileURL(bigger).href);
    await unchecked
      .getByLabel('Choose files to upload')
      .setInputFiles([{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(5000) }]);
    await expect(fileRow(unchecked, 'big.bin')).toContainText('Too large: this page accepts files of up to');
    await unchecked.close();
    expect(await keysIn(s3Client, Bucket)).toEqual(['inbox/note.txt', 'inbox/photo.jpg', 'inbox/readme.txt']);

    // The bucket root's page, opened after its one-second policy expired; its own clock check is
    // set aside, so the storage's answer shows.
    await expect.poll(() => Date.now() > Date.parse(expiresAt) + 1000, { timeout: 10_000 }).toBe(true);
    await writeFile(
      shortPage,
      shortHtml.replace(`"expiresAt":"${expiresAt}"`, '"expiresAt":"2099-01-01T00:00:00.000Z"'),
    );
    const late = await openPage(context, pathToFileURL(shortPage).href);
    await late
      .getByLabel('Choose files to upload')
      .setInputFiles([{ name: 'late.txt', mimeType: 'text/plain', buffer: Buffer.from('late') }]);
    await expect(fileRow(late, 'late.txt')).toContainText('This upload link has expired. Ask the person who sent it');
    await late.close();

    // Unchanged, the expired page says so as soon as it opens, and offers no picker.
    await writeFile(shortPage, shortHtml);
    const expired = await openPage(context, pathToFileURL(shortPage).href);
    await expect(expired.getByRole('alert')).toHaveText(
      'This upload link has expired. Ask the person who sent it for a new one.',
    );
    await expect(expired.getByLabel('Choose files to upload')).toBeHidden();
    expect(await keysIn(s3Client, Bucket)).not.toContain('late.txt');
  } finally {
    await rm(folder, { recursive: true, force: true });
    await bucket.cleanup();
  }
});

test("where the bucket's CORS blocks the page, the drop box says so, shows the exact rule before adding it, and says in words that this service takes no bucket rules", async ({
  page,
  proxiedWebApp,
  s3,
  s3Client,
}) => {
  // The proxy refuses the page's preflight as S3 does without a matching rule; MinIO itself then
  // answers PutBucketCors with NotImplemented.
  proxiedWebApp.proxy.addFault({
    match: { method: 'OPTIONS' },
    fault: {
      kind: 'status',
      status: 403,
      code: 'AccessForbidden',
      message: 'CORSResponse: This CORS request is not allowed.',
    },
  });
  const bucket = await freshBucket(s3);
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'a.txt', Body: 'a' }));
    await page.goto(proxiedWebApp.url);
    await openBucket(page, bucket.name);
    // From the share dialog's upload tab, where the bare POST form points to the drop box.
    await rowOf(page, 'a.txt').click();
    await toolbarButton(page, 'Copy link').click();
    const share = page.getByRole('dialog', { name: 'Share “a.txt”' });
    await share.getByRole('tab', { name: 'Upload link' }).click();
    await share.getByRole('button', { name: 'Make a drop box for this folder…' }).click();
    await expect(share).toBeHidden();
    const dialog = page.getByRole('dialog', { name: `Drop box for “${bucket.name}”` });
    await dialog.getByRole('button', { name: 'Make upload page' }).click();
    const cors = dialog.getByRole('status').filter({ hasText: 'does not accept uploads from the page yet' });
    await expect(cors).toContainText('The bucket has no CORS rules.');
    await cors.getByRole('button', { name: 'Add CORS rule…' }).click();
    const confirm = cors.getByRole('group', { name: 'Add the CORS rule' });
    await expect(confirm).toContainText(
      `The app will add to the bucket ${bucket.name}: A CORS rule with the id "s3fm-drop-box-upload-page" that allows the POST method from the origin "null"`,
    );
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await confirm.getByRole('button', { name: 'Add this rule' }).click();
    await expect(cors.getByRole('alert')).toContainText('This service does not take CORS rules per bucket');
    // Asked again, the app no longer offers the rule, and says why.
    await dialog.getByRole('button', { name: 'Make upload page' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: 'does not take CORS rules per bucket' })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Add CORS rule…' })).toHaveCount(0);
  } finally {
    await bucket.cleanup();
  }
});
