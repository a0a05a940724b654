import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { filesOf, gridOf, openBucket, rowOf, sidebarOf, toolbarButton } from './ui';

/**
 * axe-core over the main screens and every dialog the app had before issue #13, in light and in
 * dark: no serious or critical violation anywhere, and (on the main screens) nothing outside a
 * landmark (`region`, a moderate rule). Dialogs added for #13 are scanned in their own specs.
 */

const schemes = ['light', 'dark'] as const;
const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details', exact: true });
const transfersOf = (page: Page) => page.getByRole('region', { name: 'Transfers' });

/**
 * Waits for CSS animations to end (a toast or dialog fading in): axe measures colours as they
 * are, and a half-transparent text would fail contrast for a moment.
 */
async function settled(page: Page): Promise<void> {
  // A string, run as the page's own code (e2e has no DOM types; the CSP forbids waitForFunction's eval).
  const running = `document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length`;
  await expect.poll(() => page.evaluate(running)).toBe(0);
}

/** A main screen: no serious violation, and all of its content inside landmarks. */
async function scanScreen(page: Page, what: string): Promise<void> {
  await test.step(`axe: ${what}`, async () => {
    await settled(page);
    await expectNoSeriousAxeViolations(page);
    // Popups (a tooltip shown on focus, a menu) float above the page, outside its landmarks by design.
    const { violations } = await new AxeBuilder({ page })
      .withRules(['region'])
      .exclude('[data-radix-popper-content-wrapper]')
      .analyze();
    const outside = violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')));
    expect(outside, `${what}: content outside landmarks`).toEqual([]);
  });
}

/** The dialog open now (a dialog or an alert dialog with that name): no serious violation in it. */
async function scanDialog(page: Page, name: string | RegExp): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name }).or(page.getByRole('alertdialog', { name }));
  await expect(dialog).toBeVisible();
  await test.step(`axe: dialog ${String(name)}`, async () => {
    await settled(page);
    await expectNoSeriousAxeViolations(page, '[role="dialog"], [role="alertdialog"]');
  });
  return dialog;
}

