import { randomBytes } from 'node:crypto';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningS3Server } from '../../../../scripts/s3-servers/launcher';
import { s3ServerLaunchers } from '../../../../scripts/s3-servers/registry';
import { TEST_KMS_KEY_ID } from '../../../../scripts/minio';
import { startAppServices, waitFor, type AppServices } from '../../../../test/app-services';
import { startFaultProxy } from '../../../../test/fault-proxy';
import { startProviderProxy } from '../../../../test/provider-profiles';
import { s3ClientFor, type RunningS3Info } from '../../../../test/s3-fixtures';
import { withTemplate } from '../../../shared/bucket-policy';
import type { ActivityPage } from '../../../shared/activity';
import type {
  AccountPublicAccessState,
  BucketAclState,
  BucketPolicyState,
  BucketTag,
  DefaultEncryption,
  PublicAccessState,
} from '../../../shared/bucket-settings';

// The "Bucket settings" access sections through dispatch, as the UI calls them: each setting read,
// written and read back (checked with the test's own client, not the app's) against the servers
// that have it, MinIO and moto; refused in words where a server lacks it (MinIO: Block Public
// Access and public ACLs; s3rver: all of them); and the refusals that come before any request
// (a policy with a grammar problem, an exposure not confirmed) leave the bucket as it was.

const minio = inject('s3');
let moto: RunningS3Server;
let s3rver: RunningS3Server;
const apps: AppServices[] = [];
const clients: S3Client[] = [];
/** The buckets made here, to delete at the end (MinIO serves the whole run). */
const made: { client: S3Client; bucket: string }[] = [];

beforeAll(async () => {
  [moto, s3rver] = await Promise.all([s3ServerLaunchers.moto.start(), s3ServerLaunchers.s3rver.start()]);
});
afterAll(async () => {
  for (const { client, bucket } of made) {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
    for (const object of listed?.Contents ?? []) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key ?? '' }));
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  }
  for (const app of apps) await app.dispose();
  for (const client of clients) client.destroy();
  await Promise.all([moto?.stop(), s3rver?.stop()]);
});

/** Where a test server listens and how to sign for it. */
type Server = Pick<RunningS3Info, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>;

