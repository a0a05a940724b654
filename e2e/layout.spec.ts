import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { filesOf, gridOf, keysIn, openBucket, rowOf, sidebarOf, toolbarButton } from './ui';

/** The toolbar's controls as a wide window shows them all (more may be added: none is named here). */
async function toolbarControlNames(page: Page): Promise<string[]> {
  const toolbar = filesOf(page).getByRole('toolbar', { name: 'File actions' });
  await expect(toolbar.getByRole('button', { name: 'More actions' })).toHaveCount(0);
  const names: string[] = [];
  for (const control of await toolbar.getByRole('button').all()) {
    names.push((await control.getAttribute('aria-label')) ?? (await control.innerText()));
  }
  expect(names).toEqual(expect.arrayContaining(['Upload', 'New folder', 'Download', 'Copy link', 'Delete', 'Refresh']));
  return names;
}

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details', exact: true });

/** A locator's box, which must exist (the element is rendered). */
async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  expect(box, `${locator.toString()} has no box`).not.toBeNull();
  return box!;
}

/** True when the element shows whole inside the window. */
async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const viewport = page.viewportSize()!;
  const box = await locator.boundingBox();
  return (
    box !== null &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= viewport.width + 0.5 &&
    box.y + box.height <= viewport.height + 0.5
  );
}

/**
 * Nothing in the page reaches past the window's right edge (the page itself never scrolls sideways).
 * Unseen elements (visibility: hidden, such as the toolbar's measuring row) do not count.
 */
async function expectNothingPastTheRightEdge(page: Page): Promise<void> {
  const overflow = (await page.evaluate(`(() => {
    const width = window.innerWidth;
    const past = [];
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && box.right > width + 0.5 && element.checkVisibility({ visibilityProperty: true })) {
        past.push((element.getAttribute('aria-label') || element.className || element.tagName) + ' ends at ' + Math.round(box.right));
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, past: past.slice(0, 5) };
  })()`)) as { scrollWidth: number; width: number; past: string[] };
  expect(overflow.past, `elements past the right edge of a ${overflow.width} px window`).toEqual([]);
  expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
}

/**
 * Every toolbar control shows whole in the window, or is an item of "More actions"; the
 * location bar's path, filter and bucket search are all there, the filter not cut off.
 */
