import { randomBytes, randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketWebsiteCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningS3Server } from '../../../../scripts/s3-servers/launcher';
import { s3ServerLaunchers } from '../../../../scripts/s3-servers/registry';
import { startAppServices, type AppServices } from '../../../../test/app-services';
import { startProviderProxy, type ProviderProxy } from '../../../../test/provider-profiles';
import { s3ClientFor, type RunningS3Info } from '../../../../test/s3-fixtures';
import type { AccountSettings } from '../../../shared/accounts';
import {
  corsPresets,
  type BucketObjectLock,
  type BucketWebsite,
  type CorsRule,
  type LifecyclePreview,
  type LifecycleRule,
  type ObjectProtection,
} from '../../../shared/bucket-rules';
import type { Availability } from '../../../shared/details';
import { previewLifecycleMatches } from './lifecycle-preview';

// The Bucket settings view's rule sections through dispatch, as the UI calls them: each read,
// written, and read back from the bucket with the SDK, on MinIO (lifecycle, Object Lock; no
// bucket CORS, no website), moto (all four) and the R2 and B2 profiles (what they refuse).

const minio = inject('s3');
let moto: RunningS3Server;
const apps: AppServices[] = [];
const clients: S3Client[] = [];
const proxies: ProviderProxy[] = [];

beforeAll(async () => {
  moto = await s3ServerLaunchers.moto.start();
});
afterAll(async () => {
  for (const app of apps) await app.dispose();
  for (const client of clients) client.destroy();
  for (const proxy of proxies) await proxy.stop();
  await moto?.stop();
});

type Server = Pick<RunningS3Info, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>;

async function appFor(server: Server, account: Partial<AccountSettings> = {}): Promise<AppServices> {
  const app = await startAppServices({ ...server, account });
  apps.push(app);
  return app;
}

function clientOf(server: Server): S3Client {
  const client = s3ClientFor(server as RunningS3Info);
  clients.push(client);
  return client;
}

async function bucketOn(server: Server, objectLock = false): Promise<{ client: S3Client; name: string }> {
  const client = clientOf(server);
  const name = `rules-${randomBytes(5).toString('hex')}`;
  await client.send(
    new CreateBucketCommand({ Bucket: name, ...(objectLock ? { ObjectLockEnabledForBucket: true } : {}) }),
  );
  return { client, name };
}

const inADay = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString();

describe('CORS rules', () => {
  it('on moto: writes rules from the presets, refuses "any origin" until confirmed, and a browser preflight follows them', async () => {
    const app = await appFor(moto);
    const { client, name } = await bucketOn(moto);
    expect(await app.call<Availability<CorsRule[]>>('cors.get', { bucket: name })).toEqual({
      available: true,
      value: [],
    });

    const uploads = corsPresets.uploadsFromOrigin('https://app.example.com');
    const written = await app.call<{ rules: CorsRule[] }>('cors.put', {
      bucket: name,
      rules: [uploads, corsPresets.dropBoxPage()],
    });
    expect(written.rules.map((r) => r.allowedOrigins)).toEqual([['https://app.example.com'], ['null']]);
    const stored = await client.send(new GetBucketCorsCommand({ Bucket: name }));
    expect(stored.CORSRules?.[0]).toMatchObject({
      AllowedOrigins: ['https://app.example.com'],
      AllowedMethods: ['PUT', 'POST'],
      AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 3000,
    });

    // What a browser on that site asks before a PUT to an upload link: allowed now.
    const preflight = await fetch(`${moto.endpoint}/${name}/file.txt`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');

    const anyOrigin = [uploads, corsPresets.readsFromAnyOrigin()];
    const refused = await app.result('cors.put', { bucket: name, rules: anyOrigin });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(refused)).toMatch(/Pages on any web site will be able to send GET, HEAD requests/);
    expect((await client.send(new GetBucketCorsCommand({ Bucket: name }))).CORSRules).toHaveLength(2);

    await app.call('cors.put', { bucket: name, rules: anyOrigin, confirmedExposure: true });
    const after = await client.send(new GetBucketCorsCommand({ Bucket: name }));
    expect(after.CORSRules?.map((r) => r.AllowedOrigins)).toEqual([['https://app.example.com'], ['*']]);

    // No rules: the configuration is removed.
    await app.call('cors.put', { bucket: name, rules: [] });
    expect(await app.call('cors.get', { bucket: name })).toEqual({ available: true, value: [] });
  });

  it('refuses a rule that is not valid, in words, before asking the service', async () => {
    const app = await appFor(moto);
    const { name } = await bucketOn(moto);
    const bad = { ...corsPresets.uploadsFromOrigin('https://x.example'), allowedOrigins: ['example.com/path'] };
    const result = await app.result('cors.put', { bucket: name, rules: [bad] });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(result)).toContain('Write an origin as scheme://host[:port]');
  });

  it('on MinIO: says it takes no bucket rules, from the preset or from its answer, and learns it', async () => {
    const preset = await appFor(minio, { provider: 'minio' });
    const { name } = await bucketOn(minio);
    expect(await preset.call('cors.get', { bucket: name })).toEqual({
      available: false,
      reason: expect.stringContaining('MINIO_API_CORS_ALLOW_ORIGIN') as unknown as string,
    });

    // An account that says nothing of its service: MinIO's NotImplemented teaches it.
    const other = await appFor(minio);
    expect(await other.call('cors.get', { bucket: name })).toEqual({ available: true, value: [] });
    const refused = await other.result('cors.put', { bucket: name, rules: [corsPresets.dropBoxPage()] });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'not-supported', message: 'This service does not support CORS rules per bucket.' },
    });
    expect(await other.call('cors.get', { bucket: name })).toMatchObject({ available: false });
  });
});

