import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';
import { filesOf, rowOf, sidebarOf } from './ui';

/**
 * One file's Object Lock in the details panel (issue #16): its retention set (GOVERNANCE to a
 * date; a past date refused in words; COMPLIANCE warned of and asked again) and its legal hold
 * turned on and off, each checked with the test's own client, the locked version's delete
 * refused by MinIO; a bucket without Object Lock says so and shows no controls.
 */

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details' });

/** A date as a datetime-local field takes it (local time, to the minute). */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function selectFile(page: Page, bucket: string, name: string): Promise<void> {
  await sidebarOf(page).getByRole('treeitem', { name: bucket, exact: true }).click();
  await expect(filesOf(page).getByRole('heading', { name: bucket })).toBeVisible();
  await rowOf(page, name).click();
  await expect(rowOf(page, name)).toHaveAttribute('aria-selected', 'true');
}

test('a file in an Object Lock bucket gets a GOVERNANCE retention and a legal hold from the details panel', async ({
  page,
  webApp,
  s3Client,
}) => {
  const Bucket = `retain-${randomBytes(5).toString('hex')}`;
  const Plain = `plain-${randomBytes(5).toString('hex')}`;
  await s3Client.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  await s3Client.send(new CreateBucketCommand({ Bucket: Plain }));
  const put = await s3Client.send(new PutObjectCommand({ Bucket, Key: 'contract.pdf', Body: 'signed' }));
  await s3Client.send(new PutObjectCommand({ Bucket: Plain, Key: 'note.txt', Body: 'x' }));
  const Key = 'contract.pdf';

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(webApp.url);
  await selectFile(page, Bucket, Key);
  const retention = detailsOf(page).getByRole('region', { name: 'Retention' });
  await expect(retention.getByRole('definition').first()).toHaveText('None');
  await expect(retention.getByRole('definition').nth(1)).toHaveText('Off');

  // A past date is refused in words, before anything is asked of the service.
  const until = retention.getByLabel('Retain until');
  await until.fill(localInput(new Date(Date.now() - 60 * 60 * 1000)));
  await retention.getByRole('button', { name: 'Set retention' }).click();
  await expect(retention).toContainText('Choose a date and time in the future for the retention to end.');

  // COMPLIANCE warns in words and asks again; Cancel sets nothing.
  await retention.getByRole('combobox', { name: 'Retention mode' }).selectOption('COMPLIANCE');
  await expect(retention.getByRole('note')).toContainText('cannot be shortened or removed by anyone');
  const inTwoDays = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
  inTwoDays.setSeconds(0, 0);
  await until.fill(localInput(inTwoDays));
  await retention.getByRole('button', { name: 'Set retention' }).click();
  const compliance = page.getByRole('alertdialog', { name: 'Lock this file in COMPLIANCE mode?' });
  await expect(compliance).toContainText('This cannot be undone');
  await expectNoSeriousAxeViolations(page, '[role="alertdialog"]');
  await compliance.getByRole('button', { name: 'Cancel' }).click();
  await expect(compliance).toBeHidden();
  const retentionStored = async () =>
    (await s3Client.send(new GetObjectRetentionCommand({ Bucket, Key }))).Retention ?? null;
  const holdStored = async () =>
    (await s3Client.send(new GetObjectLegalHoldCommand({ Bucket, Key }))).LegalHold?.Status;
  await expect(retentionStored()).rejects.toThrow();

  // GOVERNANCE to a date in two days: it lands.
  await retention.getByRole('combobox', { name: 'Retention mode' }).selectOption('GOVERNANCE');
  await retention.getByRole('button', { name: 'Set retention' }).click();
  await expect(page.getByText('Retention set', { exact: true })).toBeVisible();
  await expect(retention.getByRole('definition').first()).toContainText('GOVERNANCE until');
  const stored = await retentionStored();
  expect(stored?.Mode).toBe('GOVERNANCE');
  expect(Math.abs((stored?.RetainUntilDate?.getTime() ?? 0) - inTwoDays.getTime())).toBeLessThan(1000);
  await expect(retention.getByRole('button', { name: 'Extend retention' })).toBeVisible();

  // Legal hold on: it lands, and the locked version cannot be deleted.
  await retention.getByRole('switch', { name: 'Legal hold' }).check();
  await expect(page.getByText('Legal hold on', { exact: true })).toBeVisible();
  await expect(retention.getByRole('definition').nth(1)).toHaveText('On');
  expect(await holdStored()).toBe('ON');
  await expect(s3Client.send(new DeleteObjectCommand({ Bucket, Key, VersionId: put.VersionId }))).rejects.toThrow();
  await expectNoSeriousAxeViolations(page, 'aside[aria-label="Details"]');

  // Legal hold off: read back off.
  await retention.getByRole('switch', { name: 'Legal hold' }).uncheck();
  await expect(page.getByText('Legal hold off', { exact: true })).toBeVisible();
  await expect(retention.getByRole('switch', { name: 'Legal hold' })).not.toBeChecked();
  expect(await holdStored()).toBe('OFF');

  // A bucket made without Object Lock says so, with no controls.
  await selectFile(page, Plain, 'note.txt');
  const plain = detailsOf(page).getByRole('region', { name: 'Retention' });
  await expect(plain).toContainText('This bucket was not created with Object Lock');
  await expect(plain.getByRole('switch')).toHaveCount(0);
  await expect(plain.getByRole('button')).toHaveCount(0);
});
