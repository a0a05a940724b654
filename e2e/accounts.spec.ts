import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { Locator, Page } from '@playwright/test';
import { startMinio } from '../scripts/minio';
import type { RunningS3Info } from '../test/s3-fixtures';
import { makeSelfSignedCertificate } from '../test/self-signed-certificate';
import { expect, test } from './fixtures';
import { expectDialogClosed, sidebarOf } from './ui';

/** What the Secret Service holds for the app: `secret-tool` prints attributes to stderr, labels and secrets to stdout. */
function keychainEntries(): string {
  const result = spawnSync('secret-tool', ['search', '--all', 'service', 's3-file-manager'], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return `${result.stdout}\n${result.stderr}`;
}

/** The keychain entry of an account, as secret-tool prints its username attribute. */
const keychainUser = (accountId: string) => `attribute.username = account:${accountId}`;

async function readSettings(dataDir: string): Promise<{ text: string; accounts: Array<{ id: string; name: string }> }> {
  const text = await readFile(join(dataDir, 'settings.json'), 'utf8');
  return { text, accounts: (JSON.parse(text) as { accounts: Array<{ id: string; name: string }> }).accounts };
}

/** Opens the account form from the sidebar header. */
async function openAddAccount(page: Page): Promise<Locator> {
  await sidebarOf(page).getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Fills the form for the test MinIO: provider, name, endpoint and keys. */
async function fillMinio(dialog: Locator, s3: RunningS3Info, fields: { name: string; secret?: string }) {
  await dialog.getByLabel('Provider').selectOption({ label: 'MinIO' });
  await dialog.getByLabel('Name', { exact: true }).fill(fields.name);
  await dialog.getByLabel('Endpoint').fill(s3.endpoint);
  await dialog.getByLabel('Region').fill(s3.region);
  await dialog.getByLabel('Access key ID').fill(s3.accessKeyId);
  await dialog.getByLabel('Secret access key').fill(fields.secret ?? s3.secretAccessKey);
}

test('a new user adds a MinIO account, tests and saves it, edits it, and removes it with its keychain entry', async ({
  page,
  freshWebApp,
  s3,
  s3Client,
}) => {
  const bucket = `accounts-${randomBytes(4).toString('hex')}`;
  await s3Client.send(new CreateBucketCommand({ Bucket: bucket }));
  try {
    await page.goto(freshWebApp.url);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('No accounts yet')).toBeVisible();

    const dialog = await openAddAccount(page);
    // The name follows the provider until the person types one.
    await dialog.getByLabel('Provider').selectOption({ label: 'MinIO' });
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('MinIO');
    await expect(dialog.getByLabel('Path-style addressing')).toBeChecked();
    await fillMinio(dialog, s3, { name: 'Team MinIO' });
    await dialog.getByLabel('Provider').selectOption({ label: 'Other S3-compatible' });
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('Team MinIO');
    await dialog.getByLabel('Provider').selectOption({ label: 'MinIO' });
    await dialog.getByLabel('Endpoint').fill(s3.endpoint);
    await expect(dialog.getByLabel('Secret access key')).toHaveAttribute('type', 'password');

    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByRole('status')).toContainText(/Connection works: \d+ buckets?\./);

    await mkdir('test-results', { recursive: true });
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: 'test-results/account-dialog-light.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/account-dialog-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectDialogClosed(dialog);
    await expect(page.getByText('Account saved', { exact: true })).toBeVisible();
    const row = sidebar.getByRole('treeitem', { name: 'Team MinIO' });
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await expect(sidebar.getByRole('treeitem', { name: bucket })).toBeVisible();

    // Settings on disk, the secret in the keychain only.
    const saved = await readSettings(freshWebApp.dataDir);
    expect(saved.accounts.map((a) => a.name)).toEqual(['Team MinIO']);
    const accountId = saved.accounts[0]?.id ?? '';
    expect(saved.text).not.toContain(s3.secretAccessKey);
    expect(keychainEntries()).toContain(keychainUser(accountId));

    // The context menu offers the account's actions; Escape closes it.
    await row.click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Edit account…' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();

    // Edit (rename) through the visible "Account actions" button.
    await row.getByRole('button', { name: 'Account actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit account…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit account' });
    await expect(edit.getByLabel('Endpoint')).toHaveValue(s3.endpoint);
    const secret = edit.getByLabel('Secret access key');
    await expect(secret).toHaveValue('');
    await expect(secret).toHaveAttribute('placeholder', 'Leave empty to keep the stored secret');
    await edit.getByLabel('Name', { exact: true }).fill('Team storage');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    const renamed = sidebar.getByRole('treeitem', { name: 'Team storage' });
    await expect(renamed).toBeVisible();
    await expect(sidebar.getByRole('treeitem', { name: 'Team MinIO' })).toHaveCount(0);
    // The stored secret was kept: the buckets still list.
    await expect(sidebar.getByRole('treeitem', { name: bucket })).toBeVisible();
    expect((await readSettings(freshWebApp.dataDir)).accounts.map((a) => [a.id, a.name])).toEqual([
      [accountId, 'Team storage'],
    ]);

    // Remove from the keyboard: Shift+F10 on the focused row opens its menu.
    await renamed.focus();
    await page.keyboard.press('Shift+F10');
    await expect(page.getByRole('menuitem', { name: 'Edit account…' })).toBeFocused();
    await page.getByRole('menuitem', { name: 'Remove account…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove account' });
    await expect(confirm).toContainText(
      'Remove account “Team storage”? Its secret is deleted from the keychain. Nothing in the bucket is touched.',
    );
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(renamed).toHaveCount(0);
    await expect(sidebar.getByText('No accounts yet')).toBeVisible();

    expect((await readSettings(freshWebApp.dataDir)).accounts).toEqual([]);
    expect(keychainEntries()).not.toContain(keychainUser(accountId));
    // Nothing in the bucket was touched.
    await s3Client.send(new HeadBucketCommand({ Bucket: bucket }));
  } finally {
    await s3Client.send(new DeleteBucketCommand({ Bucket: bucket }));
  }
});

