import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { startMinio } from '../scripts/minio';
import { startFaultProxy } from '../test/fault-proxy';
import { s3ClientFor } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, startWebApp, test } from './fixtures';
import { expectDialogClosed, filesOf, sidebarOf } from './ui';

/**
 * A new user's first steps (issue #13, items 1, 2, 3 and the region of 8): the main area says
 * what is going on and offers the next step, Save does not store an account whose connection
 * test failed without asking, and a machine without a keychain says so before anything looks
 * disabled.
 */

/**
 * Scans the page (or one part of it) with axe-core in the light theme and in the dark one, and
 * keeps a screenshot of each in test-results/ (`onboarding-<name>-<theme>.png`) to look at.
 */
async function scanBothThemes(page: Page, name: string, include?: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousAxeViolations(page, include);
    await page.screenshot({ path: `test-results/onboarding-${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The settings file's accounts, as written by the app. */
async function savedAccounts(dataDir: string): Promise<Array<{ name: string; region: string }>> {
  const text = await readFile(join(dataDir, 'settings.json'), 'utf8');
  return (JSON.parse(text) as { accounts: Array<{ name: string; region: string }> }).accounts;
}

/** Fills the account form for a MinIO at `endpoint` (the region left as the form has it). */
async function fillMinio(
  dialog: Locator,
  fields: { name: string; endpoint: string; accessKeyId: string; secretAccessKey: string },
): Promise<void> {
  await dialog.getByLabel('Provider').selectOption({ label: 'MinIO' });
  await dialog.getByLabel('Name', { exact: true }).fill(fields.name);
  await dialog.getByLabel('Endpoint').fill(fields.endpoint);
  await dialog.getByLabel('Access key ID').fill(fields.accessKeyId);
  await dialog.getByLabel('Secret access key').fill(fields.secretAccessKey);
}

test('a first start welcomes, adds an account whose region is detected, and offers to create its first bucket', async ({
  page,
  freshWebApp,
}) => {
  // A MinIO of its own: the run's MinIO has the other journeys' buckets.
  const empty = await startMinio();
  const client = s3ClientFor(empty);
  try {
    await page.goto(freshWebApp.url);
    const centre = filesOf(page);
    const sidebar = sidebarOf(page);

    // No account: a welcome that says what the app is for, and one prominent way on.
    await expect(centre.getByRole('heading', { name: 'Welcome to S3 File Manager' })).toBeVisible();
    await expect(centre).toContainText('Works with Amazon S3, MinIO, Cloudflare R2, Backblaze B2');
    await expect(centre).not.toContainText('Select a bucket');
    // The sidebar's Create bucket icon says why it waits.
    await expect(sidebar.getByRole('button', { name: 'Create bucket', exact: true })).toHaveAccessibleDescription(
      'To create a bucket, add an account first.',
    );
    await scanBothThemes(page, 'welcome');
    await centre.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await expect(dialog).toBeVisible();

    // The region starts empty, to be detected, as its hint says; a service that checks it gets its own.
    const region = dialog.getByLabel('Region');
    await expect(region).toHaveValue('');
    await expect(region).toHaveAttribute('placeholder', 'Detect automatically');
    await expect(region).toHaveAccessibleDescription('Leave empty to detect it automatically.');
    await dialog.getByLabel('Provider').selectOption({ label: 'Backblaze B2' });
    await expect(region).toHaveValue('us-west-004');
    await expect(region).toHaveAccessibleDescription(/^Needed: the region in your endpoint/);
    await fillMinio(dialog, { name: 'Empty MinIO', ...empty });
    await expect(region).toHaveValue('');

    // Save tests first (it works, with the region left empty), then saves.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectDialogClosed(dialog);
    expect(await savedAccounts(freshWebApp.dataDir)).toMatchObject([{ name: 'Empty MinIO', region: '' }]);
    // Focus goes to the new account's row, selected in the tree.
    await expect(sidebar.getByRole('treeitem', { name: 'Empty MinIO' })).toBeFocused();

    // An account with no buckets: the main area and the sidebar both offer "Create bucket", in words.
    await expect(centre.getByRole('heading', { name: '“Empty MinIO” has no buckets yet' })).toBeVisible();
    const note = sidebar.getByRole('treeitem', { name: 'No buckets' });
    await expect(note.getByRole('button', { name: 'Create bucket in “Empty MinIO”' })).toBeVisible();
    await expect(sidebar.getByRole('button', { name: 'Create bucket', exact: true })).not.toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await scanBothThemes(page, 'no-buckets');

    await centre.getByRole('button', { name: 'Create bucket' }).click();
    const create = page.getByRole('dialog', { name: 'Create bucket' });
    await create.getByLabel('Bucket name').fill('first-bucket');
    await create.getByRole('button', { name: 'Create bucket' }).click();
    await expect(create).toBeHidden();
    await expect(sidebar.getByRole('treeitem', { name: 'first-bucket' })).toBeVisible();
    await expect(centre.getByRole('heading', { name: 'first-bucket' })).toBeVisible();
    await client.send(new HeadBucketCommand({ Bucket: 'first-bucket' }));

    // Back on the account: its bucket is there to choose.
    await sidebar.getByRole('treeitem', { name: 'Empty MinIO' }).click();
    await expect(centre.getByRole('heading', { name: 'Choose a bucket' })).toBeVisible();
    await expect(centre).toContainText('“Empty MinIO” has one bucket');
    await scanBothThemes(page, 'choose-bucket');
  } finally {
    client.destroy();
    await empty.stop();
  }
});

test('Save tests the connection first: a failure is said in the dialog, and only "Save anyway" stores it; the failed account offers Edit and Try again', async ({
  page,
  webApp,
  s3,
}) => {
  // Every request refused as if the secret were wrong, until the faults are cleared.
  const proxy = await startFaultProxy({ target: s3.endpoint });
  proxy.addFault({
    match: {},
    fault: { kind: 'status', status: 403, code: 'SignatureDoesNotMatch', message: 'Signature mismatch.' },
  });
  try {
    await page.goto(webApp.url);
    const centre = filesOf(page);
    const sidebar = sidebarOf(page);
    // The launch account is the only one: the main area speaks of it.
    await expect(centre.getByRole('heading', { name: /Choose a bucket|has no buckets yet/ })).toBeVisible();
    await expect(centre).toContainText('“Local MinIO”');
    await sidebar.getByRole('button', { name: 'Add account', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await fillMinio(dialog, { name: 'Flaky MinIO', ...s3, endpoint: proxy.url });

    await dialog.getByRole('button', { name: 'Save' }).click();
    const failure = dialog.getByRole('alert');
    await expect(failure).toContainText('Not saved: the connection test failed.');
    await expect(failure).toContainText('The secret access key does not match the access key ID.');
    await expect(dialog).toBeVisible();
    expect(existsSync(join(webApp.dataDir, 'settings.json'))).toBe(false);
    await expect(page.getByText('Account saved', { exact: true })).toHaveCount(0);
    await scanBothThemes(page, 'save-failed', '[role="dialog"]');

    // Only an explicit choice stores it.
    await failure.getByRole('button', { name: 'Save anyway' }).click();
    await expectDialogClosed(dialog);
    expect(await savedAccounts(webApp.dataDir)).toMatchObject([{ name: 'Flaky MinIO' }]);

    // The account cannot connect: the sidebar's note and the main area say so and offer what to do.
    const note = sidebar.getByRole('treeitem', { name: /secret access key does not match/ });
    await expect(note.getByRole('button', { name: 'Edit account “Flaky MinIO”' })).toBeVisible();
    await expect(note.getByRole('button', { name: 'Try again to connect “Flaky MinIO”' })).toBeVisible();
    await expect(centre.getByRole('heading', { name: '“Flaky MinIO” could not connect' })).toBeVisible();
    await expect(centre).toContainText('The secret access key does not match the access key ID.');
    await expect(centre).not.toContainText('Choose one of the buckets');
    await scanBothThemes(page, 'account-failed');

    // Edit account opens its settings.
    await note.getByRole('button', { name: 'Edit account “Flaky MinIO”' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit account' });
    await expect(edit.getByLabel('Endpoint')).toHaveValue(proxy.url);
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await expect(edit).toBeHidden();

    // Once the service answers again, Try again connects; while it does, the main area says so.
    proxy.clearFaults();
    proxy.addFault({ match: {}, times: 1, fault: { kind: 'delay', ms: 5_000 } });
    await centre.getByRole('button', { name: 'Try again' }).click();
    await expect(centre.getByRole('status').filter({ hasText: 'Connecting to “Flaky MinIO”…' })).toBeVisible();
    await scanBothThemes(page, 'connecting');
    await expect(centre.getByRole('heading', { name: '“Flaky MinIO” could not connect' })).toHaveCount(0);
    await expect(note).toHaveCount(0);
    await expect(centre.getByRole('heading', { name: /Choose a bucket|has no buckets yet/ })).toBeVisible();

    // Two accounts and none selected (a new start with no tabs saved: tabs are remembered in
    // localStorage and would open the last account again): the main area asks for one.
    await page.evaluate('window.localStorage.removeItem("s3fm.tabs")');
    await page.reload();
    await expect(centre.getByRole('heading', { name: /^Choose (a bucket|an account)$/ })).toBeVisible();
    await expect(centre).toContainText('2 accounts are set up');
    await scanBothThemes(page, 'choose-account');
  } finally {
    await proxy.stop();
  }
});

test('without a keychain the form says so up front, and Save says why it waits until session-only storage is chosen', async ({
  page,
  s3,
}) => {
  // No Secret Service on this bus: the keychain is missing, as on a Linux without one.
  const app = await startWebApp({
    S3FM_ENDPOINT: undefined,
    S3FM_ACCESS_KEY_ID: undefined,
    S3FM_SECRET_ACCESS_KEY: undefined,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
  });
  try {
    await page.goto(app.url);
    await filesOf(page).getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });

    // Said before anything is typed or pressed: what is missing and the choices.
    const note = dialog.getByText('No keychain found');
    await expect(note).toBeVisible();
    await expect(dialog).toContainText('Keep the secret for this session only');
    await expect(dialog).toContainText('Start a keychain');
    await expect(dialog).toContainText('Use an AWS profile or environment variables');
    await scanBothThemes(page, 'no-keychain', '[role="dialog"]');

    await fillMinio(dialog, { name: 'No keychain', ...s3 });
    const save = dialog.getByRole('button', { name: 'Save' });
    await expect(save).toHaveAttribute('aria-disabled', 'true');
    // The reason is visible beside it and tied to it.
    const reason = 'No keychain was found: to save, tick “Keep the secret for this session only”';
    await expect(dialog.getByText(reason)).toBeVisible();
    await expect(save).toHaveAccessibleDescription(new RegExp(`^${reason}`));

    await dialog.getByLabel('Keep the secret for this session only').check();
    await expect(save).not.toHaveAttribute('aria-disabled', 'true');
    await expect(dialog.getByText(reason)).toHaveCount(0);
    await save.click();
    await expectDialogClosed(dialog);
    expect(await savedAccounts(app.dataDir)).toMatchObject([{ name: 'No keychain', secretStorage: 'session' }]);
    await expect(filesOf(page).getByRole('heading', { name: /Choose a bucket|has no buckets yet/ })).toBeVisible();
  } finally {
    await app.stop();
  }
});
