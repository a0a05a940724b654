import type { Locator, Page } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './axe';
import { expect } from './fixtures';
import { openBucket, sidebarOf } from './ui';

/** How the bucket settings journeys reach the dialog and its sections, by role and name. */

/** The "Bucket settings" dialog. */
export const settingsDialogOf = (page: Page): Locator => page.getByRole('dialog', { name: 'Bucket settings' });

/** Opens a bucket, then its settings from the bucket's context menu in the sidebar. */
export async function openBucketSettings(page: Page, bucket: string): Promise<Locator> {
  await openBucket(page, bucket);
  await sidebarOf(page).getByRole('treeitem', { name: bucket, exact: true }).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Bucket settings…' }).click();
  const dialog = settingsDialogOf(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Shows one section (its tab) and returns its panel. */
export async function showSection(dialog: Locator, title: string): Promise<Locator> {
  // The tab's name may go on with "Not supported"; the title is matched as text, not a pattern.
  const name = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  await dialog.getByRole('tab', { name }).click();
  return dialog.getByRole('tabpanel', { name });
}

/** Scans what is open for serious accessibility violations in the light theme and in the dark one. */
export async function scanInBothThemes(page: Page, selector: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await expectNoSeriousAxeViolations(page, selector);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousAxeViolations(page, selector);
  await page.emulateMedia({ colorScheme: 'light' });
}
