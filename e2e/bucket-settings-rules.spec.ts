import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketWebsiteCommand,
  GetObjectLockConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { RunningS3Server } from '../scripts/s3-servers/launcher';
import { s3ServerLaunchers } from '../scripts/s3-servers/registry';
import { s3ClientFor, type RunningS3Info } from '../test/s3-fixtures';
import { openBucketSettings, scanInBothThemes, showSection } from './bucket-settings-ui';
import { expect, startWebApp, test } from './fixtures';
import { sidebarOf } from './ui';

/**
 * The rule sections of Bucket settings (issue #16): Object Lock (a bucket created with it, its
 * default retention, COMPLIANCE's warning) and lifecycle (a rule that deletes objects asks,
 * naming how many it matches now) on MinIO, where CORS and website say why they are missing;
 * CORS rules (a preset, "any origin" only once confirmed), the website (turned on only once
 * confirmed) and the abort-unfinished-uploads rule on moto, which has them. Each change is
 * checked with the test's own client.
 */

test('Object Lock and lifecycle on MinIO; CORS and website say why they are missing', async ({
  page,
  webApp,
  s3Client,
}) => {
  const Bucket = `lock-${randomBytes(5).toString('hex')}`;
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(webApp.url);
  const sidebar = sidebarOf(page);
  await sidebar.getByRole('treeitem', { name: 'Local MinIO' }).click();
  await sidebar.getByRole('button', { name: 'Create bucket', exact: true }).click();
  const create = page.getByRole('dialog', { name: 'Create bucket' });
  await create.getByLabel('Bucket name').fill(Bucket);
  await create.getByRole('checkbox', { name: 'Turn on Object Lock' }).check();
  await create.getByRole('button', { name: 'Create bucket' }).click();
  await expect(create).toBeHidden();
  for (let i = 0; i < 3; i++) {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: `logs/${i}.txt`, Body: 'x' }));
  }
  await s3Client.send(new PutObjectCommand({ Bucket, Key: 'keep.txt', Body: 'x' }));

  const dialog = await openBucketSettings(page, Bucket);
  const lock = await showSection(dialog, 'Object Lock');
  await expect(lock).toContainText('Object Lock is on for this bucket');
  await lock.getByRole('radio', { name: 'COMPLIANCE' }).check();
  await expect(lock.getByRole('note')).toContainText('cannot be shortened or removed by anyone');
  await lock.getByRole('button', { name: 'Save Object Lock' }).click();
  const compliance = page.getByRole('alertdialog', { name: 'Lock new objects in COMPLIANCE mode?' });
  await expect(compliance).toContainText('This cannot be undone');
  await scanInBothThemes(page, '[role="alertdialog"]');
  await compliance.getByRole('button', { name: 'Cancel' }).click();
  await expect(compliance).toBeHidden();
  const stored = async () =>
    (await s3Client.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration;
  expect((await stored())?.Rule).toBeUndefined();
  await lock.getByRole('radio', { name: 'GOVERNANCE' }).check();
  await lock.getByRole('textbox', { name: 'Retention period' }).fill('5');
  await lock.getByRole('button', { name: 'Save Object Lock' }).click();
  await expect(page.getByText(`Object Lock of “${Bucket}” saved`, { exact: true })).toBeVisible();
  expect((await stored())?.Rule?.DefaultRetention).toMatchObject({ Mode: 'GOVERNANCE', Days: 5 });
  await scanInBothThemes(page, '[role="dialog"]');

  const lifecycle = await showSection(dialog, 'Lifecycle rules');
  await lifecycle.getByRole('button', { name: 'Add rule', exact: true }).click();
  const rule = lifecycle.getByRole('listitem', { name: /^Lifecycle rule 1/ });
  await rule.getByRole('textbox', { name: 'Rule name' }).fill('expire-logs');
  await rule.getByRole('textbox', { name: 'Prefix' }).fill('logs/');
  await rule.getByRole('button', { name: 'Count matching objects' }).click();
  await expect(rule).toContainText('Matches 3 objects now.');
  await rule.getByRole('textbox', { name: 'Expire after (days)' }).fill('0');
  await lifecycle.getByRole('button', { name: 'Save lifecycle rules' }).click();
  await expect(lifecycle.getByRole('alert')).toContainText('Rule 1: The expiry must be at least 1 day.');
  await rule.getByRole('textbox', { name: 'Expire after (days)' }).fill('30');
  await lifecycle.getByRole('button', { name: 'Save lifecycle rules' }).click();
  const expiry = page.getByRole('alertdialog', { name: 'Delete objects by rule?' });
  await expect(expiry).toContainText('it matches 3 objects now');
  await scanInBothThemes(page, '[role="alertdialog"]');
  await expiry.getByRole('button', { name: 'Save lifecycle rules' }).click();
  await expect(page.getByText(`Lifecycle rules of “${Bucket}” saved`, { exact: true })).toBeVisible();
  const rules = (await s3Client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? [];
  expect(rules).toMatchObject([{ ID: 'expire-logs', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }]);
  await scanInBothThemes(page, '[role="dialog"]');

  // MinIO has no bucket CORS rules and no website. The web app's account names no provider, so
  // the app learns it from MinIO's answers: NotImplemented for CORS (then the tab says so), and
  // 400 MalformedXML to a plain website configuration, which says it hosts no websites (the same).
  const cors = await showSection(dialog, 'CORS rules');
  await cors.getByRole('button', { name: 'Allow the drop box page' }).click();
  await cors.getByRole('button', { name: 'Save CORS rules' }).click();
  // The answer teaches the model, and the shell then says why in place of the editor.
  await expect(cors).toContainText('This service does not support CORS rules per bucket, so this section is hidden.');
  await expect(dialog.getByRole('tab', { name: /^CORS rules/ })).toContainText('Not supported');
  const website = await showSection(dialog, 'Static website');
  await website.getByRole('radio', { name: 'Redirect every request to another host' }).check();
  await website.getByRole('textbox', { name: 'Redirect to host' }).fill('www.example.com');
  await website.getByRole('button', { name: 'Save website settings' }).click();
  await expect(website).toContainText('does not host static websites through the S3 API');
  await expect(dialog.getByRole('tab', { name: /^Static website/ })).toContainText('Not supported');
});