/** The app's services for a server, and a fresh bucket there with the test's own client. */
async function setUp(server: Server): Promise<{ app: AppServices; client: S3Client; bucket: string }> {
  const app = await startAppServices(server);
  apps.push(app);
  const client = s3ClientFor(server as RunningS3Info);
  clients.push(client);
  const bucket = `settings-${randomBytes(5).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  made.push({ client, bucket });
  return { app, client, bucket };
}

/** The bucket's policy as the server holds it, or null. */
async function policyOn(client: S3Client, Bucket: string): Promise<string | null> {
  try {
    return (await client.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? null;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucketPolicy') return null;
    throw error;
  }
}

/** A policy letting anyone read photos/ in the bucket (the editor's template). */
const publicPhotos = (bucket: string) => withTemplate('', { kind: 'public-read-prefix', prefix: 'photos/' }, bucket);

describe('bucket policy', () => {
  it.each([
    ['MinIO', () => minio],
    ['moto', () => moto],
  ])(
    'on %s: refuses a bad policy at its line and column, asks before a public one, saves, reads back, deletes',
    async (_name, server) => {
      const { app, client, bucket } = await setUp(server());
      expect(await app.call<BucketPolicyState>('bucketSettings.policy', { bucket })).toEqual({ policy: null });

      // An unknown action: refused by the app's own check (moto would store it), nothing sent.
      const unknownAction = publicPhotos(bucket).replace('s3:GetObject', 's3:GetObjekt');
      const refused = await app.result('bucketSettings.setPolicy', {
        bucket,
        policy: unknownAction,
        exposureConfirmed: true,
      });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-input',
          message: expect.stringContaining('Line 8, column 17: "s3:GetObjekt" is not a known S3 action.'),
        },
      });
      expect(await policyOn(client, bucket)).toBeNull();

      // Public, not confirmed: refused, naming what it would open.
      const unconfirmed = await app.result('bucketSettings.setPolicy', { bucket, policy: publicPhotos(bucket) });
      expect(unconfirmed).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('Anyone on the internet can read objects (objects under photos/)') },
      });
      expect(await policyOn(client, bucket)).toBeNull();

      // Confirmed: stored, and what the app reads back is what the server holds.
      const saved = await app.call<BucketPolicyState>('bucketSettings.setPolicy', {
        bucket,
        policy: publicPhotos(bucket),
        exposureConfirmed: true,
      });
      const stored = await policyOn(client, bucket);
      expect(stored).toContain(`arn:aws:s3:::${bucket}/photos/*`);
      expect(saved.policy).toBe(stored);
      expect(await app.call<BucketPolicyState>('bucketSettings.policy', { bucket })).toEqual({ policy: stored });

      // Anonymous reads under photos/ now work where the server enforces policies (MinIO).
      if (server() === minio) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/a.txt', Body: 'public' }));
        const response = await fetch(`${minio.endpoint}/${bucket}/photos/a.txt`);
        expect(await response.text()).toBe('public');
      }

      expect(await app.call<BucketPolicyState>('bucketSettings.deletePolicy', { bucket })).toEqual({ policy: null });
      expect(await policyOn(client, bucket)).toBeNull();
    },
  );
});

describe('Block Public Access', () => {
  it('on moto: sets the switches, refuses turning one off unconfirmed, then turns it off once confirmed', async () => {
    const { app, client, bucket } = await setUp(moto);
    const before = await app.call<PublicAccessState>('bucketSettings.publicAccess', { bucket });
    expect(before.bucket).toBeNull();

    const allOn = {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    };
    const on = await app.call<PublicAccessState>('bucketSettings.setPublicAccess', { bucket, flags: allOn });
    expect(on.bucket).toEqual(allOn);
    const raw = async () =>
      (await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
    expect(await raw()).toMatchObject({ BlockPublicPolicy: true, RestrictPublicBuckets: true });

    const policyOff = { ...allOn, blockPublicPolicy: false };
    const refused = await app.result('bucketSettings.setPublicAccess', { bucket, flags: policyOff });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: expect.stringContaining('a bucket policy may grant access to anyone on the internet'),
      },
    });
    expect((await raw())?.BlockPublicPolicy).toBe(true);

    const off = await app.call<PublicAccessState>('bucketSettings.setPublicAccess', {
      bucket,
      flags: policyOff,
      exposureConfirmed: true,
    });
    expect(off.bucket).toEqual(policyOff);
    expect((await raw())?.BlockPublicPolicy).toBe(false);
  });

  it('on MinIO: says in words that the service has none (its probe answered 501) and sends no change', async () => {
    const { app, bucket } = await setUp(minio);
    const result = await app.result('bucketSettings.publicAccess', { bucket });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'not-supported',
        message: 'This service does not support blocking public access (Block Public Access).',
      },
    });
  });
});

describe('account-wide Block Public Access (S3 Control)', () => {
  /** moto's account: any keys belong to it (STS GetCallerIdentity says so too). */
  const MOTO_ACCOUNT = '123456789012';

  /** The account's switches as moto holds them, read with a client of the test's own (not the app's). */
  async function accountSwitchesOnMoto() {
    const control = new S3ControlClient({
      region: moto.region,
      credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
      // S3 Control's endpoint rules would prefix the host with the account ID: go to moto as it is.
      endpointProvider: () => ({ url: new URL(moto.endpoint) }),
    });
    try {
      return (await control.send(new GetAccountPublicAccessBlockCommand({ AccountId: MOTO_ACCOUNT })))
        .PublicAccessBlockConfiguration;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchPublicAccessBlockConfiguration') return null;
      throw error;
    } finally {
      control.destroy();
    }
  }

  it('on moto: reads "none set", sets the switches, refuses turning one off unconfirmed, turns it off once confirmed', async () => {
    const { app, bucket } = await setUp(moto);
    // moto is set up as "other S3-compatible": nothing is seeded, and its answers show S3 Control.
    expect(await app.call<AccountPublicAccessState>('bucketSettings.accountPublicAccess', { bucket })).toEqual({
      status: 'read',
      awsAccountId: MOTO_ACCOUNT,
      flags: null,
    });
    expect(await accountSwitchesOnMoto()).toBeNull();

    const allOn = {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    };
    const on = await app.call<AccountPublicAccessState>('bucketSettings.setAccountPublicAccess', {
      bucket,
      flags: allOn,
    });
    expect(on).toEqual({ status: 'read', awsAccountId: MOTO_ACCOUNT, flags: allOn });
    expect(await accountSwitchesOnMoto()).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });

    const aclsIgnoredOff = { ...allOn, ignorePublicAcls: false };
    const refused = await app.result('bucketSettings.setAccountPublicAccess', { bucket, flags: aclsIgnoredOff });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: expect.stringContaining(
          'for the whole account means that, in every bucket whose own switch is off, objects whose access lists say "public" become readable by anyone',
        ),
      },
    });
    expect((await accountSwitchesOnMoto())?.IgnorePublicAcls).toBe(true);

    const off = await app.call<AccountPublicAccessState>('bucketSettings.setAccountPublicAccess', {
      bucket,
      flags: aclsIgnoredOff,
      exposureConfirmed: true,
    });
    expect(off).toEqual({ status: 'read', awsAccountId: MOTO_ACCOUNT, flags: aclsIgnoredOff });
    expect(await accountSwitchesOnMoto()).toMatchObject({ IgnorePublicAcls: false, BlockPublicPolicy: true });

    // The account-wide changes are in the activity log; the refused one is there as failed.
    const entries = await waitFor(async () => {
      const found = (await app.callRaw<ActivityPage>('activity.list', {})).entries.filter(
        (entry) => entry.channel === 'bucketSettings.setAccountPublicAccess',
      );
      return found.length === 3 && found;
    }, 'three account-wide entries');
    expect(entries.map((entry) => [entry.what, entry.result])).toEqual([
      [`Set Block Public Access for the whole account (3 of 4 on), from ${bucket}`, 'ok'],
      [`Set Block Public Access for the whole account (3 of 4 on), from ${bucket}`, 'failed'],
      [`Set Block Public Access for the whole account (4 of 4 on), from ${bucket}`, 'ok'],
    ]);

    // Leave moto's account as it was for the other tests of the run.
    await app.call('bucketSettings.setAccountPublicAccess', {
      bucket,
      flags: {
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      },
      exposureConfirmed: true,
    });
  });

  it('on moto, refused to these keys (AccessDenied): says "You may not read" in words, and learns nothing from it', async () => {
    const proxy = await startFaultProxy({ target: moto.endpoint });
    try {
      const app = await startAppServices({ ...moto, endpoint: proxy.url });
      apps.push(app);
      const { bucket } = await setUp(moto);
      proxy.addFault({
        match: { pathIncludes: '/v20180820/' },
        fault: { kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied' },
      });
      expect(await app.call<AccountPublicAccessState>('bucketSettings.accountPublicAccess', { bucket })).toEqual({
        status: 'denied',
        reason: expect.stringMatching(/^You may not read the account-wide public access settings: /),
      });
      const set = await app.result('bucketSettings.setAccountPublicAccess', {
        bucket,
        flags: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      });
      expect(set).toMatchObject({ ok: false, error: { code: 'access-denied' } });
      // A refusal says nothing of the service: once allowed, the switches are read.
      proxy.clearFaults();
      expect(await app.call<AccountPublicAccessState>('bucketSettings.accountPublicAccess', { bucket })).toMatchObject({
        status: 'read',
      });
    } finally {
      await proxy.stop();
    }
  });

  it('on MinIO as "other S3-compatible": says in words that there is none, learnt from its answer, and asks once', async () => {
    const proxy = await startFaultProxy({ target: minio.endpoint });
    try {
      const app = await startAppServices({ ...minio, endpoint: proxy.url });
      apps.push(app);
      const { bucket } = await setUp(minio);
      const expected = {
        status: 'unavailable',
        reason:
          'This service has no account-wide public access settings: asked which AWS account the keys belong to ' +
          '(STS GetCallerIdentity), it answered InvalidParameterValue.',
      };
      expect(await app.call<AccountPublicAccessState>('bucketSettings.accountPublicAccess', { bucket })).toEqual(
        expected,
      );
      const asked = () => proxy.requests.filter((request) => request.method === 'POST' && request.path === '/').length;
      expect(asked()).toBe(1);
      // Learnt: the second read and a change send nothing and say the same.
      expect(await app.call<AccountPublicAccessState>('bucketSettings.accountPublicAccess', { bucket })).toEqual(
        expected,
      );
      const set = await app.result('bucketSettings.setAccountPublicAccess', {
        bucket,
        flags: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      });
      expect(set).toMatchObject({ ok: false, error: { code: 'not-supported', message: expected.reason } });
      expect(asked()).toBe(1);
      expect(proxy.requests.filter((request) => request.path.startsWith('/v20180820/'))).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it("on MinIO with its preset: the preset's sentence, and no request", async () => {
    const proxy = await startFaultProxy({ target: minio.endpoint });
    try {
      const app = await startAppServices({ ...minio, endpoint: proxy.url, account: { provider: 'minio' } });
      apps.push(app);
      const { bucket } = await setUp(minio);
      expect(await app.call<AccountPublicAccessState>('bucketSettings.accountPublicAccess', { bucket })).toEqual({
        status: 'unavailable',
        reason:
          'MinIO has no account-wide public access settings: they belong to S3 Control, an API only Amazon S3 has.',
      });
      const accountWide = proxy.requests.filter(
        (request) => request.method === 'POST' || request.path.startsWith('/v20180820/'),
      );
      expect(accountWide).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});

describe('default encryption', () => {
  it('on MinIO: SSE-S3 and SSE-KMS with its key are set and read back, and none removes it', async () => {
    const { app, client, bucket } = await setUp(minio);
    expect(await app.call<DefaultEncryption>('bucketSettings.encryption', { bucket })).toEqual({ mode: 'none' });
    const raw = async () =>
      (await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration
        ?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;

    expect(
      await app.call<DefaultEncryption>('bucketSettings.setEncryption', { bucket, encryption: { mode: 'SSE-S3' } }),
    ).toEqual({ mode: 'SSE-S3', bucketKey: false });
    expect((await raw())?.SSEAlgorithm).toBe('AES256');

    const kms = await app.call<DefaultEncryption>('bucketSettings.setEncryption', {
      bucket,
      encryption: { mode: 'SSE-KMS', kmsKeyId: TEST_KMS_KEY_ID },
    });
    expect(kms).toMatchObject({ mode: 'SSE-KMS' });
    expect(await raw()).toMatchObject({ SSEAlgorithm: 'aws:kms' });

    expect(
      await app.call<DefaultEncryption>('bucketSettings.setEncryption', { bucket, encryption: { mode: 'none' } }),
    ).toEqual({ mode: 'none' });
    await expect(raw()).rejects.toMatchObject({ name: 'ServerSideEncryptionConfigurationNotFoundError' });
  });

  it('on moto: SSE-KMS with a key id and the bucket key are read back as set', async () => {
    const { app, client, bucket } = await setUp(moto);
    const saved = await app.call<DefaultEncryption>('bucketSettings.setEncryption', {
      bucket,
      encryption: { mode: 'SSE-KMS', kmsKeyId: 'alias/team-key', bucketKey: true },
    });
    expect(saved).toEqual({ mode: 'SSE-KMS', kmsKeyId: 'alias/team-key', bucketKey: true });
    const rule = (await client.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
      .ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule).toMatchObject({
      BucketKeyEnabled: true,
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/team-key' },
    });
  });
});

describe('bucket tags', () => {
  it.each([
    ['MinIO', () => minio],
    ['moto', () => moto],
  ])(
    'on %s: sets, reads back, refuses S3-invalid tags before sending, and an empty set removes them',
    async (_name, server) => {
      const { app, client, bucket } = await setUp(server());
      expect(await app.call<BucketTag[]>('bucketSettings.tags', { bucket })).toEqual([]);
      const tags = [
        { key: 'team', value: 'data' },
        { key: 'cost centre', value: '42' },
      ];
      expect(await app.call<BucketTag[]>('bucketSettings.setTags', { bucket, tags })).toEqual(
        expect.arrayContaining(tags),
      );
      const raw = async () => (await client.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
      expect((await raw()).map((tag) => [tag.Key, tag.Value]).sort()).toEqual([
        ['cost centre', '42'],
        ['team', 'data'],
      ]);

      const reserved = await app.result('bucketSettings.setTags', { bucket, tags: [{ key: 'aws:owner', value: 'x' }] });
      expect(reserved).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringContaining('cannot start with "aws:"') },
      });
      expect(await raw()).toHaveLength(2);

      expect(await app.call<BucketTag[]>('bucketSettings.setTags', { bucket, tags: [] })).toEqual([]);
      expect(await app.call<BucketTag[]>('bucketSettings.tags', { bucket })).toEqual([]);
    },
  );
});

describe('bucket ACL', () => {
  it('on moto: public-read only once confirmed (then AllUsers READ is on the bucket), and back to private', async () => {
    const { app, client, bucket } = await setUp(moto);
    expect(await app.call<BucketAclState>('bucketSettings.acl', { bucket })).toMatchObject({ canned: 'private' });
    const allUsersReads = async () =>
      ((await client.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants ?? []).some(
        (grant) => grant.Grantee?.URI?.endsWith('/AllUsers') && grant.Permission === 'READ',
      );

    const refused = await app.result('bucketSettings.setAcl', { bucket, acl: 'public-read' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('anyone on the internet can list') },
    });
    expect(await allUsersReads()).toBe(false);

    const open = await app.call<BucketAclState>('bucketSettings.setAcl', {
      bucket,
      acl: 'public-read',
      exposureConfirmed: true,
    });
    expect(open.canned).toBe('public-read');
    expect(open.grants).toContainEqual({ grantee: 'Everyone (public)', permission: 'READ' });
    expect(await allUsersReads()).toBe(true);

    expect(await app.call<BucketAclState>('bucketSettings.setAcl', { bucket, acl: 'private' })).toMatchObject({
      canned: 'private',
    });
    expect(await allUsersReads()).toBe(false);
  });

  it('on MinIO: a public ACL is refused in words (NotImplemented), and the model then says ACLs are missing', async () => {
    const { app, bucket } = await setUp(minio);
    const result = await app.result('bucketSettings.setAcl', { bucket, acl: 'public-read', exposureConfirmed: true });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'not-supported', message: 'This service does not support access lists (ACLs) on objects.' },
    });
    const again = await app.result('bucketSettings.acl', { bucket });
    expect(again).toMatchObject({ ok: false, error: { code: 'not-supported' } });
  });
});

describe('a server without any of them (s3rver)', () => {
  it('says so in words for each section, from the probes, and changes nothing', async () => {
    const { app, bucket } = await setUp(s3rver);
    for (const [channel, input] of [
      ['bucketSettings.policy', {}],
      ['bucketSettings.publicAccess', {}],
      ['bucketSettings.encryption', {}],
      ['bucketSettings.setTags', { tags: [{ key: 'a', value: 'b' }] }],
    ] as const) {
      const result = await app.result(channel, { bucket, ...input });
      expect(result, channel).toMatchObject({
        ok: false,
        error: { code: 'not-supported', message: expect.stringMatching(/^This service does not support /) },
      });
    }
  });
});

describe('services no server here reproduces (provider profiles over MinIO)', () => {
  it("Cloudflare R2 and Backblaze B2: each section says why in the preset's words, and no settings request is sent", async () => {
    for (const [profile, service] of [
      ['r2', 'Cloudflare R2'],
      ['b2', 'Backblaze B2'],
    ] as const) {
      const proxy = await startProviderProxy(profile, minio.endpoint, {
        credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
      });
      try {
        const app = await startAppServices({ ...minio, endpoint: proxy.url, account: { provider: profile } });
        apps.push(app);
        const { bucket } = await setUp(minio);
        const policy = await app.result('bucketSettings.setPolicy', {
          bucket,
          policy: publicPhotos(bucket),
          exposureConfirmed: true,
        });
        expect(policy).toMatchObject({
          ok: false,
          error: { code: 'not-supported', message: expect.stringContaining(`${service} has no bucket policies`) },
        });
        const pab = await app.result('bucketSettings.publicAccess', { bucket });
        expect(pab).toMatchObject({
          ok: false,
          error: { code: 'not-supported', message: expect.stringContaining(`${service} has no Block Public Access`) },
        });
        expect(await app.call<AccountPublicAccessState>('bucketSettings.accountPublicAccess', { bucket })).toEqual({
          status: 'unavailable',
          reason: expect.stringContaining(`${service} has no account-wide public access settings`),
        });
        const settingsRequests = proxy.requests.filter(
          (request) =>
            request.query.has('policy') ||
            request.query.has('publicAccessBlock') ||
            request.method === 'POST' ||
            request.path.startsWith('/v20180820/'),
        );
        expect(settingsRequests).toEqual([]);
      } finally {
        await proxy.stop();
      }
    }
  });

  it('an "other S3-compatible" account behind the R2 profile learns from its 501s and says so', async () => {
    const proxy = await startProviderProxy('r2', minio.endpoint, {
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    });
    try {
      const app = await startAppServices({ ...minio, endpoint: proxy.url });
      apps.push(app);
      const { bucket } = await setUp(minio);
      const result = await app.result('bucketSettings.policy', { bucket });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'not-supported', message: 'This service does not support bucket policies.' },
      });
      const tags = await app.result('bucketSettings.tags', { bucket });
      expect(tags).toMatchObject({
        ok: false,
        error: { code: 'not-supported', message: 'This service does not support bucket tags.' },
      });
    } finally {
      await proxy.stop();
    }
  });
});