async function expectEveryControlReachable(page: Page, toolbarNames: readonly string[]): Promise<void> {
  const files = filesOf(page);
  const toolbar = files.getByRole('toolbar', { name: 'File actions' });
  const more = toolbar.getByRole('button', { name: 'More actions' });
  const inMenu: string[] = [];
  for (const name of toolbarNames) {
    const button = toolbarButton(page, name);
    if ((await button.isVisible()) && (await inViewport(page, button))) continue;
    inMenu.push(name);
  }
  if (inMenu.length > 0) {
    await more.click();
    const menu = page.getByRole('menu', { name: 'More actions' });
    for (const name of inMenu) {
      await expect(
        menu
          .getByRole('menuitem', { name: new RegExp(`^${name}…?$`) })
          .or(menu.getByRole('menuitemcheckbox', { name, exact: true })),
        `${name} in More actions`,
      ).toBeVisible();
    }
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
  }

  for (const name of ['Back', 'Forward', 'Up']) {
    expect(await inViewport(page, files.getByRole('button', { name, exact: true })), name).toBe(true);
  }
  expect(await inViewport(page, files.getByRole('textbox', { name: 'Path' }))).toBe(true);
  // The filter shows whole, inside the file list and wide enough to type in.
  const filter = files.getByRole('searchbox', { name: 'Filter this folder' });
  const filterBox = await boxOf(filter);
  const filesBox = await boxOf(files);
  expect(filterBox.x + filterBox.width).toBeLessThanOrEqual(filesBox.x + filesBox.width + 0.5);
  expect(filterBox.width).toBeGreaterThanOrEqual(140);
  expect(await inViewport(page, filter)).toBe(true);

  // The bucket search: the "start with / contain" choice and its button, or one menu with both.
  const mode = files.getByRole('combobox', { name: 'Search keys that' });
  const search = files.getByRole('button', { name: 'Search bucket' });
  expect(await inViewport(page, search)).toBe(true);
  if (await mode.isVisible()) {
    expect(await inViewport(page, mode)).toBe(true);
  } else {
    await search.click();
    const menu = page.getByRole('menu', { name: 'Search bucket' });
    await expect(menu.getByRole('menuitemradio', { name: 'Search keys that start with the text' })).toBeVisible();
    await expect(menu.getByRole('menuitemradio', { name: 'Search keys that contain the text' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
  }
}

test.describe('window sizes', () => {
  test('at 1280×800 and 900×600 the file list keeps its width, side panes fold to rails, nothing is cut off, and what does not fit is in a menu', async ({
    page,
    webApp,
    s3,
    s3Client,
  }) => {
    const bucket = await freshBucket(s3);
    try {
      for (const Key of ['2026/report-march.csv', 'a very long file name for a narrow window.txt', 'notes.md']) {
        await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: 'x'.repeat(1536) }));
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(webApp.url);
      await openBucket(page, bucket.name);

      // Wide: both side panes, every control in the toolbar, the search beside the filter.
      await expect(detailsOf(page)).toBeVisible();
      await expect(sidebarOf(page)).toBeVisible();
      const toolbarNames = await toolbarControlNames(page);
      await expectEveryControlReachable(page, toolbarNames);
      await expectNothingPastTheRightEdge(page);
      // Sizes are powers of 1,024 and say so.
      await expect(rowOf(page, 'notes.md')).toContainText('1.5 KiB');

      // Narrow: the details fold to a rail, the list keeps well over half the width and its columns.
      await page.setViewportSize({ width: 900, height: 600 });
      await expect(detailsOf(page)).toBeHidden();
      await expect(page.getByRole('complementary', { name: 'Details (collapsed)' })).toBeVisible();
      expect((await boxOf(gridOf(page))).width).toBeGreaterThanOrEqual(0.55 * 900);
      for (const column of ['Name', 'Size', 'Last modified', 'Storage class']) {
        await expect(gridOf(page).getByRole('columnheader', { name: column })).toBeVisible();
      }
      await expectEveryControlReachable(page, toolbarNames);
      await expectNothingPastTheRightEdge(page);

      // The bucket search works from its menu.
      const files = filesOf(page);
      await files.getByRole('searchbox', { name: 'Filter this folder' }).fill('rep');
      await files.getByRole('button', { name: 'Search bucket' }).click();
      await page.getByRole('menuitemradio', { name: 'Search keys that contain the text' }).click();
      await expect(files.getByText(/Keys containing/)).toBeVisible();
      await expect(rowOf(page, '2026/report-march.csv')).toBeVisible();
      await files.getByRole('button', { name: 'Back to folder' }).click();

      // Opening the details from their rail folds the sidebar instead: still one pane at a time.
      await page.getByRole('button', { name: 'Show details' }).click();
      await expect(detailsOf(page)).toBeVisible();
      await expect(sidebarOf(page)).toBeHidden();
      await expect(page.getByRole('complementary', { name: 'Accounts (collapsed)' })).toBeVisible();
      expect((await boxOf(gridOf(page))).width).toBeGreaterThanOrEqual(0.55 * 900);
      await expectEveryControlReachable(page, toolbarNames);
      await expectNothingPastTheRightEdge(page);

      // A pane hidden by hand stays a rail in a wide window too, until it is shown again.
      await detailsOf(page).getByRole('button', { name: 'Hide details' }).click();
      await page.getByRole('button', { name: 'Show sidebar' }).click();
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect(sidebarOf(page)).toBeVisible();
      await expect(detailsOf(page)).toBeHidden();
      await page.getByRole('button', { name: 'Show details' }).click();
      await expect(detailsOf(page)).toBeVisible();

      // Very narrow: whatever the toolbar cannot show is in More actions.
      await page.setViewportSize({ width: 560, height: 600 });
      await expectEveryControlReachable(page, toolbarNames);
      await expectNothingPastTheRightEdge(page);
    } finally {
      await bucket.cleanup();
    }
  });

  test('the bucket details stay inside the window: the versioning button wraps in a narrow details pane', async ({
    page,
    webApp,
    s3,
  }) => {
    const bucket = await freshBucket(s3);
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(webApp.url);
      await openBucket(page, bucket.name);
      const details = detailsOf(page);
      const versioning = details.getByRole('button', { name: /versioning/i });
      await expect(versioning).toBeVisible();
      const pane = await boxOf(details);
      const button = await boxOf(versioning);
      expect(pane.x + pane.width).toBeLessThanOrEqual(1280);
      expect(button.x + button.width).toBeLessThanOrEqual(pane.x + pane.width);
      await expectNothingPastTheRightEdge(page);
    } finally {
      await bucket.cleanup();
    }
  });
});

test('a page load logs no console errors (the Content-Security-Policy included)', async ({ page, webApp, s3 }) => {
  const bucket = await freshBucket(s3);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(webApp.url);
    await openBucket(page, bucket.name);
    await page.reload();
    await expect(sidebarOf(page).getByRole('treeitem', { name: bucket.name, exact: true })).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await bucket.cleanup();
  }
});

