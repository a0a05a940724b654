/**
 * The compatibility suite's journeys through the Bucket settings dialog (issue #16): one per
 * section (policy, Block Public Access, default encryption, tags, ACL, CORS, lifecycle, Object
 * Lock, website), each driven through `dispatch` with the channels the dialog uses and checked
 * by what the service then holds, read back with the target's direct client. A section the
 * service lacks must come out "unavailable" in the app's own sentence (a `not-supported` answer
 * or a read that says `available: false`); anything else the app says is a failure.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {
  BucketAclState,
  BucketPolicyState,
  BucketTag,
  DefaultEncryption,
  PublicAccessState,
} from '../../src/shared/bucket-settings';
import {
  corsPresets,
  type BucketObjectLock,
  type BucketWebsite,
  type CorsRule,
  type LifecyclePreview,
  type LifecycleRule,
  type ObjectProtection,
} from '../../src/shared/bucket-rules';
import type { Availability } from '../../src/shared/details';
import { emptyAndDeleteBucket } from '../s3-fixtures';
import { AppErrorResult, type AppOnTarget } from './harness';
import type { JourneyResult } from './results';

/** One journey (the shape of journeys.ts's `Journey`, repeated here so the two files do not import each other). */
interface SettingsJourney {
  id: string;
  label: string;
  run(app: AppOnTarget): Promise<JourneyResult>;
}

const pass = (detail: string): JourneyResult => ({ status: 'pass', detail });
const unavailable = (detail: string): JourneyResult => ({ status: 'unavailable', detail });

/** Thrown by a check: the journey fails with this message (runJourney turns it into a failure). */
class CheckFailed extends Error {}

/** Fails the journey unless `condition` holds. */
function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/** The service's error name for a direct read ("NoSuchTagSet"), or undefined where it answered. */
async function refusalOf(read: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await read();
    return undefined;
  } catch (error) {
    return (error as { name?: string }).name ?? 'error';
  }
}

/**
 * A change the app must refuse before sending anything, because the person did not confirm its
 * consequence: fails the journey unless the answer is `invalid-input` naming `words`.
 */
async function refusedUnconfirmed(app: AppOnTarget, channel: string, input: object, words: RegExp): Promise<void> {
  const refusal = await app.call(channel, input).then(
    () => undefined,
    (error: unknown) => error,
  );
  check(refusal instanceof AppErrorResult, `${channel} without confirmation was not refused`);
  if (refusal.code === 'not-supported') throw refusal;
  check(refusal.code === 'invalid-input', `${channel} without confirmation: ${refusal.message}`);
  check(words.test(refusal.message), `${channel}'s question does not name the consequence: ${refusal.message}`);
}

/** A read of a rule section: its value, or the app's sentence where the service lacks it. */
function availableOr<T>(read: Availability<T>): T | JourneyResult {
  return read.available ? read.value : unavailable(read.reason);
}

/** True when `value` is a journey result (the section said it is unavailable). */
const isResult = (value: unknown): value is JourneyResult =>
  typeof value === 'object' && value !== null && 'status' in value && 'detail' in value;