const expiring: LifecycleRule = {
  id: 'expire-logs',
  enabled: true,
  prefix: 'logs/',
  tags: [{ key: 'kind', value: 'temp' }],
  expirationDays: 30,
  transitions: [],
  noncurrentExpirationDays: 10,
};
const aborting: LifecycleRule = {
  id: 'abort-unfinished-uploads',
  enabled: true,
  prefix: '',
  tags: [],
  transitions: [],
  abortIncompleteUploadDays: 7,
};

describe('lifecycle rules', () => {
  for (const [label, server, rules] of [
    ['MinIO', () => minio, [expiring]],
    ['moto', () => moto, [expiring, aborting]],
  ] as const) {
    it(`on ${label}: asks before a rule that deletes objects, then writes rules that read back as written`, async () => {
      const app = await appFor(server());
      const { client, name } = await bucketOn(server());
      expect(await app.call('lifecycle.get', { bucket: name })).toEqual({ available: true, value: [] });

      const refused = await app.result('lifecycle.put', { bucket: name, rules });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(JSON.stringify(refused)).toContain('“expire-logs” will delete the objects it matches');

      await app.call('lifecycle.put', { bucket: name, rules, confirmedExpiry: ['expire-logs'] });
      const stored = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
      const byId = new Map((stored.Rules ?? []).map((r) => [r.ID, r]));
      expect(byId.get('expire-logs')).toMatchObject({
        Status: 'Enabled',
        Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'kind', Value: 'temp' }] } },
        Expiration: { Days: 30 },
        NoncurrentVersionExpiration: { NoncurrentDays: 10 },
      });
      if (rules.length > 1) {
        expect(byId.get('abort-unfinished-uploads')).toMatchObject({
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        });
      }

      const read = await app.call<Availability<LifecycleRule[]>>('lifecycle.get', { bucket: name });
      expect(read.available && [...read.value].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [...rules].sort((a, b) => a.id.localeCompare(b.id)),
      );

      // The same expiry again needs no confirmation; none deletes the configuration.
      await app.call('lifecycle.put', { bucket: name, rules: [expiring] });
      await app.call('lifecycle.put', { bucket: name, rules: [] });
      expect(await app.call('lifecycle.get', { bucket: name })).toEqual({ available: true, value: [] });
    });
  }

  it('on MinIO: a rule that aborts unfinished uploads is refused, quoting the service and saying what to do', async () => {
    const app = await appFor(minio);
    const { name } = await bucketOn(minio);
    const result = await app.result('lifecycle.put', { bucket: name, rules: [aborting] });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(result)).toMatch(/The service refused this change: .*remove that action and save again/);
  });

  it('on moto: a transition to a storage class it offers reads back', async () => {
    const app = await appFor(moto);
    const { client, name } = await bucketOn(moto);
    const moving: LifecycleRule = {
      id: 'archive',
      enabled: true,
      prefix: 'old/',
      tags: [],
      transitions: [{ days: 30, storageClass: 'GLACIER' }],
    };
    await app.call('lifecycle.put', { bucket: name, rules: [moving] });
    const stored = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
    expect(stored.Rules?.[0]?.Transitions).toEqual([{ Days: 30, StorageClass: 'GLACIER' }]);
  });

  it('on MinIO (preset): refuses a storage class the service does not offer, naming the ones it does', async () => {
    const app = await appFor(minio, { provider: 'minio' });
    const { name } = await bucketOn(minio);
    const result = await app.result('lifecycle.put', {
      bucket: name,
      rules: [{ id: 'a', enabled: true, prefix: '', tags: [], transitions: [{ days: 30, storageClass: 'GLACIER' }] }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(result)).toContain('it offers STANDARD, REDUCED_REDUNDANCY');
  });

  it('previews how many objects a filter matches now, by prefix and by tags, and says "at least" where it stopped', async () => {
    const app = await appFor(minio);
    const { client, name } = await bucketOn(minio);
    for (let i = 0; i < 6; i++) {
      await client.send(
        new PutObjectCommand({
          Bucket: name,
          Key: `logs/${i}.txt`,
          Body: 'x',
          ...(i < 2 ? { Tagging: 'kind=temp' } : {}),
        }),
      );
    }
    await client.send(new PutObjectCommand({ Bucket: name, Key: 'keep/a.txt', Body: 'x', Tagging: 'kind=temp' }));

    const byPrefix = await app.call<LifecyclePreview>('lifecycle.preview', {
      bucket: name,
      previewId: randomUUID(),
      prefix: 'logs/',
    });
    expect(byPrefix).toEqual({ matched: 6, listed: 6, capped: null, cancelled: false });
    const byTags = await app.call<LifecyclePreview>('lifecycle.preview', {
      bucket: name,
      previewId: randomUUID(),
      prefix: 'logs/',
      tags: [{ key: 'kind', value: 'temp' }],
    });
    expect(byTags).toEqual({ matched: 2, listed: 6, capped: null, cancelled: false });

    // Bounds and cancel, on the same real listing with small bounds.
    const tags = [{ key: 'kind', value: 'temp' }];
    const signal = new AbortController().signal;
    const capped = await previewLifecycleMatches(client, {
      bucket: name,
      prefix: '',
      tags,
      signal,
      progress: () => undefined,
      maxTagReads: 3,
      pageSize: 2,
    });
    expect(capped).toMatchObject({ capped: 'tag-reads', cancelled: false });
    const cancel = new AbortController();
    const stopped = await previewLifecycleMatches(client, {
      bucket: name,
      prefix: 'logs/',
      tags: [],
      signal: cancel.signal,
      progress: () => cancel.abort(),
      pageSize: 2,
    });
    expect(stopped.cancelled).toBe(true);
    expect(stopped.matched).toBeLessThan(6);
  });
});

