import type { S3Client } from '@aws-sdk/client-s3';
import {
  DeletePublicAccessBlockCommand as DeleteAccountPublicAccessBlockCommand,
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
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
 * Block Public Access (the bucket's, and the whole account's through moto's S3 Control) and the
 * bucket ACL against moto, which has them, where turning protection off and a public ACL apply
 * only once confirmed. Each change is checked with the test's own client.
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
      // The account's part reads moto's S3 Control: none set.
      await expect(pab.getByRole('region', { name: 'For the whole account' })).toContainText(
        'Switches of AWS account 123456789012 (none set: all off)',
      );
      const raw = async () =>
        (await client.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration;

      for (const name of [
        'Block new public ACLs',
        'Ignore public ACLs',
        'Block new public bucket policies',
        'Restrict public bucket policies',
      ]) {
        await pab.getByRole('checkbox', { name, exact: true }).check();
      }
      await pab.getByRole('button', { name: 'Save public access' }).click();
      await expect(page.getByText(`Public access settings of “${Bucket}” saved`, { exact: true })).toBeVisible();
      expect(await raw()).toMatchObject({ BlockPublicPolicy: true, IgnorePublicAcls: true });
      await scanInBothThemes(page, '[role="dialog"]');

      // Turning one off asks, naming what it lets happen; Cancel leaves it on.
      await pab.getByRole('checkbox', { name: 'Block new public bucket policies', exact: true }).uncheck();
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

  test("the whole account's switches: shown with what is in effect, turned off only once confirmed, read back", async ({
    page,
  }) => {
    const app = await startWebApp({
      S3FM_ENDPOINT: moto.endpoint,
      S3FM_ACCESS_KEY_ID: moto.accessKeyId,
      S3FM_SECRET_ACCESS_KEY: moto.secretAccessKey,
      S3FM_REGION: moto.region,
      S3FM_ACCOUNT_NAME: 'Local moto',
    });
    const client: S3Client = s3ClientFor(moto as RunningS3Info);
    // The test's own S3 Control client, to moto as it is (the SDK's rules would put the account ID before the host).
    const control = new S3ControlClient({
      region: moto.region,
      credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
      endpointProvider: () => ({ url: new URL(moto.endpoint) }),
    });
    const AccountId = '123456789012';
    const accountSwitches = async () =>
      (await control.send(new GetAccountPublicAccessBlockCommand({ AccountId }))).PublicAccessBlockConfiguration;
    const Bucket = `account-${randomBytes(5).toString('hex')}`;
    try {
      await client.send(new CreateBucketCommand({ Bucket }));
      // Set outside the app: two switches on for the account, none for the bucket.
      await control.send(
        new PutAccountPublicAccessBlockCommand({
          AccountId,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: false,
            RestrictPublicBuckets: false,
          },
        }),
      );
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(app.url);
      const dialog = await openBucketSettings(page, Bucket);
      const pab = await showSection(dialog, 'Block public access');
      const account = pab.getByRole('region', { name: 'For the whole account' });
      await expect(account).toContainText('a protection on for the account is on for');
      await expect(account).toContainText('Switches of AWS account 123456789012');
      await expect(account.getByRole('checkbox', { name: 'Block new public ACLs (whole account)' })).toBeChecked();
      await expect(account.getByRole('checkbox', { name: 'Ignore public ACLs (whole account)' })).toBeChecked();
      await expect(
        account.getByRole('checkbox', { name: 'Block new public bucket policies (whole account)' }),
      ).not.toBeChecked();
      // In effect for the bucket: the account's switches, though the bucket has none of its own.
      const effective = account.getByRole('region', { name: `In effect for “${Bucket}”` });
      await expect(effective.getByRole('definition')).toHaveText([
        'On (for the account)',
        'On (for the account)',
        'Off',
        'Off',
      ]);
      await scanInBothThemes(page, '[role="dialog"]');

      // Turning one off for the account asks, naming the account and what it lets happen; Cancel leaves it on.
      await account.getByRole('checkbox', { name: 'Ignore public ACLs (whole account)' }).uncheck();
      await account.getByRole('button', { name: 'Save account settings' }).click();
      const question = page.getByRole('alertdialog', {
        name: 'Turn off public access protection for the whole account?',
      });
      await expect(question).toContainText('every bucket of AWS account 123456789012 whose own switch is off');
      await expect(question).toContainText('objects whose access lists say "public" become readable by anyone');
      await scanInBothThemes(page, '[role="alertdialog"]');
      await question.getByRole('button', { name: 'Cancel' }).click();
      await expect(question).toBeHidden();
      expect((await accountSwitches())?.IgnorePublicAcls).toBe(true);

      await account.getByRole('button', { name: 'Save account settings' }).click();
      await question.getByRole('button', { name: 'Turn off for the account' }).click();
      await expect(question).toBeHidden();
      await expect(page.getByText('Public access settings of the whole account saved', { exact: true })).toBeVisible();
      expect(await accountSwitches()).toMatchObject({ BlockPublicAcls: true, IgnorePublicAcls: false });
      await expect(effective.getByRole('definition')).toHaveText(['On (for the account)', 'Off', 'Off', 'Off']);

      // Turning one on asks nothing, and is read back too.
      await account.getByRole('checkbox', { name: 'Block new public bucket policies (whole account)' }).check();
      await account.getByRole('button', { name: 'Save account settings' }).click();
      await expect(effective.getByRole('definition')).toHaveText([
        'On (for the account)',
        'Off',
        'On (for the account)',
        'Off',
      ]);
      expect(await accountSwitches()).toMatchObject({ BlockPublicAcls: true, BlockPublicPolicy: true });
    } finally {
      await control.send(new DeleteAccountPublicAccessBlockCommand({ AccountId })).catch(() => undefined);
      control.destroy();
      client.destroy();
      await app.stop();
    }
  });
});
