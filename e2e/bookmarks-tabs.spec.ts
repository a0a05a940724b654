import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { filesOf, openBucket, rowOf, shownNames, sidebarOf } from './ui';

/** The sidebar's bookmarks, top to bottom. */
const bookmarkNames = (page: Page) =>
  sidebarOf(page).getByRole('region', { name: 'Bookmarks' }).locator('.bookmark__name').allInnerTexts();
/** The tab strip's tabs. */
const tabsOf = (page: Page) => filesOf(page).getByRole('tablist', { name: 'Tabs' }).getByRole('tab');
/** The folder the file list shows (the last breadcrumb, a heading). */
const showing = (page: Page, name: string) =>
  expect(filesOf(page).getByRole('heading', { name, exact: true })).toBeVisible();

test('bookmarks are made, renamed, reordered and opened; two tabs, and a file dragged from one onto the other is copied there', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  const photo = Buffer.from(`a photo's bytes ${Date.now()}`);
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'photos/a.jpg', Body: photo }));
    await s3Client.send(new PutObjectCommand({ Bucket: name, Key: 'docs/readme.md', Body: 'read me' }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    const sidebar = sidebarOf(page);
    const files = filesOf(page);

    // Bookmark two folders from the path bar: each is named after its folder.
    await openBucket(page, name);
    await sidebar.getByRole('treeitem', { name: 'photos', exact: true }).click();
    await showing(page, 'photos');
    await files.getByRole('button', { name: 'Bookmark this folder' }).click();
    await expect.poll(() => bookmarkNames(page)).toEqual(['photos']);
    await sidebar.getByRole('treeitem', { name: 'docs', exact: true }).click();
    await showing(page, 'docs');
    await files.getByRole('button', { name: 'Bookmark this folder' }).click();
    await expect.poll(() => bookmarkNames(page)).toEqual(['photos', 'docs']);
    // A folder bookmarked already says so instead of making a second one.
    await expect(files.getByRole('button', { name: 'Bookmark this folder' })).toHaveAttribute('aria-disabled', 'true');

    // Rename, by keyboard from the bookmark's menu; a name in use is refused in words.
    await sidebar.getByRole('button', { name: 'Actions for bookmark docs' }).click();
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    const field = sidebar.getByRole('textbox', { name: 'New name for bookmark docs' });
    await field.fill('PHOTOS');
    await field.press('Enter');
    await expect(sidebar.getByRole('alert')).toHaveText(
      'A bookmark named "photos" exists already. Choose another name.',
    );
    await field.fill('Team docs');
    await field.press('Enter');
    await expect.poll(() => bookmarkNames(page)).toEqual(['photos', 'Team docs']);

    // Reorder: "Move up" from the menu, then back by dragging one bookmark onto the other.
    await sidebar.getByRole('button', { name: 'Actions for bookmark Team docs' }).click();
    await page.getByRole('menuitem', { name: 'Move up' }).click();
    await expect.poll(() => bookmarkNames(page)).toEqual(['Team docs', 'photos']);
    await sidebar
      .getByRole('listitem')
      .filter({ hasText: 'photos' })
      .dragTo(sidebar.getByRole('listitem').filter({ hasText: 'Team docs' }));
    await expect.poll(() => bookmarkNames(page)).toEqual(['photos', 'Team docs']);

    // Kept by main: a reload lists them in the same order.
    await page.reload();
    await expect.poll(() => bookmarkNames(page)).toEqual(['photos', 'Team docs']);

    // Open from the sidebar, from the path bar by name, and from the Bookmarks menu.
    await sidebar.getByRole('button', { name: 'Team docs', exact: true }).click();
    await showing(page, 'docs');
    await expect.poll(() => shownNames(page)).toEqual(['readme.md']);
    const path = files.getByRole('textbox', { name: 'Path' });
    await path.fill('Photos');
    await path.press('Enter');
    await showing(page, 'photos');
    await files.getByRole('button', { name: 'Bookmarks' }).click();
    await page.getByRole('menuitem', { name: 'Team docs' }).click();
    await showing(page, 'docs');

    // Two tabs: a new tab opens on the folder shown; each goes its own way.
    await expect(tabsOf(page)).toHaveCount(1);
    await files.getByRole('button', { name: 'New tab' }).click();
    await expect(tabsOf(page)).toHaveCount(2);
    await sidebar.getByRole('button', { name: 'photos', exact: true }).click();
    await showing(page, 'photos');
    await expect.poll(() => tabsOf(page).allInnerTexts()).toEqual(['docs', 'photos']);
    await expect(tabsOf(page).nth(1)).toHaveAttribute('aria-selected', 'true');

    // By keyboard: Left shows the first tab, Right the second again.
    await tabsOf(page).nth(1).focus();
    await page.keyboard.press('ArrowLeft');
    await showing(page, 'docs');
    await expect(tabsOf(page).nth(0)).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await showing(page, 'photos');
    await expect.poll(() => shownNames(page)).toEqual(['a.jpg']);

    await expectNoSeriousAxeViolations(page);

    // Drag the photo onto the other tab: "Copy to" opens on that folder; Copy puts it there.
    await rowOf(page, 'a.jpg').dragTo(tabsOf(page).nth(0));
    const dialog = page.getByRole('dialog', { name: 'Copy to' });
    await expect(dialog.getByRole('textbox', { name: 'Folder' })).toHaveValue('docs/');
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect
      .poll(async () => {
        try {
          const got = await s3Client.send(new GetObjectCommand({ Bucket: name, Key: 'docs/a.jpg' }));
          return Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(photo);
        } catch {
          return false;
        }
      })
      .toBe(true);
    // The original stays (a copy), and the other tab's list shows the new file.
    await tabsOf(page).nth(0).click();
    await showing(page, 'docs');
    await expect.poll(() => shownNames(page)).toEqual(['a.jpg', 'readme.md']);

    // The tabs come back after a reload, on their folders.
    await page.reload();
    await expect.poll(() => tabsOf(page).allInnerTexts()).toEqual(['docs', 'photos']);
    await showing(page, 'docs');

    // Removing a bookmark; closing a tab (the last one stays).
    await sidebar.getByRole('button', { name: 'Actions for bookmark photos' }).click();
    await page.getByRole('menuitem', { name: 'Remove bookmark' }).click();
    await expect.poll(() => bookmarkNames(page)).toEqual(['Team docs']);
    await files.getByRole('button', { name: 'Close tab' }).click();
    await expect(tabsOf(page)).toHaveCount(1);
    await showing(page, 'photos');
    await expect(files.getByRole('button', { name: 'Close tab' })).toHaveAttribute('aria-disabled', 'true');
  } finally {
    await bucket.cleanup();
  }
});