/** A policy that grants nothing: it only denies anyone writing under frozen/, where nothing is written. */
const harmlessPolicy = (bucket: string) =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'NoWritesUnderFrozen',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/frozen/*`,
        },
      ],
    },
    null,
    2,
  );

/** The bucket policy as the service holds it, or null. */
async function policyOn(client: S3Client, Bucket: string): Promise<string | null> {
  try {
    return (await client.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? null;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucketPolicy') return null;
    throw error;
  }
}

/** Every switch of Block Public Access on. */
const allBlocked = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/** True when the bucket's ACL (read directly) lets everyone read it. */
async function everyoneReads(client: S3Client, Bucket: string): Promise<boolean> {
  const grants = (await client.send(new GetBucketAclCommand({ Bucket }))).Grants ?? [];
  return grants.some((grant) => grant.Grantee?.URI?.endsWith('/AllUsers') && grant.Permission === 'READ');
}

/** Runs `section`; a `not-supported` answer after `done` becomes "unavailable" naming what did work first. */
async function partly(done: string[], section: () => Promise<JourneyResult>): Promise<JourneyResult> {
  try {
    return await section();
  } catch (error) {
    if (error instanceof AppErrorResult && error.code === 'not-supported' && done.length > 0) {
      const reason = error.message.replace(/^[^:]+: not-supported: /, '');
      return unavailable(`${reason} (before that: ${done.join('; ')})`);
    }
    throw error;
  }
}

/** The journeys of the Bucket settings dialog, in the order of its tabs. */
export const bucketSettingsJourneys: SettingsJourney[] = [
  {
    id: 'settings-policy',
    label: 'Bucket settings: policy set, read back, deleted',
    async run(app) {
      const bucket = await app.bucket();
      const before = await app.call<BucketPolicyState>('bucketSettings.policy', { bucket });
      check(before.policy === null, `a new bucket reads as having a policy: ${before.policy}`);
      const saved = await app.call<BucketPolicyState>('bucketSettings.setPolicy', {
        bucket,
        policy: harmlessPolicy(bucket),
      });
      const stored = await policyOn(app.direct, bucket);
      check(stored?.includes(`${bucket}/frozen/*`), `the service holds ${stored ?? 'no policy'}`);
      check(saved.policy === stored, 'what the app says it saved is not what the service holds');
      const read = await app.call<BucketPolicyState>('bucketSettings.policy', { bucket });
      check(read.policy === stored, 'the app reads back another policy than the service holds');
      const deleted = await app.call<BucketPolicyState>('bucketSettings.deletePolicy', { bucket });
      check(deleted.policy === null, 'the app still shows a policy after deleting it');
      check((await policyOn(app.direct, bucket)) === null, 'the service still holds the policy after the delete');
      return pass('a Deny statement stored and read back as the service holds it; deleted');
    },
  },
  {
    id: 'settings-public-access',
    label: 'Bucket settings: Block Public Access (bucket) on, off only once confirmed',
    async run(app) {
      const bucket = await app.bucket();
      await app.call<PublicAccessState>('bucketSettings.publicAccess', { bucket });
      const on = await app.call<PublicAccessState>('bucketSettings.setPublicAccess', { bucket, flags: allBlocked });
      check(JSON.stringify(on.bucket) === JSON.stringify(allBlocked), `after turning all on: ${JSON.stringify(on)}`);
      const raw = async () =>
        (await app.direct.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
      const held = await raw();
      check(
        held?.BlockPublicAcls && held.IgnorePublicAcls && held.BlockPublicPolicy && held.RestrictPublicBuckets,
        `the service holds ${JSON.stringify(held)}`,
      );
      const policyOff = { ...allBlocked, blockPublicPolicy: false };
      await refusedUnconfirmed(
        app,
        'bucketSettings.setPublicAccess',
        { bucket, flags: policyOff },
        /bucket policy may grant access to anyone/,
      );
      check((await raw())?.BlockPublicPolicy === true, 'an unconfirmed switch-off reached the service');
      await app.call('bucketSettings.setPublicAccess', { bucket, flags: policyOff, exposureConfirmed: true });
      check((await raw())?.BlockPublicPolicy === false, 'the confirmed switch-off did not reach the service');
      return pass('4 switches on and read back; one off refused until confirmed, then off');
    },
  },
  {
    id: 'settings-encryption',
    label: 'Bucket settings: default encryption SSE-S3 set and removed',
    async run(app) {
      const bucket = await app.bucket();
      const before = await app.call<DefaultEncryption>('bucketSettings.encryption', { bucket });
      const saved = await app.call<DefaultEncryption>('bucketSettings.setEncryption', {
        bucket,
        encryption: { mode: 'SSE-S3' },
      });
      check(saved.mode === 'SSE-S3', `after setting SSE-S3 the app reads ${JSON.stringify(saved)}`);
      const rule = (await app.direct.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
        .ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      check(rule?.SSEAlgorithm === 'AES256', `the service holds ${JSON.stringify(rule)}`);
      const none = await app.call<DefaultEncryption>('bucketSettings.setEncryption', {
        bucket,
        encryption: { mode: 'none' },
      });
      check(none.mode === 'none', `after removing it the app reads ${JSON.stringify(none)}`);
      const gone = await refusalOf(() => app.direct.send(new GetBucketEncryptionCommand({ Bucket: bucket })));
      check(gone !== undefined, 'the service still has a default encryption after removing it');
      return pass(`was ${before.mode}; SSE-S3 (AES256) stored and read back; removed (the service answers ${gone})`);
    },
  },
  {
    id: 'settings-tags',
    label: 'Bucket settings: bucket tags set, read back, removed',
    async run(app) {
      const bucket = await app.bucket();
      const tags = [
        { key: 'team', value: 'data' },
        { key: 'cost centre', value: '42' },
      ];
      const saved = await app.call<BucketTag[]>('bucketSettings.setTags', { bucket, tags });
      check(saved.length === 2, `the app reads back ${JSON.stringify(saved)}`);
      const held = (await app.direct.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
      const pairs = held.map((tag) => `${tag.Key}=${tag.Value}`).sort();
      check(pairs.join(',') === 'cost centre=42,team=data', `the service holds ${pairs.join(', ')}`);
      const cleared = await app.call<BucketTag[]>('bucketSettings.setTags', { bucket, tags: [] });
      check(cleared.length === 0, `after removing them the app reads ${JSON.stringify(cleared)}`);
      const left = await app.direct.send(new GetBucketTaggingCommand({ Bucket: bucket })).then(
        (output) => (output.TagSet ?? []).length,
        () => 0,
      );
      check(left === 0, `the service still holds ${left} tags`);
      return pass('2 tags stored and read back; an empty set removed them');
    },
  },
  {
    id: 'settings-acl',
    label: 'Bucket settings: bucket ACL private, public-read only once confirmed',
    async run(app) {
      const bucket = await app.bucket();
      const done: string[] = [];
      return partly(done, async () => {
        const read = await app.call<BucketAclState>('bucketSettings.acl', { bucket });
        check(read.canned === 'private', `a new bucket reads as ${read.canned}`);
        done.push('a new bucket read as private');
        await refusedUnconfirmed(
          app,
          'bucketSettings.setAcl',
          { bucket, acl: 'public-read' },
          /anyone on the internet/,
        );
        check(!(await everyoneReads(app.direct, bucket)), 'an unconfirmed public-read reached the service');
        done.push('public-read refused until confirmed');
        const open = await app.call<BucketAclState>('bucketSettings.setAcl', {
          bucket,
          acl: 'public-read',
          exposureConfirmed: true,
        });
        check(open.canned === 'public-read', `after public-read the app reads ${open.canned}`);
        check(await everyoneReads(app.direct, bucket), 'the service does not let everyone read after public-read');
        const closed = await app.call<BucketAclState>('bucketSettings.setAcl', { bucket, acl: 'private' });
        check(closed.canned === 'private', `after private the app reads ${closed.canned}`);
        check(!(await everyoneReads(app.direct, bucket)), 'everyone can still read after private');
        return pass('read as private; public-read refused until confirmed, then granted to everyone; private again');
      });
    },
  },
  {
    id: 'settings-cors',
    label: 'Bucket settings: CORS rule set, read back, removed',
    async run(app) {
      const bucket = await app.bucket();
      const before = availableOr(await app.call<Availability<CorsRule[]>>('cors.get', { bucket }));
      if (isResult(before)) return before;
      check(before.length === 0, `a new bucket reads as having ${before.length} CORS rules`);
      const uploads = corsPresets.uploadsFromOrigin('https://app.example.com');
      await app.call('cors.put', { bucket, rules: [uploads] });
      const held = (await app.direct.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules ?? [];
      check(
        held.length === 1 && held[0]?.AllowedOrigins?.[0] === 'https://app.example.com',
        `the service holds ${JSON.stringify(held)}`,
      );
      check(
        JSON.stringify([...(held[0]?.AllowedMethods ?? [])].sort()) === '["POST","PUT"]',
        `the rule's methods are ${held[0]?.AllowedMethods?.join(', ')}`,
      );
      const read = availableOr(await app.call<Availability<CorsRule[]>>('cors.get', { bucket }));
      check(!isResult(read) && read[0]?.allowedOrigins[0] === 'https://app.example.com', 'the app reads another rule');
      await app.call('cors.put', { bucket, rules: [] });
      const gone = await refusalOf(() => app.direct.send(new GetBucketCorsCommand({ Bucket: bucket })));
      check(gone !== undefined, 'the service still has CORS rules after removing them');
      return pass('an uploads-from-one-origin rule stored and read back; removed');
    },
  },
  {
    id: 'settings-lifecycle',
    label: 'Bucket settings: lifecycle expiry by prefix, counted, asked, read back',
    async run(app) {
      const bucket = await app.bucket();
      const before = availableOr(await app.call<Availability<LifecycleRule[]>>('lifecycle.get', { bucket }));
      if (isResult(before)) return before;
      check(before.length === 0, `a new bucket reads as having ${before.length} lifecycle rules`);
      for (const key of ['tmp/a.txt', 'tmp/b.txt', 'tmp/c/d.txt', 'keep/e.txt']) {
        await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      }
      const counted = await app.call<LifecyclePreview>('lifecycle.preview', {
        bucket,
        previewId: randomUUID(),
        prefix: 'tmp/',
      });
      check(counted.matched === 3, `the preview counted ${counted.matched} objects under tmp/, expected 3`);
      const rule = { id: 'expire-tmp', enabled: true, prefix: 'tmp/', tags: [], expirationDays: 30 };
      await refusedUnconfirmed(app, 'lifecycle.put', { bucket, rules: [rule] }, /will delete the objects it matches/);
      await app.call('lifecycle.put', { bucket, rules: [rule], confirmedExpiry: ['expire-tmp'] });
      const held = (await app.direct.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
      const stored = held.find((r) => r.ID === 'expire-tmp');
      const prefix = stored?.Filter?.Prefix ?? stored?.Prefix;
      check(
        stored?.Status === 'Enabled' && prefix === 'tmp/' && stored.Expiration?.Days === 30,
        `the service holds ${JSON.stringify(held)}`,
      );
      const read = availableOr(await app.call<Availability<LifecycleRule[]>>('lifecycle.get', { bucket }));
      check(
        !isResult(read) && read.length === 1 && read[0]?.prefix === 'tmp/' && read[0].expirationDays === 30,
        `the app reads back ${JSON.stringify(read)}`,
      );
      await app.call('lifecycle.put', { bucket, rules: [] });
      const gone = await refusalOf(() =>
        app.direct.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
      );
      check(gone !== undefined, 'the service still has lifecycle rules after removing them');
      return pass('3 of 4 objects counted under tmp/; the 30-day expiry asked first, stored, read back; removed');
    },
  },
  {
    id: 'settings-object-lock',
    label: 'Bucket settings: Object Lock bucket, default retention, legal hold',
    async run(app) {
      const bucket = `c-lock-${randomBytes(5).toString('hex')}`;
      try {
        await app.call('buckets.create', { name: bucket, objectLock: true });
        const read = availableOr(await app.call<Availability<BucketObjectLock>>('objectLock.get', { bucket }));
        // The app said the bucket was made (the dialog closes): it must then have the lock.
        if (isResult(read))
          throw new CheckFailed(`created without Object Lock, and the app said nothing: ${read.detail}`);
        check(read.enabled, 'a bucket created with Object Lock reads as without it');
        const governance = { mode: 'GOVERNANCE', unit: 'days', amount: 2 } as const;
        await refusedUnconfirmed(
          app,
          'objectLock.putDefault',
          { bucket, defaultRetention: { ...governance, mode: 'COMPLIANCE' } },
          /COMPLIANCE cannot be shortened or removed by anyone/,
        );
        const saved = await app.call<BucketObjectLock>('objectLock.putDefault', {
          bucket,
          defaultRetention: governance,
        });
        check(saved.defaultRetention?.amount === 2, `after setting it the app reads ${JSON.stringify(saved)}`);
        const stored = (await app.direct.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })))
          .ObjectLockConfiguration;
        check(
          stored?.ObjectLockEnabled === 'Enabled' &&
            stored.Rule?.DefaultRetention?.Mode === 'GOVERNANCE' &&
            stored.Rule.DefaultRetention.Days === 2,
          `the service holds ${JSON.stringify(stored)}`,
        );
        // Removed before any object is written, so that nothing is locked for two days.
        await app.call('objectLock.putDefault', { bucket, defaultRetention: null });
        await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'held.txt', Body: 'held' }));
        const target = { bucket, key: 'held.txt' };
        const held = await app.call<ObjectProtection>('objectLock.putLegalHold', { ...target, on: true });
        if (!held.legalHold.available) return unavailable(held.legalHold.reason);
        check(held.legalHold.value, 'the app reads the legal hold as off after turning it on');
        const hold = async () =>
          (await app.direct.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'held.txt' }))).LegalHold?.Status;
        check((await hold()) === 'ON', `the service holds legal hold ${await hold()}`);
        await app.call('objectLock.putLegalHold', { ...target, on: false });
        check((await hold()) === 'OFF', 'the legal hold is still on at the service');
        return pass(
          'created with the lock; COMPLIANCE asked first; GOVERNANCE 2 days stored and read back, removed; a legal hold on and off',
        );
      } finally {
        await emptyAndDeleteBucket(app.direct, bucket).catch(() => undefined);
      }
    },
  },
  {
    id: 'settings-website',
    label: 'Bucket settings: static website (index document) on, read back, off',
    async run(app) {
      const bucket = await app.bucket();
      const before = availableOr(await app.call<Availability<BucketWebsite>>('website.get', { bucket }));
      if (isResult(before)) return before;
      check(before.config === null, `a new bucket reads as a website: ${JSON.stringify(before.config)}`);
      const config = { mode: 'serve', indexDocument: 'index.html', errorDocument: '', routingRules: [] };
      await refusedUnconfirmed(app, 'website.put', { bucket, config }, /does not make anything public/);
      const on = await app.call<BucketWebsite>('website.put', { bucket, config, confirmedExposure: true });
      check(on.config?.mode === 'serve', `after turning it on the app reads ${JSON.stringify(on.config)}`);
      const held = await app.direct.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
      check(held.IndexDocument?.Suffix === 'index.html', `the service holds ${JSON.stringify(held.IndexDocument)}`);
      const off = await app.call<BucketWebsite>('website.delete', { bucket });
      check(off.config === null, 'the app still reads a website after turning it off');
      const gone = await refusalOf(() => app.direct.send(new GetBucketWebsiteCommand({ Bucket: bucket })));
      check(gone !== undefined, 'the service still serves a website after turning it off');
      return pass(`index.html served after confirmation, read back (${on.urlNote || on.url}); turned off`);
    },
  },
];