test.describe('the file list', () => {
  test('entering the folder shown again clears a selection, so Delete has nothing hidden to act on', async ({
    page,
    webApp,
    s3,
    s3Client,
  }) => {
    const bucket = await freshBucket(s3);
    try {
      for (const Key of ['a.txt', 'b.txt']) {
        await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: Key }));
      }
      await page.goto(webApp.url);
      await openBucket(page, bucket.name);
      await rowOf(page, 'a.txt').click();
      await expect(rowOf(page, 'a.txt')).toHaveAttribute('aria-selected', 'true');

      await sidebarOf(page).getByRole('treeitem', { name: bucket.name, exact: true }).click();
      await expect(gridOf(page).locator('[aria-selected="true"]')).toHaveCount(0);
      await expect(page.getByText('1 selected')).toBeHidden();
      // Delete applies to nothing: it says why, and no dialog opens.
      await expect(toolbarButton(page, 'Delete')).toHaveAttribute('aria-disabled', 'true');
      await toolbarButton(page, 'Delete').click({ force: true });
      await gridOf(page).focus();
      await page.keyboard.press('Delete');
      await expect(page.getByRole('alertdialog')).toHaveCount(0);
      await expect(page.getByRole('dialog')).toHaveCount(0);
      expect(await keysIn(s3Client, bucket.name)).toEqual(['a.txt', 'b.txt']);

      // A dialog opened from a row's menu takes the focus, so its Escape does not reach the list
      // behind it (which would clear the selection as well).
      await rowOf(page, 'a.txt').click();
      await rowOf(page, 'a.txt').click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Show versions' }).click();
      const versions = page.getByRole('dialog', { name: 'Versions of “a.txt”' });
      await expect(versions).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(versions).toBeHidden();
      await expect(rowOf(page, 'a.txt')).toHaveAttribute('aria-selected', 'true');
    } finally {
      await bucket.cleanup();
    }
  });

  test('type-ahead finds the name typed, not only its first letter', async ({ page, webApp, s3, s3Client }) => {
    const bucket = await freshBucket(s3);
    try {
      for (const Key of ['readme.txt', 'report-2026.csv', 'rules.md', 'notes a.txt', 'notes b.txt']) {
        await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: Key }));
      }
      await page.goto(webApp.url);
      await openBucket(page, bucket.name);
      const selected = gridOf(page).locator('.file-list__body [aria-selected="true"]');
      await gridOf(page).focus();

      // "rep" typed at once lands on report-2026.csv, past readme.txt.
      await page.keyboard.type('rep');
      await expect(selected).toHaveCount(1);
      await expect(selected).toContainText('report-2026.csv');
      // After a pause the typing starts over: "ru" is rules.md.
      await page.waitForTimeout(1100);
      await page.keyboard.type('ru');
      await expect(selected).toContainText('rules.md');
      // A space belongs to the name while typing.
      await page.waitForTimeout(1100);
      await page.keyboard.type('notes b');
      await expect(selected).toContainText('notes b.txt');
      await expect(selected).toHaveCount(1);
    } finally {
      await bucket.cleanup();
    }
  });
});

test('the share dialog shows its link right under the button that made it', async ({
  page,
  context,
  webApp,
  s3,
  s3Client,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const bucket = await freshBucket(s3);
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'photo.png', Body: 'png' }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    await openBucket(page, bucket.name);
    await rowOf(page, 'photo.png').click();
    await toolbarButton(page, 'Copy link').click();
    const dialog = page.getByRole('dialog', { name: 'Share “photo.png”' });
    const make = dialog.getByRole('button', { name: 'Copy link', exact: true });
    await make.click();
    const link = dialog.getByRole('textbox', { name: 'Link for photo.png' });
    await expect(link).toBeVisible();
    // Visible without scrolling, and no wide empty band between the button and the link.
    expect(await inViewport(page, link)).toBe(true);
    const dialogBox = await boxOf(dialog);
    const linkBox = await boxOf(link);
    expect(linkBox.y + linkBox.height).toBeLessThanOrEqual(dialogBox.y + dialogBox.height);
    const buttonBox = await boxOf(make);
    expect(linkBox.y - (buttonBox.y + buttonBox.height)).toBeLessThan(120);
    // The dialog ends soon after the link: its expiry line and the footer, no empty band.
    expect(dialogBox.y + dialogBox.height - (linkBox.y + linkBox.height)).toBeLessThan(140);
  } finally {
    await bucket.cleanup();
  }
});
