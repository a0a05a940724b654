import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * How the journeys find the app's parts, as a person would (by role and name), and what lands in
 * a bucket: shared by every spec.
 */

/** The sidebar: accounts, buckets and folders. */
export const sidebarOf = (page: Page): Locator => page.getByRole('navigation', { name: 'Accounts and buckets' });
/** The file browser. */
export const filesOf = (page: Page): Locator => page.getByRole('main', { name: 'Files' });
/** The file list. */
export const gridOf = (page: Page): Locator => filesOf(page).getByRole('grid');
/** A row of the file list by its name (the first cell). */
export const rowOf = (page: Page, name: string): Locator =>
  gridOf(page)
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name, exact: true }) });
/** The names in the list, top to bottom (the header row left out). */
export const shownNames = (page: Page): Promise<string[]> =>
  gridOf(page).locator('.file-list__body [role="row"] .file-cell--name').allInnerTexts();
/** A button of the file browser's toolbar. */
export const toolbarButton = (page: Page, name: string): Locator =>
  filesOf(page).getByRole('toolbar', { name: 'File actions' }).getByRole('button', { name, exact: true });

/** Opens a bucket from the sidebar and waits for its list. */
export async function openBucket(page: Page, bucket: string): Promise<void> {
  await sidebarOf(page).getByRole('treeitem', { name: bucket, exact: true }).click();
  await expect(filesOf(page).getByRole('heading', { name: bucket })).toBeVisible();
}

/** Every key in a bucket, sorted (ListObjectsV2, no delimiter, every page). */
export async function keysIn(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/**
 * Runs a check on a dialog and, if it fails, fails with what the dialog says in its alerts
 * first: a Save that did not go through then reports why (the keychain refused the write, the
 * connection test failed), not only that the dialog stayed open.
 */
export async function withAlertsOf(dialog: Locator, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    const alerts = await dialog
      .getByRole('alert')
      .allInnerTexts()
      .catch(() => []);
    if (alerts.length === 0) throw error;
    const said = alerts.map((text) => text.replace(/\s+/g, ' ').trim()).join(' | ');
    throw new Error(`the dialog says: ${said}\n${(error as Error).message}`, { cause: error });
  }
}

/** Waits for a dialog to close after its Save; if it stays open, the failure quotes its alerts. */
export const expectDialogClosed = (dialog: Locator): Promise<void> =>
  withAlertsOf(dialog, () => expect(dialog).toBeHidden());