describe('Object Lock', () => {
  // moto refuses a default retention once a bucket holds anything (AWS does not): the capability
  // probes of an account that names no provider leave a probe's version behind, so the account
  // says it is AWS (no probes), as moto emulates it.
  for (const [label, server, account] of [
    ['MinIO', () => minio, {}],
    ['moto', () => moto, { provider: 'aws' }],
  ] as const) {
    it(`on ${label}: creates a bucket with it, sets its default retention, and locks one object by retention and legal hold`, async () => {
      const app = await appFor(server(), account);
      const client = clientOf(server());
      const name = `lock-${randomBytes(5).toString('hex')}`;
      await app.call('buckets.create', { name, objectLock: true });
      expect(await app.call('objectLock.get', { bucket: name })).toEqual({
        available: true,
        value: { enabled: true, defaultRetention: null },
      });

      const compliance = { mode: 'COMPLIANCE', unit: 'days', amount: 1 };
      const refused = await app.result('objectLock.putDefault', { bucket: name, defaultRetention: compliance });
      expect(JSON.stringify(refused)).toContain('COMPLIANCE cannot be shortened or removed by anyone');
      const governance = { mode: 'GOVERNANCE', unit: 'days', amount: 2 };
      expect(await app.call('objectLock.putDefault', { bucket: name, defaultRetention: governance })).toEqual({
        enabled: true,
        defaultRetention: governance,
      });
      const stored = await client.send(new GetObjectLockConfigurationCommand({ Bucket: name }));
      expect(stored.ObjectLockConfiguration?.Rule?.DefaultRetention).toMatchObject({ Mode: 'GOVERNANCE', Days: 2 });
      await app.call('objectLock.putDefault', { bucket: name, defaultRetention: null });
      expect(await app.call<Availability<BucketObjectLock>>('objectLock.get', { bucket: name })).toMatchObject({
        value: { defaultRetention: null },
      });

      const put = await client.send(new PutObjectCommand({ Bucket: name, Key: 'contract.pdf', Body: 'signed' }));
      const target = { bucket: name, key: 'contract.pdf' };
      expect(await app.call('objectLock.getObject', target)).toMatchObject({
        bucketLocked: true,
        retention: { available: label === 'MinIO' },
        legalHold: { available: true, value: false },
      });
      const until = inADay();
      const locked = await app.call<ObjectProtection>('objectLock.putRetention', {
        ...target,
        retention: { mode: 'GOVERNANCE', until },
      });
      if (label === 'MinIO') {
        expect(locked.retention).toMatchObject({ available: true, value: { mode: 'GOVERNANCE' } });
        const retention = await client.send(new GetObjectRetentionCommand({ Bucket: name, Key: 'contract.pdf' }));
        expect(retention.Retention?.Mode).toBe('GOVERNANCE');
        expect(Math.abs((retention.Retention?.RetainUntilDate?.getTime() ?? 0) - Date.parse(until))).toBeLessThan(1000);
      } else {
        // moto 5.2.5 takes PutObjectRetention but serves GET ?retention as a plain GET (the object's bytes).
        expect(locked.retention).toEqual({ available: false, reason: expect.stringContaining('retention document') });
      }

      const held = await app.call<ObjectProtection>('objectLock.putLegalHold', { ...target, on: true });
      expect(held.legalHold).toEqual({ available: true, value: true });
      const hold = await client.send(new GetObjectLegalHoldCommand({ Bucket: name, Key: 'contract.pdf' }));
      expect(hold.LegalHold?.Status).toBe('ON');
      // The lock holds: this version cannot be deleted.
      await expect(
        client.send(new DeleteObjectCommand({ Bucket: name, Key: 'contract.pdf', VersionId: put.VersionId })),
      ).rejects.toThrow();
      await app.call('objectLock.putLegalHold', { ...target, on: false });
      expect(
        (await client.send(new GetObjectLegalHoldCommand({ Bucket: name, Key: 'contract.pdf' }))).LegalHold?.Status,
      ).toBe('OFF');
      // A past date is refused in words.
      const past = await app.result('objectLock.putRetention', {
        ...target,
        retention: { mode: 'GOVERNANCE', until: new Date(Date.now() - 1000).toISOString() },
      });
      expect(JSON.stringify(past)).toContain('Choose a date and time in the future');
    });
  }

  it('says a bucket made without Object Lock cannot lock objects, and refuses to, in words', async () => {
    const app = await appFor(minio);
    const { client, name } = await bucketOn(minio);
    await client.send(new PutObjectCommand({ Bucket: name, Key: 'a.txt', Body: 'a' }));
    expect(await app.call('objectLock.get', { bucket: name })).toEqual({
      available: true,
      value: { enabled: false, defaultRetention: null },
    });
    const protection = await app.call<ObjectProtection>('objectLock.getObject', { bucket: name, key: 'a.txt' });
    expect(protection).toMatchObject({ bucketLocked: false, legalHold: { available: false } });
    expect(JSON.stringify(protection)).toContain('This bucket was not created with Object Lock');
    const refused = await app.result('objectLock.putLegalHold', { bucket: name, key: 'a.txt', on: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-supported' } });
  });
});

describe('static website hosting', () => {
  it('on moto: turns a website on after confirmation, redirects every request, reads back, and turns it off', async () => {
    const app = await appFor(moto);
    const { client, name } = await bucketOn(moto);
    const empty = await app.call<Availability<BucketWebsite>>('website.get', { bucket: name });
    expect(empty).toMatchObject({ available: true, value: { config: null, url: null } });
    expect(JSON.stringify(empty)).toContain('No website address is known for this service');

    const serve = {
      mode: 'serve',
      indexDocument: 'index.html',
      errorDocument: 'error.html',
      routingRules: [{ keyPrefixEquals: 'docs/', replaceKeyPrefixWith: 'documents/' }],
    };
    const refused = await app.result('website.put', { bucket: name, config: serve });
    expect(JSON.stringify(refused)).toContain('does not make anything public');
    const on = await app.call<BucketWebsite>('website.put', { bucket: name, config: serve, confirmedExposure: true });
    expect(on.config).toEqual(serve);
    const stored = await client.send(new GetBucketWebsiteCommand({ Bucket: name }));
    expect(stored).toMatchObject({
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'error.html' },
      RoutingRules: [{ Condition: { KeyPrefixEquals: 'docs/' }, Redirect: { ReplaceKeyPrefixWith: 'documents/' } }],
    });

    const redirect = { mode: 'redirect', hostName: 'www.example.com', protocol: 'https' };
    expect((await app.call<BucketWebsite>('website.put', { bucket: name, config: redirect })).config).toEqual(redirect);
    expect((await client.send(new GetBucketWebsiteCommand({ Bucket: name }))).RedirectAllRequestsTo).toEqual({
      HostName: 'www.example.com',
      Protocol: 'https',
    });

    expect((await app.call<BucketWebsite>('website.delete', { bucket: name })).config).toBeNull();
    await expect(client.send(new GetBucketWebsiteCommand({ Bucket: name }))).rejects.toThrow();
  });

  it('on MinIO: says it does not host websites, from the preset or from its answer', async () => {
    const preset = await appFor(minio, { provider: 'minio' });
    const { name } = await bucketOn(minio);
    expect(await preset.call('website.get', { bucket: name })).toEqual({
      available: false,
      reason: 'MinIO does not host static websites.',
    });
    const other = await appFor(minio);
    // With routing rules, MalformedXML may be about the rules: the refusal is quoted.
    const withRules = await other.result('website.put', {
      bucket: name,
      config: { mode: 'serve', indexDocument: 'index.html', routingRules: [{ keyPrefixEquals: 'a/' }] },
      confirmedExposure: true,
    });
    expect(withRules).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(withRules)).toContain('The service refused this change');
    // MinIO answers 400 MalformedXML to the plainest configuration too, not NotImplemented: that says it
    // hosts no websites (not that the person should fix XML), and the model learns it.
    const put = await other.result('website.put', {
      bucket: name,
      config: { mode: 'redirect', hostName: 'example.com' },
    });
    const sentence =
      'This service does not host static websites through the S3 API: it answered a plain website configuration ' +
      '(no routing rules) with MalformedXML, as a service answers a document it does not know.';
    expect(put).toMatchObject({ ok: false, error: { code: 'not-supported', message: sentence } });
    expect(await other.call('website.get', { bucket: name })).toEqual({ available: false, reason: sentence });
  });
});

describe('provider profiles', () => {
  it('R2: no website and no Object Lock, each said in words; B2: no website', async () => {
    for (const profile of ['r2', 'b2'] as const) {
      const proxy = await startProviderProxy(profile, minio.endpoint);
      proxies.push(proxy);
      const through = { ...minio, endpoint: proxy.url };
      const app = await appFor(through);
      const { name } = await bucketOn(minio);
      expect(await app.call('website.get', { bucket: name })).toEqual({
        available: false,
        reason: 'This service does not support static website hosting.',
      });
      if (profile === 'r2') {
        expect(await app.call('objectLock.get', { bucket: name })).toMatchObject({ available: false });
        const created = await app.result('buckets.create', { name: `${name}-l`, objectLock: true });
        expect(created).toMatchObject({ ok: false });
      }
    }
  });
});