/** Closes the dialog open now with Escape, as a keyboard user would. */
async function closeDialog(page: Page, dialog: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

for (const colorScheme of schemes) {
  test.describe(`axe in ${colorScheme} mode`, () => {
    // Many scans in one journey: longer than a plain journey's minute.
    test.describe.configure({ timeout: 180_000 });
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    test('first start, the account form, an account with buckets, and its dialogs', async ({
      page,
      freshWebApp,
      s3,
    }) => {
      await page.goto(freshWebApp.url);
      await expect(sidebarOf(page).getByText('No accounts yet')).toBeVisible();
      await scanScreen(page, 'first start, no account');

      await sidebarOf(page).getByRole('button', { name: 'Add account', exact: true }).click();
      const add = await scanDialog(page, 'Add account');
      await add.getByLabel('Provider').selectOption({ label: 'MinIO' });
      await add.getByLabel('Name', { exact: true }).fill('Scanned MinIO');
      await add.getByLabel('Endpoint').fill(s3.endpoint);
      await add.getByLabel('Region').fill(s3.region);
      await add.getByLabel('Access key ID').fill(s3.accessKeyId);
      await add.getByLabel('Secret access key').fill(s3.secretAccessKey);
      await add.getByRole('button', { name: 'Test connection' }).click();
      await expect(add.getByRole('status')).toContainText(/Connection works/);
      await scanDialog(page, 'Add account');
      await add.getByRole('button', { name: 'Save' }).click();
      await expect(add).toBeHidden();

      const account = sidebarOf(page).getByRole('treeitem', { name: 'Scanned MinIO' });
      await expect(account).toHaveAttribute('aria-selected', 'true');
      await expect(sidebarOf(page).getByRole('treeitem').nth(1)).toBeVisible();
      await scanScreen(page, 'an account with buckets');

      await account.getByRole('button', { name: 'Account actions' }).click();
      await page.getByRole('menuitem', { name: 'Edit account…' }).click();
      await closeDialog(page, await scanDialog(page, 'Edit account'));

      await account.getByRole('button', { name: 'Account actions' }).click();
      await page.getByRole('menuitem', { name: 'Remove account…' }).click();
      await closeDialog(page, await scanDialog(page, 'Remove account'));

      await sidebarOf(page).getByRole('button', { name: 'Create bucket', exact: true }).click();
      await closeDialog(page, await scanDialog(page, 'Create bucket'));

      // The account's customer key (SSE-C), from the details of the account. (The tooltip of the
      // button focused again after the last dialog lies over the row: a click goes through it.)
      await account.click();
      await detailsOf(page)
        .getByRole('button', { name: /Encryption key \(SSE-C\)/ })
        .click();
      await closeDialog(page, await scanDialog(page, 'Encryption key (SSE-C)'));
    });

    test('the file list with a selection, the details and transfers panels, and every dialog of files', async ({
      page,
      webApp,
      s3,
      s3Client,
    }) => {
      const bucket = await freshBucket(s3);
      const downloads = await mkdtemp(join(tmpdir(), 's3fm-a11y-'));
      try {
        await s3Client.send(
          new PutBucketVersioningCommand({ Bucket: bucket.name, VersioningConfiguration: { Status: 'Enabled' } }),
        );
        for (const [Key, Body] of [
          ['notes.txt', 'first'],
          ['notes.txt', 'second'],
          ['docs/readme.md', '# Read me'],
          ['report.csv', 'a,b\n1,2\n'],
        ] as const) {
          await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body }));
        }
        await page.goto(webApp.url);
        await openBucket(page, bucket.name);
        await expect(rowOf(page, 'notes.txt')).toBeVisible();
        await scanScreen(page, 'a bucket open, its properties in the details');

        // A selected row, in a focused list (the accent selection) and the file's details.
        await rowOf(page, 'notes.txt').click();
        await expect(rowOf(page, 'notes.txt')).toHaveAttribute('aria-selected', 'true');
        await expect(detailsOf(page).getByRole('heading', { name: 'notes.txt' })).toBeVisible();
        await scanScreen(page, 'a file selected, the focused list');
        // And in a list without focus (the quieter selection colour).
        await filesOf(page).getByRole('textbox', { name: 'Path' }).focus();
        await scanScreen(page, 'a file selected, the list without focus');

        // Dialogs of the toolbar, the context menu and the details.
        await gridOf(page).focus();
        await toolbarButton(page, 'Rename').click();
        await closeDialog(page, await scanDialog(page, 'Rename file'));
        await toolbarButton(page, 'Copy to').click();
        await closeDialog(page, await scanDialog(page, 'Copy to'));
        await toolbarButton(page, 'Move to').click();
        await closeDialog(page, await scanDialog(page, 'Move to'));
        await toolbarButton(page, 'Delete').click();
        await closeDialog(page, await scanDialog(page, 'Delete'));
        await toolbarButton(page, 'Download').click();
        await closeDialog(page, await scanDialog(page, 'Download'));
        // The upload dialog with its options open, and the question it asks when a name exists.
        await toolbarButton(page, 'Upload').click();
        const upload = await scanDialog(page, 'Upload');
        await upload.getByRole('button', { name: 'Options' }).click();
        await scanDialog(page, 'Upload');
        const existing = join(downloads, 'notes.txt');
        await writeFile(existing, 'a third version');
        const chooser = page.waitForEvent('filechooser');
        await upload.getByRole('button', { name: 'Files…' }).click();
        await (await chooser).setFiles(existing);
        await closeDialog(page, await scanDialog(page, 'Some names exist already'));
        await toolbarButton(page, 'New folder').click();
        await closeDialog(page, await scanDialog(page, 'New folder'));

        // The share dialog, each of its tabs.
        await rowOf(page, 'notes.txt').click();
        await toolbarButton(page, 'Copy link').click();
        const share = await scanDialog(page, 'Share “notes.txt”');
        for (const tab of ['Upload link', 'Other URLs', 'Links made']) {
          await share.getByRole('tab', { name: tab }).click();
          await scanDialog(page, 'Share “notes.txt”');
        }
        await closeDialog(page, share);

        await rowOf(page, 'notes.txt').click({ button: 'right' });
        await page.getByRole('menuitem', { name: 'Show versions' }).click();
        const versions = await scanDialog(page, 'Versions of “notes.txt”');
        await expect(versions.getByRole('button', { name: /^Restore / })).toHaveCount(1);
        await scanDialog(page, 'Versions of “notes.txt”');
        await closeDialog(page, versions);

        await rowOf(page, 'notes.txt').click();
        await detailsOf(page).getByRole('button', { name: /^Edit/ }).first().click();
        await closeDialog(page, await scanDialog(page, 'Edit properties'));
        await detailsOf(page)
          .getByRole('button', { name: /^Edit tags/ })
          .click();
        await closeDialog(page, await scanDialog(page, 'Edit tags'));

        // Bucket deletion, from the bucket's context menu in the sidebar.
        await sidebarOf(page).getByRole('treeitem', { name: bucket.name, exact: true }).click({ button: 'right' });
        await page.getByRole('menuitem', { name: /^Delete bucket/ }).click();
        await closeDialog(page, await scanDialog(page, 'Delete bucket'));

        // The transfers panel with a finished download in it, and its two dialogs.
        await rowOf(page, 'report.csv').click();
        await toolbarButton(page, 'Download').click();
        const download = page.getByRole('dialog', { name: 'Download' });
        await download.getByRole('textbox', { name: 'Download to' }).fill(downloads);
        await download.getByRole('button', { name: 'Download', exact: true }).click();
        await expect(download).toBeHidden();
        await expect(transfersOf(page)).toContainText('report.csv');
        await expect(transfersOf(page)).toContainText('Finished');
        // And the toast that says the batch finished (scanned once it has faded in).
        await expect(
          page
            .getByRole('region', { name: /^Notifications/ })
            .getByRole('listitem')
            .first(),
        ).toBeVisible();
        await scanScreen(page, 'the transfers panel with a finished download');
        await transfersOf(page).getByRole('button', { name: 'Settings…' }).click();
        await closeDialog(page, await scanDialog(page, 'Transfer settings'));
        await transfersOf(page).getByRole('button', { name: 'Unfinished uploads…' }).click();
        await closeDialog(page, await scanDialog(page, 'Unfinished uploads'));

        // A narrow window: the side panes as rails.
        await page.setViewportSize({ width: 900, height: 600 });
        await expect(page.getByRole('complementary', { name: 'Details (collapsed)' })).toBeVisible();
        await scanScreen(page, 'a narrow window with the details folded');
      } finally {
        await bucket.cleanup();
        await rm(downloads, { recursive: true, force: true });
      }
    });
  });
}
