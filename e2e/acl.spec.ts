import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import type { RunningS3Server } from '../scripts/s3-servers/launcher';
import { s3ServerLaunchers } from '../scripts/s3-servers/registry';
import { freshBucket } from '../test/s3-fixtures';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, startWebApp, test } from './fixtures';
import { gridOf, openBucket, rowOf, toolbarButton } from './ui';

// Make public / Make private. MinIO keeps no object ACLs (PutObjectAcl public-read answers
// NotImplemented; private is accepted and changes nothing), so the journey that changes access
// runs against moto, which keeps ACLs and refuses anonymous reads by them; MinIO shows the
// refusal in words.

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details' });
const accessOf = (page: Page) => detailsOf(page).getByRole('region', { name: 'Public access' });

test.describe('on a service with ACLs (moto)', () => {
  let moto: RunningS3Server;
  test.beforeAll(async () => {
    moto = await s3ServerLaunchers.moto.start();
  });
  test.afterAll(async () => {
    await moto?.stop();
  });

  test('a file is made public (an anonymous GET reads it), then private (refused); two files at once; the drop box says why it is missing', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const client = new S3Client({
      endpoint: moto.endpoint,
      region: moto.region,
      forcePathStyle: true,
      credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
    });
    const Bucket = `acl-${randomBytes(5).toString('hex')}`;
    await client.send(new CreateBucketCommand({ Bucket }));
    const page1 = Buffer.from('<h1>hello</h1>');
    await client.send(new PutObjectCommand({ Bucket, Key: 'index.html', Body: page1, ContentType: 'text/html' }));
    await client.send(new PutObjectCommand({ Bucket, Key: 'notes.txt', Body: 'notes' }));
    const app = await startWebApp({
      S3FM_ENDPOINT: moto.endpoint,
      S3FM_ACCESS_KEY_ID: moto.accessKeyId,
      S3FM_SECRET_ACCESS_KEY: moto.secretAccessKey,
      S3FM_REGION: moto.region,
      S3FM_ACCOUNT_NAME: 'Local moto',
    });
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(app.url);
      await openBucket(page, Bucket);

      // moto stores POST uploads without checking their policy: no drop box, and why, in words.
      const dropBox = toolbarButton(page, 'Drop box');
      await expect(dropBox).toHaveAttribute('aria-disabled', 'true');
      await expect(dropBox).toHaveAttribute('aria-description', /without checking their policy.*A drop box needs them/);

      await rowOf(page, 'index.html').click();
      const access = accessOf(page);
      await expect(access).toContainText('Private: only people with access to this account can read it.');
      const publicUrl = `${moto.endpoint}/${Bucket}/index.html`;
      await expect(access).toContainText(publicUrl);
      await access.getByRole('button', { name: 'Copy public URL' }).click();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(publicUrl);
      expect((await fetch(publicUrl)).status).toBe(403);

      // Make public asks first, saying what it means.
      await access.getByRole('button', { name: 'Make public' }).click();
      const question = access.getByRole('group', { name: /Make this file public\? Anyone who has the URL/ });
      await expect(question).toBeVisible();
      await expectNoSeriousAxeViolations(page, '[aria-label="Details"]');
      await page.emulateMedia({ colorScheme: 'dark' });
      await expectNoSeriousAxeViolations(page, '[aria-label="Details"]');
      await page.emulateMedia({ colorScheme: 'light' });
      await question.getByRole('button', { name: 'Make public' }).click();
      await expect(access).toContainText('Public: anyone with the URL can read it.');
      const anonymous = await fetch(publicUrl);
      expect(anonymous.status).toBe(200);
      expect(Buffer.from(await anonymous.arrayBuffer()).equals(page1)).toBe(true);
      await expect(detailsOf(page).getByRole('region', { name: 'Access (ACL)' })).toContainText('Everyone (public)');

      await access.getByRole('button', { name: 'Make private' }).click();
      await expect(access).toContainText('Private: only people with access to this account can read it.');
      expect((await fetch(publicUrl)).status).toBe(403);

      // Both files at once.
      await rowOf(page, 'notes.txt').click({ modifiers: ['Control'] });
      await expect(detailsOf(page).getByRole('heading', { name: '2 items selected' })).toBeVisible();
      await accessOf(page).getByRole('button', { name: 'Make public' }).click();
      await accessOf(page)
        .getByRole('group', { name: /Make these 2 files public\?/ })
        .getByRole('button', { name: 'Make public' })
        .click();
      await expect.poll(async () => (await fetch(`${moto.endpoint}/${Bucket}/notes.txt`)).status).toBe(200);
      expect((await fetch(publicUrl)).status).toBe(200);
      await expect(gridOf(page)).toBeVisible();
    } finally {
      await app.stop();
      client.destroy();
    }
  });
});

test('on MinIO, which keeps no object ACLs, Make public is refused in words and then disabled with the reason', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  try {
    await s3Client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'a.txt', Body: 'a' }));
    await page.goto(webApp.url);
    await openBucket(page, bucket.name);
    await rowOf(page, 'a.txt').click();
    const access = accessOf(page);
    await expect(access).toContainText('Private: only people with access to this account can read it.');
    await access.getByRole('button', { name: 'Make public' }).click();
    await access
      .getByRole('group', { name: /Make this file public\?/ })
      .getByRole('button', { name: 'Make public' })
      .click();
    await expect(access.getByRole('alert')).toContainText(
      'This service does not support access lists (ACLs) on objects.',
    );
    await expect(access.getByRole('button', { name: 'Make public' })).toHaveAttribute('aria-disabled', 'true');
    await expect(access).toContainText('Access cannot be changed: This service does not support access lists');
    expect((await fetch(`${s3.endpoint}/${bucket.name}/a.txt`)).status).toBe(403);
  } finally {
    await bucket.cleanup();
  }
});
