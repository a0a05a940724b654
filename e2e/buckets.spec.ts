import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { expect, test } from './fixtures';

test('a new user sees the buckets of their S3 server in the sidebar', async ({ page, s3Client, webApp }) => {
  const suffix = randomBytes(4).toString('hex');
  const first = `photos-${suffix}`;
  const names = [first, `invoices-${suffix}`];
  for (const Bucket of names) await s3Client.send(new CreateBucketCommand({ Bucket }));
  try {
    await page.goto(webApp.url);
    const sidebar = page.getByRole('navigation', { name: 'Accounts and buckets' });
    await expect(sidebar.getByRole('treeitem', { name: 'Local MinIO' })).toBeVisible();
    for (const name of names) await expect(sidebar.getByRole('treeitem', { name })).toBeVisible();

    await sidebar.getByRole('treeitem', { name: first }).click();
    await expect(page.getByRole('main', { name: 'Files' }).getByRole('heading', { name: first })).toBeVisible();

    // The token left the address bar, so a copied URL does not carry it.
    expect(page.url()).not.toContain('token=');

    await mkdir('test-results', { recursive: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: 'test-results/web-mode.png' });
  } finally {
    for (const Bucket of names) await s3Client.send(new DeleteBucketCommand({ Bucket }));
  }
});

test('a foreign page cannot reach the app without its token', async ({ page, webApp }) => {
  const withoutToken = webApp.url.replace(/#token=.*$/, '');
  await page.goto(withoutToken);
  // No token: the WebSocket is refused, and the UI says the app cannot be reached instead of hanging.
  await expect(page.getByRole('alert').first()).toContainText(/connection to the app was lost|could not be reached/i);
});