test('bad input shows inline errors, keeps Save disabled, and stores nothing', async ({ page, freshWebApp, s3 }) => {
  const settingsFile = join(freshWebApp.dataDir, 'settings.json');
  await page.goto(freshWebApp.url);
  let dialog = await openAddAccount(page);
  const save = dialog.getByRole('button', { name: 'Save' });
  const name = dialog.getByLabel('Name', { exact: true });
  const endpoint = dialog.getByLabel('Endpoint');
  const region = dialog.getByLabel('Region');
  await dialog.getByLabel('Provider').selectOption({ label: 'MinIO' });

  // Empty required fields: an error shows once a field was left, and all show after a save attempt.
  await name.fill('');
  await endpoint.fill('');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await endpoint.press('Tab');
  await expect(endpoint).toHaveAttribute('aria-invalid', 'true');
  await expect(endpoint).toHaveAccessibleDescription(/Enter the endpoint URL of this service\./);
  await expect(save).toBeDisabled();
  const accessKey = dialog.getByLabel('Access key ID');
  await expect(accessKey).not.toHaveAttribute('aria-invalid', 'true');
  await name.press('Enter');
  await expect(name).toHaveAccessibleDescription(/Enter a name for this account\./);
  await expect(name).toBeFocused();
  await expect(accessKey).toHaveAccessibleDescription(/Enter the access key ID\./);
  await expect(dialog.getByLabel('Secret access key')).toHaveAccessibleDescription(/Enter the secret access key\./);
  await expect(dialog).toBeVisible();

  // An endpoint that is not a URL, a region with spaces.
  for (const notUrl of ['localhost:9000', 'not a url']) {
    await endpoint.fill(notUrl);
    await expect(endpoint).toHaveAccessibleDescription(/must be a URL starting with https:\/\/ or http:\/\//);
  }
  await region.fill('us east 1');
  await expect(region).toHaveAttribute('aria-invalid', 'true');
  await expect(region).toHaveAccessibleDescription(/no spaces/);
  await expect(save).toBeDisabled();
  await save.click({ force: true });
  await expect(dialog).toBeVisible();
  expect(existsSync(settingsFile)).toBe(false);

  // Fixed, it saves.
  await fillMinio(dialog, s3, { name: 'Archive' });
  await expect(endpoint).not.toHaveAttribute('aria-invalid', 'true');
  await expect(save).toBeEnabled();
  await save.click();
  await expect(dialog).toBeHidden();
  await expect(sidebarOf(page).getByRole('treeitem', { name: 'Archive' })).toBeVisible();
  const before = await readFile(settingsFile, 'utf8');

  // A name already used (in another case) is refused before anything is sent.
  dialog = await openAddAccount(page);
  await fillMinio(dialog, s3, { name: 'archive' });
  await dialog.getByLabel('Name', { exact: true }).press('Tab');
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(
    /An account named “Archive” already exists/,
  );
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await dialog.getByLabel('Name', { exact: true }).press('Enter');
  await expect(dialog).toBeVisible();
  expect(await readFile(settingsFile, 'utf8')).toBe(before);

  // Cancel drops the form; the sidebar still has the one account.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(sidebarOf(page).getByRole('treeitem', { level: 1 })).toHaveCount(1);
});

test('a wrong secret fails the connection test with the invalid-credentials message', async ({
  page,
  freshWebApp,
  s3,
}) => {
  await page.goto(freshWebApp.url);
  const dialog = await openAddAccount(page);
  await fillMinio(dialog, s3, { name: 'Wrong secret', secret: 'not-the-secret-key' });
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    'The secret access key does not match the access key ID. Check the secret in the account settings.',
  );
  await expect(dialog.getByText('Connection works')).toHaveCount(0);
  // A test stores nothing.
  expect(existsSync(join(freshWebApp.dataDir, 'settings.json'))).toBe(false);
});

