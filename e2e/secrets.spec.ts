import { randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { scanForSecrets } from '../scripts/secrets-scan';
import { registerTestSecrets, type TestSecret } from '../scripts/test-secrets';
import { secretForms } from '../src/main/services/logging/secret-forms';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { expectDialogClosed, filesOf, rowOf, sidebarOf, toolbarButton, withAlertsOf } from './ui';

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details' });

/** Which of the secrets show up in a text, in any form (raw, JSON-escaped, URL-encoded, base64). */
function leaked(text: string, secrets: readonly TestSecret[]): string[] {
  return secrets.filter(({ secret }) => secretForms(secret).some((form) => text.includes(form))).map((s) => s.label);
}

/**
 * The secrets of a journey stay where they belong: a secret key typed into the account form
 * and an SSE-C key generated in the app go from the page to main (frames sent), and never
 * come back (frames received: everything the renderer's store is filled from), never stay in
 * the page's storage or DOM, and never reach the data folder (settings, logs, the transfer
 * journal, the links file), checked before the app's folder is removed.
 */
test('secrets typed or generated in the UI never come back to the page, nor reach the data folder', async ({
  page,
  freshWebApp,
  s3,
  s3Client,
}) => {
  test.skip(!process.env.DBUS_SESSION_BUS_ADDRESS, 'SKIPPED: needs a Secret Service (run through npm test)');
  const received: string[] = [];
  const sent: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => received.push(String(frame.payload)));
    socket.on('framesent', (frame) => sent.push(String(frame.payload)));
  });
  const bucket = await freshBucket(s3);
  const Key = `notes-${randomBytes(3).toString('hex')}.txt`;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: 'hello', ContentType: 'text/plain' }));
    await page.goto(freshWebApp.url);

    // An account with the run's MinIO keys, typed in.
    await sidebarOf(page).getByRole('button', { name: 'Add account', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Add account' });
    await form.getByLabel('Provider').selectOption({ label: 'MinIO' });
    await form.getByLabel('Name', { exact: true }).fill('Secrets MinIO');
    await form.getByLabel('Endpoint').fill(s3.endpoint);
    await form.getByLabel('Region').fill(s3.region);
    await form.getByLabel('Access key ID').fill(s3.accessKeyId);
    await form.getByLabel('Secret access key').fill(s3.secretAccessKey);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(form.getByRole('status')).toContainText(/Connection works/);
    await form.getByRole('button', { name: 'Save' }).click();
    await expectDialogClosed(form);

    // A customer key generated in the app, shown once and stored.
    await sidebarOf(page).getByRole('treeitem', { name: 'Secrets MinIO' }).click();
    await detailsOf(page).getByRole('button', { name: 'Encryption key (SSE-C)…' }).click();
    const keyDialog = page.getByRole('dialog', { name: 'Encryption key (SSE-C)' });
    await keyDialog.getByRole('button', { name: 'Generate key' }).click();
    const customerKey = await keyDialog.getByRole('textbox', { name: 'New encryption key' }).inputValue();
    registerTestSecrets('SSE-C key generated in secrets.spec', customerKey);
    await keyDialog.getByRole('checkbox', { name: 'I have kept a copy of this key' }).check();
    await keyDialog.getByRole('button', { name: 'Save key' }).click();
    await withAlertsOf(keyDialog, () => expect(keyDialog.getByText('A key is stored for this account.')).toBeVisible());
    await keyDialog.getByRole('button', { name: 'Close', exact: true }).filter({ hasText: 'Close' }).click();
    await expect(keyDialog).toBeHidden();

    // Browse, open the details of a file and make a share link (written to the links file).
    await sidebarOf(page).getByRole('treeitem', { name: bucket.name, exact: true }).click();
    await expect(filesOf(page).getByRole('heading', { name: bucket.name })).toBeVisible();
    await rowOf(page, Key).click();
    await expect(detailsOf(page).getByRole('region', { name: 'User metadata' })).toBeVisible();
    await toolbarButton(page, 'Copy link').click();
    const share = page.getByRole('dialog', { name: `Share “${Key}”` });
    await share.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect(share.getByRole('textbox', { name: `Link for ${Key}` })).toHaveValue(/X-Amz-Signature=/);
    await share.getByRole('button', { name: 'Done' }).click();

    const secrets: TestSecret[] = [
      { label: 'MinIO root password', secret: s3.secretAccessKey },
      { label: 'generated SSE-C key', secret: customerKey },
    ];
    // The check can see them: both went from the page to main, as they must.
    expect(leaked(sent.join('\n'), secrets)).toEqual(['MinIO root password', 'generated SSE-C key']);
    expect(received.length).toBeGreaterThan(5);
    expect(leaked(received.join('\n'), secrets), 'WebSocket frames main sent to the page').toEqual([]);
    const pageText = (await page.evaluate(
      '[document.documentElement.outerHTML, JSON.stringify(localStorage), JSON.stringify(sessionStorage), document.cookie].join("\\n")',
    )) as string;
    expect(leaked(pageText, secrets), "the page's DOM and storage").toEqual([]);
    const report = await scanForSecrets([freshWebApp.dataDir], secrets);
    expect(report.files).toBeGreaterThanOrEqual(2);
    expect(report.findings, 'files of the data folder').toEqual([]);
  } finally {
    await bucket.cleanup();
  }
});
