import { GetBucketPolicyCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { freshBucket } from '../test/s3-fixtures';
import { openBucketSettings, scanInBothThemes, showSection } from './bucket-settings-ui';
import { expect, test } from './fixtures';

/**
 * The bucket policy editor (issue #16) against MinIO: an invalid policy is refused with its line
 * and column and nothing reaches the bucket; a template's public-read statement is said in words,
 * and saving it asks first: Cancel leaves the bucket without a policy, confirming applies it
 * (GetBucketPolicy has it, and an anonymous GET of an object under the folder is answered).
 */

/** The bucket's policy as stored, or null where it has none. */
async function storedPolicy(client: S3Client, Bucket: string): Promise<string | null> {
  try {
    return (await client.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? null;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucketPolicy') return null;
    throw error;
  }
}

test('an invalid policy is refused with its line and column; a public one is saved only once confirmed', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const Bucket = bucket.name;
  try {
    await s3Client.send(new PutObjectCommand({ Bucket, Key: 'photos/cat.txt', Body: 'meow' }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    const dialog = await openBucketSettings(page, Bucket);
    const policy = await showSection(dialog, 'Bucket policy');
    await expect(policy.getByText('This bucket has no policy.')).toBeVisible();
    await scanInBothThemes(page, '[role="dialog"]');

    // An unknown action on line 6: flagged as typed, and Save is refused with its line and column.
    const editor = policy.getByRole('textbox', { name: 'Policy (JSON)' });
    await editor.fill(
      [
        '{',
        '  "Version": "2012-10-17",',
        '  "Statement": [{',
        '    "Effect": "Allow",',
        '    "Principal": "*",',
        '    "Action": "s3:GetObjekt",',
        `    "Resource": "arn:aws:s3:::${Bucket}/photos/*"`,
        '  }]',
        '}',
      ].join('\n'),
    );
    const problems = policy.getByRole('list', { name: 'Problems in the policy' });
    await expect(problems).toContainText(
      'Line 6, column 15: "s3:GetObjekt" is not a known S3 action. Did you mean "s3:GetObject"?',
    );
    await expect(editor).toHaveAttribute('aria-invalid', 'true');
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await expect(policy.getByRole('alert')).toContainText('The policy was not saved. Line 6, column 15:');
    // A JSON syntax error has its place too.
    await editor.fill('{\n  "Version": "2012-10-17",\n  "Statement": [\n  ]\n  "Id": "x"\n}');
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await expect(policy.getByRole('alert')).toContainText('Line 5, column 3: Expected a comma (,) or "}" here');
    expect(await storedPolicy(s3Client, Bucket)).toBeNull();

    // A template: public read for photos/, said in words before anything is saved.
    await editor.fill('');
    await policy.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'Public read for one folder' });
    await policy.getByRole('textbox', { name: 'Folder' }).fill('photos');
    await policy.getByRole('button', { name: 'Add to policy' }).click();
    await expect(problems).toBeHidden();
    const summary = policy.getByRole('region', { name: 'What this policy allows' });
    await expect(summary).toContainText('Anyone on the internet can read objects (objects under photos/).');

    // Saving asks first, naming the consequence; Cancel leaves the bucket as it was.
    await policy.getByRole('button', { name: 'Save policy' }).click();
    const question = page.getByRole('alertdialog', { name: 'Open the bucket to anyone?' });
    await expect(question).toContainText('Anyone on the internet can read objects (objects under photos/).');
    await scanInBothThemes(page, '[role="alertdialog"]');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(question).toBeHidden();
    expect(await storedPolicy(s3Client, Bucket)).toBeNull();
    const anonymous = `${s3.endpoint}/${Bucket}/photos/cat.txt`;
    expect((await fetch(anonymous)).status).toBe(403);

    // Confirmed on purpose: applied.
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await question.getByRole('button', { name: 'Save and open to anyone' }).click();
    await expect(question).toBeHidden();
    const saved = JSON.parse((await storedPolicy(s3Client, Bucket)) ?? '{}') as { Statement: object[] };
    expect(JSON.stringify(saved.Statement)).toContain(`arn:aws:s3:::${Bucket}/photos/*`);
    const response = await fetch(anonymous);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('meow');

    // Delete policy asks, then removes it.
    await policy.getByRole('button', { name: 'Delete policy' }).click();
    const remove = page.getByRole('alertdialog', { name: 'Delete the bucket policy?' });
    await remove.getByRole('button', { name: 'Delete policy' }).click();
    await expect(remove).toBeHidden();
    await expect(policy.getByText('This bucket has no policy.')).toBeVisible();
    expect(await storedPolicy(s3Client, Bucket)).toBeNull();

    // Denying requests without TLS, over this plain-HTTP endpoint, would refuse the app itself: said, and asked.
    await policy
      .getByRole('combobox', { name: 'Template' })
      .selectOption({ label: 'Deny requests without TLS (HTTPS)' });
    await policy.getByRole('button', { name: 'Add to policy' }).click();
    await expect(policy).toContainText("the service may refuse this app's own requests to the bucket");
    await policy.getByRole('button', { name: 'Save policy' }).click();
    const lockout = page.getByRole('alertdialog', { name: 'Refuse this app’s own requests?' });
    await expect(lockout).toContainText('over plain HTTP');
    await lockout.getByRole('button', { name: 'Cancel' }).click();
    await expect(lockout).toBeHidden();
    expect(await storedPolicy(s3Client, Bucket)).toBeNull();
  } finally {
    await bucket.cleanup();
  }
});