test('an account from the launch environment is read-only, and its menu says why', async ({ page, webApp }) => {
  await page.goto(webApp.url);
  const row = sidebarOf(page).getByRole('treeitem', { name: 'Local MinIO' });
  await row.click({ button: 'right' });
  const menu = page.getByRole('menu');
  await expect(menu).toContainText('Set by the environment the app was started with');
  await expect(menu.getByRole('menuitem', { name: 'Edit account…' })).toBeDisabled();
  await expect(menu.getByRole('menuitem', { name: 'Remove account…' })).toBeDisabled();
});

test('a self-signed server: the failed test offers the certificate, and trusting it makes the connection work', async ({
  page,
  freshWebApp,
}) => {
  const folder = await mkdtemp(join(tmpdir(), 's3fm-e2e-tls-'));
  const { certFile, keyFile } = await makeSelfSignedCertificate(folder, {
    name: 'server',
    commonName: 's3fm-e2e-minio',
    subjectAltName: 'IP:127.0.0.1',
  });
  const tlsMinio = await startMinio({ tls: { certFile, keyFile } });
  try {
    expect(tlsMinio.endpoint).toMatch(/^https:/);
    await page.goto(freshWebApp.url);
    const dialog = await openAddAccount(page);
    await fillMinio(dialog, tlsMinio, { name: 'Self-hosted' });
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText(/certificate/i);

    await alert.getByRole('button', { name: 'Inspect certificate' }).click();
    const certificate = dialog.getByRole('region', { name: 'Server certificate' });
    await expect(certificate).toContainText('CN=s3fm-e2e-minio');
    await expect(certificate).toContainText('self-signed');
    // The reason is one sentence from main, not wrapped again by the dialog.
    await expect(certificate).not.toContainText('does not trust it: This computer');
    await expect(certificate).toContainText(/SHA-256\s*([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    const trust = dialog.getByLabel('Trust this certificate for this account');
    await expect(trust).toBeFocused();
    await expect(trust).not.toBeChecked();
    await trust.check();

    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByRole('status')).toContainText('Connection works');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: 'test-results/account-dialog-certificate.png' });

    // Unchecking forgets the certificate again: the test fails as before.
    await trust.uncheck();
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByRole('alert')).toContainText(/certificate/i);
    await trust.check();

    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectDialogClosed(dialog);
    const [saved] = (await readSettings(freshWebApp.dataDir)).accounts as Array<{ trustedCertificatePem?: string }>;
    expect(saved?.trustedCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  } finally {
    await tlsMinio.stop();
    await rm(folder, { recursive: true, force: true });
  }
});