test.describe('against moto, which has bucket CORS rules and websites', () => {
  let moto: RunningS3Server;
  test.beforeAll(async () => {
    moto = await s3ServerLaunchers.moto.start();
  });
  test.afterAll(async () => {
    await moto?.stop();
  });

  test('CORS presets, "any origin" and the website only once confirmed, and the abort-uploads rule', async ({
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
    const Bucket = `rules-${randomBytes(5).toString('hex')}`;
    await client.send(new CreateBucketCommand({ Bucket }));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(app.url);
    const dialog = await openBucketSettings(page, Bucket);

    const cors = await showSection(dialog, 'CORS rules');
    await expect(cors).toContainText('This bucket has no CORS rules.');
    await cors.getByRole('textbox', { name: 'Web site origin' }).fill('app.example.com');
    await cors.getByRole('button', { name: 'Allow uploads from this web origin' }).click();
    await expect(cors).toContainText('Write the web site’s origin, such as https://app.example.com');
    await cors.getByRole('textbox', { name: 'Web site origin' }).fill('https://app.example.com');
    await cors.getByRole('button', { name: 'Allow uploads from this web origin' }).click();
    await cors.getByRole('button', { name: 'Save CORS rules' }).click();
    await expect(page.getByText(`CORS rules of “${Bucket}” saved`, { exact: true })).toBeVisible();
    const corsRules = async () => (await client.send(new GetBucketCorsCommand({ Bucket }))).CORSRules ?? [];
    expect(await corsRules()).toMatchObject([
      { AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['PUT', 'POST'] },
    ]);
    await scanInBothThemes(page, '[role="dialog"]');

    await cors.getByRole('button', { name: 'Allow browser reads from any origin' }).click();
    await cors.getByRole('button', { name: 'Save CORS rules' }).click();
    const anyOrigin = page.getByRole('alertdialog', { name: 'Let any web site in?' });
    await expect(anyOrigin).toContainText('Pages on any web site will be able to send GET, HEAD requests');
    await scanInBothThemes(page, '[role="alertdialog"]');
    await anyOrigin.getByRole('button', { name: 'Cancel' }).click();
    expect(await corsRules()).toHaveLength(1);
    await cors.getByRole('button', { name: 'Save CORS rules' }).click();
    await anyOrigin.getByRole('button', { name: 'Save CORS rules' }).click();
    await expect(anyOrigin).toBeHidden();
    expect((await corsRules()).map((r) => r.AllowedOrigins)).toEqual([['https://app.example.com'], ['*']]);

    const website = await showSection(dialog, 'Static website');
    await expect(website).toContainText('No website address is known for this service');
    await website.getByRole('radio', { name: 'Serve the bucket’s files as a website' }).check();
    await website.getByRole('textbox', { name: 'Error document' }).fill('error.html');
    await website.getByRole('button', { name: 'Save website settings' }).click();
    const turnOn = page.getByRole('alertdialog', { name: 'Turn on the website?' });
    await expect(turnOn).toContainText('does not make anything public');
    await scanInBothThemes(page, '[role="alertdialog"]');
    await turnOn.getByRole('button', { name: 'Turn on website' }).click();
    await expect(turnOn).toBeHidden();
    expect(await client.send(new GetBucketWebsiteCommand({ Bucket }))).toMatchObject({
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'error.html' },
    });
    await scanInBothThemes(page, '[role="dialog"]');

    const lifecycle = await showSection(dialog, 'Lifecycle rules');
    await lifecycle.getByRole('button', { name: 'Add rule: abort unfinished uploads after 7 days' }).click();
    await lifecycle.getByRole('button', { name: 'Save lifecycle rules' }).click();
    await expect(page.getByText(`Lifecycle rules of “${Bucket}” saved`, { exact: true })).toBeVisible();
    const rules = (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? [];
    expect(rules).toMatchObject([
      { ID: 'abort-unfinished-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    ]);
  });
});
