import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { RunningS3Server } from '../scripts/s3-servers/launcher';
import { s3ServerLaunchers } from '../scripts/s3-servers/registry';
import { freshBucket, s3ClientFor, type RunningS3Info } from '../test/s3-fixtures';
import { openBucketSettings, scanInBothThemes, settingsDialogOf, showSection } from './bucket-settings-ui';
import { expect, startWebApp, test } from './fixtures';
import { openBucket } from './ui';

/**
 * The bucket settings journeys but the policy's (issue #16): default encryption and tags against
 * MinIO, opened from the details panel; Block Public Access on MinIO says why it is missing;
 * Block Public Access and the bucket ACL against moto, which has them, where turning protection
 * off and a public ACL apply only once confirmed. Each change is checked with the test's own client.
 */

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details' });

test('default encryption and tags are saved and read back; Block Public Access on MinIO says why it is missing', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(webApp.url);
    await openBucket(page, Bucket);
    // From the details panel's bucket properties this time.
    await detailsOf(page)
      .getByRole('region', { name: 'Bucket' })
      .getByRole('button', { name: 'Bucket settings…' })
      .click();
    const dialog = settingsDialogOf(page);

    const pab = await showSection(dialog, 'Block public access');
    await expect(dialog.getByRole('tab', { name: /^Block public access/ })).toContainText('Not supported');
    await expect(pab).toContainText(
      'This service does not support blocking public access (Block Public Access), so this section is hidden.',
    );
    await expect(pab.getByRole('checkbox')).toHaveCount(0);

    const encryption = await showSection(dialog, 'Default encryption');
    await encryption.getByRole('radio', { name: 'SSE-S3' }).check();
    await encryption.getByRole('button', { name: 'Save encryption' }).click();
    await expect(page.getByText(`Default encryption of “${Bucket}” saved`, { exact: true })).toBeVisible();
    const rule = (await s3Client.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration
      ?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    await scanInBothThemes(page, '[role="dialog"]');

    const tags = await showSection(dialog, 'Tags');
    await tags.getByRole('button', { name: 'Add tag' }).click();
    await tags.getByRole('textbox', { name: 'Bucket tag key 1' }).fill('aws:team');
    await tags.getByRole('textbox', { name: 'Bucket tag value 1' }).fill('data');
    await expect(tags).toContainText('A tag key cannot start with "aws:"');
    await tags.getByRole('button', { name: 'Save tags' }).click();
    await expect(tags.getByRole('textbox', { name: 'Bucket tag key 1' })).toHaveAttribute('aria-invalid', 'true');
    await tags.getByRole('textbox', { name: 'Bucket tag key 1' }).fill('team');
    await tags.getByRole('button', { name: 'Save tags' }).click();
    await expect(page.getByText(`Tags of “${Bucket}” saved`, { exact: true })).toBeVisible();
    const tagSet = (await s3Client.send(new GetBucketTaggingCommand({ Bucket }))).TagSet ?? [];
    expect(tagSet.map((tag) => [tag.Key, tag.Value])).toEqual([['team', 'data']]);
    await scanInBothThemes(page, '[role="dialog"]');
  } finally {
    await bucket.cleanup();
  }
});

test.describe('against moto, which has Block Public Access and bucket ACLs', () => {
  let moto: RunningS3Server;
  test.beforeAll(async () => {
    moto = await s3ServerLaunchers.moto.start();
  });
  test.afterAll(async () => {
    await moto?.stop();
  });

  test('turning protection off and a public ACL apply only once confirmed', async ({ page }) => {
    const app = await startWebApp({
      S3FM_ENDPOINT: moto.endpoint,
      S3FM_ACCESS_KEY_ID: moto.accessKeyId,
      S3FM_SECRET_ACCESS_KEY: moto.secretAccessKey,
      S3FM_REGION: moto.region,
      S3FM_ACCOUNT_NAME: 'Local moto',
    });
    const client: S3Client = s3ClientFor(moto as RunningS3Info);
    const Bucket = `settings-${randomBytes(5).toString('hex')}`;
    try {
      await client.send(new CreateBucketCommand({ Bucket }));
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(app.url);
      const dialog = await openBucketSettings(page, Bucket);
      const pab = await showSection(dialog, 'Block public access');
      await expect(pab).toContainText('Not available on this service');
      const raw = async () =>
        (await client.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration;

      for (const name of [
        'Block new public ACLs',
        'Ignore public ACLs',
        'Block new public bucket policies',
        'Restrict public bucket policies',
      ]) {
        await pab.getByRole('checkbox', { name }).check();
      }
      await pab.getByRole('button', { name: 'Save public access' }).click();
      await expect(page.getByText(`Public access settings of “${Bucket}” saved`, { exact: true })).toBeVisible();
      expect(await raw()).toMatchObject({ BlockPublicPolicy: true, IgnorePublicAcls: true });
      await scanInBothThemes(page, '[role="dialog"]');

      // Turning one off asks, naming what it lets happen; Cancel leaves it on.
      await pab.getByRole('checkbox', { name: 'Block new public bucket policies' }).uncheck();
      await pab.getByRole('button', { name: 'Save public access' }).click();
      const question = page.getByRole('alertdialog', { name: 'Turn off public access protection?' });
      await expect(question).toContainText('a bucket policy may grant access to anyone on the internet');
      await scanInBothThemes(page, '[role="alertdialog"]');
      await question.getByRole('button', { name: 'Cancel' }).click();
      await expect(question).toBeHidden();
      expect((await raw())?.BlockPublicPolicy).toBe(true);
      await pab.getByRole('button', { name: 'Save public access' }).click();
      await question.getByRole('button', { name: 'Turn off protection' }).click();
      await expect(question).toBeHidden();
      expect(await raw()).toMatchObject({ BlockPublicPolicy: false, IgnorePublicAcls: true });

      // The bucket's ACL: public-read only once confirmed.
      const acl = await showSection(dialog, 'Access list (ACL)');
      await acl.getByRole('radio', { name: /^Public list/ }).check();
      await acl.getByRole('button', { name: 'Save access list' }).click();
      const open = page.getByRole('alertdialog', { name: 'Open the bucket to others?' });
      await expect(open).toContainText('anyone on the internet can list the objects in the bucket');
      await open.getByRole('button', { name: 'Cancel' }).click();
      const allUsers = async () =>
        ((await client.send(new GetBucketAclCommand({ Bucket }))).Grants ?? []).some((grant) =>
          grant.Grantee?.URI?.endsWith('/AllUsers'),
        );
      expect(await allUsers()).toBe(false);
      await acl.getByRole('button', { name: 'Save access list' }).click();
      await open.getByRole('button', { name: 'Set access list' }).click();
      await expect(open).toBeHidden();
      await expect(acl).toContainText('Everyone (public): READ');
      expect(await allUsers()).toBe(true);
      await scanInBothThemes(page, '[role="dialog"]');
    } finally {
      client.destroy();
      await app.stop();
    }
  });
});
