import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import type { ActivityEntry } from '../src/shared/activity';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { keysIn, openBucket, rowOf, shownNames, toolbarButton } from './ui';

/**
 * The activity log (issue #15): changes made in the UI (a new folder, a delete of a key with a
 * comma and quotes, a rename refused because the name exists) show in the Activity log dialog,
 * which searches, filters, and exports CSV and JSON (downloads in web mode) holding them.
 */

const activityDialog = (page: Page) => page.getByRole('dialog', { name: 'Activity log' });
/** The body rows of the log's table, as their cells' text. */
const logRows = (page: Page) => activityDialog(page).getByRole('table').locator('tbody tr');

test('changes show in the activity log, which searches, filters and exports them', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  const awkward = 'report, "final".txt';
  try {
    for (const Key of ['notes.txt', 'other.txt', awkward]) {
      await s3Client.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    }
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(webApp.url);
    await openBucket(page, Bucket);

    // A new folder.
    await toolbarButton(page, 'New folder').click();
    const newFolder = page.getByRole('dialog', { name: 'New folder' });
    await newFolder.getByLabel('Folder name').fill('projects');
    await newFolder.getByRole('button', { name: 'Create' }).click();
    await expect(newFolder).toBeHidden();

    // A delete of a key with a comma and quotes in its name.
    await rowOf(page, awkward).click();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('alertdialog', { name: 'Delete' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => shownNames(page)).toEqual(['projects', 'notes.txt', 'other.txt']);

    // A rename refused: the name is taken.
    await rowOf(page, 'notes.txt').click({ button: 'right' });
    await page.getByRole('menu', { name: 'File actions' }).getByRole('menuitem', { name: 'Rename…' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename file' });
    await rename.getByLabel('New name').fill('other.txt');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(rename).toContainText('already exists');
    await rename.getByRole('button', { name: 'Cancel' }).click();
    expect(await keysIn(s3Client, Bucket)).toEqual(['notes.txt', 'other.txt', 'projects/']);

    // The log, newest first.
    await page.getByRole('region', { name: 'Transfers' }).getByRole('button', { name: 'Activity log…' }).click();
    const dialog = activityDialog(page);
    await expect(dialog.getByRole('status')).toHaveText('3 entries');
    await expect(logRows(page)).toHaveCount(3);
    await expect(logRows(page).nth(0)).toContainText(`Rename notes.txt in ${Bucket} to other.txt`);
    await expect(logRows(page).nth(0)).toContainText('Failed: "other.txt" already exists here.');
    await expect(logRows(page).nth(1)).toContainText(`Delete ${awkward} from ${Bucket}`);
    await expect(logRows(page).nth(1)).toContainText(/Succeeded: Deleted 1/);
    await expect(logRows(page).nth(2)).toContainText(`Create the folder projects in ${Bucket}`);
    await expect(logRows(page).nth(2)).toContainText('Local MinIO');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');
    await page.emulateMedia({ colorScheme: 'light' });
    await expectNoSeriousAxeViolations(page, '[role="dialog"]');

    // Search, then filters.
    await dialog.getByRole('searchbox', { name: 'Search' }).fill('FINAL');
    await expect(dialog.getByRole('status')).toHaveText('1 entry match');
    await expect(logRows(page)).toHaveCount(1);
    await expect(logRows(page).first()).toContainText(awkward);
    await dialog.getByRole('searchbox', { name: 'Search' }).fill('');
    await dialog.getByRole('combobox', { name: 'Result' }).selectOption({ label: 'Failed' });
    await expect(logRows(page)).toHaveCount(1);
    await expect(logRows(page).first()).toContainText('Rename notes.txt');
    await dialog.getByRole('combobox', { name: 'Result' }).selectOption({ label: 'Any result' });
    await dialog.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'New buckets and folders' });
    await expect(logRows(page)).toHaveCount(1);
    await expect(logRows(page).first()).toContainText('Create the folder projects');
    await dialog.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'All kinds' });
    await dialog.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'Local MinIO' });
    await expect(logRows(page)).toHaveCount(3);

    // Export CSV: a download whose text quotes the awkward key as RFC 4180 says.
    const csvDownload = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toMatch(/^activity-\d{4}-\d{2}-\d{2}\.csv$/);
    const csvText = await readFile((await csv.path()) ?? '', 'utf8');
    const lines = csvText.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,ended,account,account id,kind,what,bucket,result,result text,channel,id');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain(`,delete,"Delete report, ""final"".txt from ${Bucket}",${Bucket},ok,`);
    expect(lines[1]).toContain(',failed,"""other.txt"" already exists here. Choose another name.",objects.rename,');

    // Export JSON of what the filter shows.
    await dialog.getByRole('combobox', { name: 'Result' }).selectOption({ label: 'Failed' });
    await expect(logRows(page)).toHaveCount(1);
    const jsonDownload = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export JSON' }).click();
    const json = await jsonDownload;
    const entries = JSON.parse(await readFile((await json.path()) ?? '', 'utf8')) as ActivityEntry[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      accountName: 'Local MinIO',
      kind: 'rename',
      channel: 'objects.rename',
      bucket: Bucket,
      result: 'failed',
      what: `Rename notes.txt in ${Bucket} to other.txt`,
    });

    // Clearing asks first; Cancel keeps every entry, Clear log leaves only its own entry.
    await dialog.getByRole('combobox', { name: 'Result' }).selectOption({ label: 'Any result' });
    await dialog.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'All accounts' });
    await expect(logRows(page)).toHaveCount(3);
    await dialog.getByRole('button', { name: 'Clear log…' }).click();
    const clear = page.getByRole('alertdialog', { name: 'Clear the activity log?' });
    await expect(clear).toContainText('Export the log first to keep a copy.');
    await clear.getByRole('button', { name: 'Cancel' }).click();
    await expect(logRows(page)).toHaveCount(3);
    await dialog.getByRole('button', { name: 'Clear log…' }).click();
    await clear.getByRole('button', { name: 'Clear log', exact: true }).click();
    await expect(clear).toBeHidden();
    await expect(logRows(page)).toHaveCount(1);
    await expect(logRows(page).first()).toContainText('Clear the activity log');
    await expect(dialog.getByRole('status')).toHaveText('1 entry');

    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
  } finally {
    await bucket.cleanup();
  }
});
