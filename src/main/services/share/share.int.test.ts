import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import type { PostPolicyLink, ShareLink } from '../../../shared/share';
import { createAccountService } from '../accounts/account-service';
import { createEventBus } from '../event-bus';
import { createSessionSecretStore } from '../keychain/secret-store';
import { createFileLogger, silentLogger } from '../logging/logger';
import { createSettingsStore } from '../settings/settings-store';
import { integrationScaffold, TEST_ACCOUNT } from '../details/test-services';
import { createShareHistory } from './share-history';
import { createShareLinks } from './share-links';
import { capabilitiesFromSeed, capabilitySeeds } from '../../../shared/capabilities';

const s3 = inject('s3');
const { direct, folders, bucketForTest, services } = integrationScaffold(s3);

async function readBack(bucket: string, key: string): Promise<{ bytes: Buffer; contentType: string | undefined }> {
  const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { bytes: Buffer.from((await got.Body?.transformToByteArray()) ?? []), contentType: got.ContentType };
}

async function exists(bucket: string, key: string): Promise<boolean> {
  try {
    await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** The query parameters a presigned URL must never carry: the SDK's checksum of an empty body. */
function expectNoChecksumParameters(url: string): void {
  const names = [...new URL(url).searchParams.keys()].map((name) => name.toLowerCase());
  expect(names.filter((name) => name.startsWith('x-amz-checksum') || name.startsWith('x-amz-sdk-checksum'))).toEqual(
    [],
  );
  expect(url.toLowerCase()).not.toContain('x-amz-checksum');
  expect(url.toLowerCase()).not.toContain('x-amz-sdk-checksum');
}

describe('download links (presigned GET)', () => {
  it('returns the exact bytes to a plain HTTP client, then 403 once expired', async () => {
    const bucket = await bucketForTest();
    const body = randomBytes(64 * 1024);
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'docs/report 1.bin', Body: body }));
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'docs/b.txt', Body: 'second' }));
    const { value } = await services();

    const links = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['docs/report 1.bin', 'docs/b.txt'],
      expiresInSeconds: 2,
    });
    expect(links.map((link) => link.key)).toEqual(['docs/report 1.bin', 'docs/b.txt']);
    const [first, second] = links as [ShareLink, ShareLink];
    expect(first).toMatchObject({ kind: 'get', bucket: bucket.name, limitedBy: 'expiry', notes: [] });
    expect(new Date(first.expiresAt).getTime() - new Date(first.createdAt).getTime()).toBe(2000);
    expect(new URL(first.url).searchParams.get('X-Amz-Expires')).toBe('2');
    for (const link of links) expectNoChecksumParameters(link.url);

    const fetched = await fetch(first.url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(body)).toBe(true);
    expect(await (await fetch(second.url)).text()).toBe('second');

    await sleep(new Date(first.expiresAt).getTime() - Date.now() + 1500);
    const expired = await fetch(first.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/i);
  });

  it('forces a download under a name, overrides the content type, and links a version', async () => {
    const bucket = await bucketForTest({ versioning: true });
    const first = await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'a/photo.jpg', Body: 'v1' }));
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'a/photo.jpg', Body: 'v2' }));
    const { value } = await services();

    const [named] = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['a/photo.jpg'],
      expiresInSeconds: 3600,
      options: { forceDownload: true, downloadName: 'Café "menu".jpg', contentType: 'text/plain; charset=utf-8' },
    });
    const response = await fetch(named?.url ?? '');
    expect(await response.text()).toBe('v2');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Caf_ _menu_.jpg"; filename*=UTF-8''Caf%C3%A9%20%22menu%22.jpg`,
    );

    const [plainName] = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['a/photo.jpg'],
      expiresInSeconds: 60,
      options: { forceDownload: true, versionId: first.VersionId },
    });
    const old = await fetch(plainName?.url ?? '');
    expect(await old.text()).toBe('v1');
    expect(old.headers.get('content-disposition')).toBe(`attachment; filename="photo.jpg"; filename*=UTF-8''photo.jpg`);
    expectNoChecksumParameters(plainName?.url ?? '');
  });

  it('notes a key with no object, without failing the batch', async () => {
    const bucket = await bucketForTest();
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'here.txt', Body: 'x' }));
    const { value } = await services();
    const links = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['here.txt', 'gone.txt'],
      expiresInSeconds: 60,
    });
    expect(links[0]?.notes).toEqual([]);
    expect(links[1]?.notes.join(' ')).toMatch(/no object at this key/);
  });
});

describe('upload links (presigned PUT)', () => {
  it('uploads bytes that read back identical, with the signed content type; other headers are refused', async () => {
    const bucket = await bucketForTest();
    const { value } = await services();
    const link = await value<ShareLink>('share.putLink', {
      bucket: bucket.name,
      key: 'inbox/data.csv',
      expiresInSeconds: 600,
      options: { contentType: 'text/csv' },
    });
    expect(link).toMatchObject({ kind: 'put', key: 'inbox/data.csv', limitedBy: 'expiry' });
    expectNoChecksumParameters(link.url);
    expect(new URL(link.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(link.notes.join(' ')).toContain('Content-Type: text/csv');

    const wrongType = await fetch(link.url, { method: 'PUT', body: 'a,b', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(403);
    expect(await exists(bucket.name, 'inbox/data.csv')).toBe(false);

    const body = randomBytes(100_000);
    const put = await fetch(link.url, { method: 'PUT', body, headers: { 'content-type': 'text/csv' } });
    expect(put.status).toBe(200);
    const back = await readBack(bucket.name, 'inbox/data.csv');
    expect(back.bytes.equals(body)).toBe(true);
    expect(back.contentType).toBe('text/csv');
  });

  it('without a content type, any upload works; a chosen ACL is a header the uploader must send', async () => {
    const bucket = await bucketForTest();
    // As a service of unknown kind: MinIO's preset says it keeps no object ACLs (it ignores x-amz-acl), so the
    // preset refuses an ACL'd link (next test); the signing of the header is what is checked here.
    const { value } = await services({ settings: { provider: 'other' } });
    const plain = await value<ShareLink>('share.putLink', { bucket: bucket.name, key: 'x.bin', expiresInSeconds: 60 });
    expect(new URL(plain.url).searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(plain.notes.join(' ')).not.toContain('headers');
    expectNoChecksumParameters(plain.url);
    const body = randomBytes(1000);
    expect((await fetch(plain.url, { method: 'PUT', body })).status).toBe(200);
    expect((await readBack(bucket.name, 'x.bin')).bytes.equals(body)).toBe(true);

    const withAcl = await value<ShareLink>('share.putLink', {
      bucket: bucket.name,
      key: 'y.bin',
      expiresInSeconds: 60,
      options: { acl: 'public-read' },
    });
    expect(withAcl.notes.join(' ')).toContain('x-amz-acl: public-read');
    expect((await fetch(withAcl.url, { method: 'PUT', body })).ok).toBe(false);
    expect(await exists(bucket.name, 'y.bin')).toBe(false);
    const sent = await fetch(withAcl.url, { method: 'PUT', body, headers: { 'x-amz-acl': 'public-read' } });
    expect(sent.status).toBe(200);
    expect((await readBack(bucket.name, 'y.bin')).bytes.equals(body)).toBe(true);
  });

  it('refuses an ACL on a service that keeps none, saying so before any link exists', async () => {
    const bucket = await bucketForTest();
    const { call } = await services();
    const result = await call('share.putLink', {
      bucket: bucket.name,
      key: 'y.bin',
      expiresInSeconds: 60,
      options: { acl: 'public-read' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    expect(JSON.stringify(result)).toMatch(/keeps no access lists.*Choose \\"private\\"/);
  });
});

describe('POST policies', () => {
  it('accept a file under the limit, refuse one over it and a key outside the prefix', async () => {
    const bucket = await bucketForTest();
    const { value } = await services();
    const policy = await value<PostPolicyLink>('share.postPolicy', {
      bucket: bucket.name,
      keyPrefix: 'drop/',
      maxSizeBytes: 100,
      expiresInSeconds: 600,
      contentType: 'text/plain',
    });
    expect(policy).toMatchObject({ kind: 'post', key: 'drop/', limitedBy: 'expiry' });
    expect(policy.fields.key).toBe('drop/${filename}');
    expect(policy.notes.join(' ')).toContain('100 bytes under drop/');
    for (const [name, fieldValue] of Object.entries(policy.fields)) {
      expect(policy.htmlForm).toContain(`<input type="hidden" name="${name}" value="${fieldValue}">`);
    }
    expect(policy.htmlForm).toContain(`action="${policy.url}"`);
    expect(policy.htmlForm).toMatch(/<input type="file" name="file"[^>]*>\s*<button/);

    const post = async (bytes: Buffer, fileName: string, key?: string) => {
      const form = new FormData();
      for (const [name, fieldValue] of Object.entries(policy.fields)) {
        form.append(name, name === 'key' && key !== undefined ? key : fieldValue);
      }
      form.append('file', new Blob([bytes]), fileName);
      const response = await fetch(policy.url, { method: 'POST', body: form });
      return { status: response.status, text: await response.text() };
    };

    const small = randomBytes(60);
    expect((await post(small, 'small.txt')).status).toBe(201);
    const back = await readBack(bucket.name, 'drop/small.txt');
    expect(back.bytes.equals(small)).toBe(true);
    expect(back.contentType).toBe('text/plain');

    const tooBig = await post(randomBytes(101), 'big.txt');
    expect(tooBig.status).toBe(400);
    expect(tooBig.text).toMatch(/EntityTooLarge/);
    expect(await exists(bucket.name, 'drop/big.txt')).toBe(false);

    const outside = await post(randomBytes(10), 'out.txt', 'elsewhere/out.txt');
    expect(outside.status).toBe(403);
    expect(await exists(bucket.name, 'elsewhere/out.txt')).toBe(false);
  });

  it('is not supported on a service without POST uploads', async () => {
    const bucket = await bucketForTest();
    const { call } = await services({ settings: { provider: 'r2' } });
    const result = await call('share.postPolicy', {
      bucket: bucket.name,
      keyPrefix: '',
      maxSizeBytes: 10,
      expiresInSeconds: 60,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    expect(JSON.stringify(result)).toMatch(/Cloudflare R2 does not accept browser upload forms/);
  });
});

describe('the share-links host', () => {
  const port = new URL(s3.endpoint).port;
  const shareHost = `http://localhost:${port}`;

  it('links differ from the others only in the host, and work there', async () => {
    const bucket = await bucketForTest();
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'dir/file name.txt', Body: 'shared' }));
    const dataDir = await mkdtemp(join(tmpdir(), 's3fm-share-host-'));
    folders.push(dataDir);
    // The same account twice, with and without a share host, signing at the same instant.
    const accountsWith = (share: string) =>
      createAccountService({
        settings: createSettingsStore(join(dataDir, `${share ? 'with' : 'without'}.json`)),
        keychain: createSessionSecretStore(),
        sessionSecrets: createSessionSecretStore(),
        bus: createEventBus(),
        logger: silentLogger,
        awsPaths: { credentialsFile: join(dataDir, 'none'), configFile: join(dataDir, 'none') },
        launchAccounts: [
          {
            settings: {
              id: TEST_ACCOUNT,
              name: 'Test',
              provider: 'minio',
              credentialSource: 'static',
              accessKeyId: s3.accessKeyId,
              profile: '',
              region: s3.region,
              endpoint: s3.endpoint,
              pathStyle: true,
              shareHost: share,
              rootBucket: '',
              rootPrefix: '',
              caCertFile: '',
              trustedCertificatePem: '',
              secretStorage: 'session',
            },
            secrets: { secretAccessKey: s3.secretAccessKey },
          },
        ],
      });
    const signedAt = new Date();
    const linksFor = (share: string) => {
      const accounts = accountsWith(share);
      return createShareLinks({
        presigner: (accountId, b, options) => accounts.presignerForBucket(accountId, b, options),
        client: (accountId, b) => accounts.clientForBucket(accountId, b),
        settingsOf: (accountId) => accounts.settingsOf(accountId),
        capabilities: async () => capabilitiesFromSeed(capabilitySeeds.minio),
        history: createShareHistory(join(dataDir, `${share ? 'with' : 'without'}-links.json`)),
        logger: silentLogger,
        now: () => signedAt,
      });
    };
    const input = {
      accountId: TEST_ACCOUNT,
      bucket: bucket.name,
      keys: ['dir/file name.txt'],
      expiresInSeconds: 600,
      options: { forceDownload: true },
    };
    const [normal] = await linksFor('').getLinks(input);
    const [viaHost] = await linksFor(shareHost).getLinks(input);
    const a = new URL(normal?.url ?? '');
    const b = new URL(viaHost?.url ?? '');
    expect(a.host).toBe(`127.0.0.1:${port}`);
    expect(b.host).toBe(`localhost:${port}`);
    expect(b.pathname).toBe(a.pathname);
    expect(a.pathname).toBe(`/${bucket.name}/dir/file%20name.txt`);
    const withoutSignature = (url: URL) => {
      const params = new URLSearchParams(url.searchParams);
      params.delete('X-Amz-Signature');
      return params.toString();
    };
    expect(withoutSignature(b)).toBe(withoutSignature(a));
    // The signature covers the host: the two differ, and each works only at its own host.
    expect(b.searchParams.get('X-Amz-Signature')).not.toBe(a.searchParams.get('X-Amz-Signature'));
    expectNoChecksumParameters(b.toString());
    expect(await (await fetch(b)).text()).toBe('shared');
    expect(await (await fetch(a)).text()).toBe('shared');
    const swapped = new URL(b);
    swapped.host = a.host;
    expect((await fetch(swapped)).status).toBe(403);
  });

  it('signs upload links and POST policies for it too, through the app', async () => {
    const bucket = await bucketForTest();
    const { value } = await services({ settings: { shareHost } });
    const put = await value<ShareLink>('share.putLink', { bucket: bucket.name, key: 'up.txt', expiresInSeconds: 60 });
    expect(new URL(put.url).host).toBe(`localhost:${port}`);
    expectNoChecksumParameters(put.url);
    expect((await fetch(put.url, { method: 'PUT', body: 'via host' })).status).toBe(200);
    expect((await readBack(bucket.name, 'up.txt')).bytes.toString()).toBe('via host');

    const policy = await value<PostPolicyLink>('share.postPolicy', {
      bucket: bucket.name,
      keyPrefix: 'p/',
      maxSizeBytes: 1000,
      expiresInSeconds: 60,
    });
    expect(new URL(policy.url).host).toBe(`localhost:${port}`);
    const [link] = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['up.txt'],
      expiresInSeconds: 60,
    });
    expect(new URL(link?.url ?? '').host).toBe(`localhost:${port}`);
    expect(await (await fetch(link?.url ?? '')).text()).toBe('via host');
  });
});

describe('temporary credentials', () => {
  it('a link dies with the credentials it was signed with, and says so', async () => {
    const bucket = await bucketForTest();
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'a.txt', Body: 'temporary' }));
    const home = await mkdtemp(join(tmpdir(), 's3fm-profile-'));
    folders.push(home);
    // A profile whose credential_process hands out credentials that expire in 10 minutes.
    const expiration = new Date(Date.now() + 10 * 60_000);
    expiration.setMilliseconds(0);
    const script = join(home, 'credentials.cjs');
    await writeFile(
      script,
      `process.stdout.write(${JSON.stringify(
        JSON.stringify({
          Version: 1,
          AccessKeyId: s3.accessKeyId,
          SecretAccessKey: s3.secretAccessKey,
          Expiration: expiration.toISOString(),
        }),
      )});\n`,
    );
    await chmod(script, 0o700);
    const awsPaths = { credentialsFile: join(home, 'credentials'), configFile: join(home, 'config') };
    await writeFile(awsPaths.credentialsFile, '');
    await writeFile(
      awsPaths.configFile,
      `[profile temporary]\nregion = ${s3.region}\ncredential_process = ${process.execPath} ${script}\n`,
    );
    const { value } = await services({
      settings: { credentialSource: 'profile', profile: 'temporary', accessKeyId: '' },
      awsPaths,
    });

    const [hour] = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['a.txt'],
      expiresInSeconds: 3600,
    });
    expect(hour).toMatchObject({ limitedBy: 'credentials', expiresAt: expiration.toISOString() });
    expect(hour?.notes.join(' ')).toMatch(/temporary credentials it was signed with expire/);
    expect(new URL(hour?.url ?? '').searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(await (await fetch(hour?.url ?? '')).text()).toBe('temporary');

    const [minute] = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['a.txt'],
      expiresInSeconds: 60,
    });
    expect(minute).toMatchObject({ limitedBy: 'expiry', notes: [] });
  });

  it('notes a session token whose expiry is unknown', async () => {
    const bucket = await bucketForTest();
    const { value } = await services({
      secrets: { secretAccessKey: s3.secretAccessKey, sessionToken: 'token-of-unknown-expiry' },
    });
    const [link] = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['a.txt'],
      expiresInSeconds: 60,
    });
    expect(link).toMatchObject({ limitedBy: 'expiry' });
    expect(link?.notes.join(' ')).toMatch(/session token/);
    expect(new URL(link?.url ?? '').searchParams.get('X-Amz-Security-Token')).toBe('token-of-unknown-expiry');
  });
});

describe('public URLs', () => {
  it('gives the s3:// URI and the plain URL, publicly readable only once a policy allows it', async () => {
    const bucket = await bucketForTest();
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'pub/a b.txt', Body: 'public bytes' }));
    const { value } = await services();
    const before = await value<{ s3Uri: string; publicUrl: string; publiclyReadable: boolean | null }>('share.urls', {
      bucket: bucket.name,
      key: 'pub/a b.txt',
    });
    expect(before).toEqual({
      s3Uri: `s3://${bucket.name}/pub/a b.txt`,
      publicUrl: `${s3.endpoint}/${bucket.name}/pub/a%20b.txt`,
      publiclyReadable: false,
    });
    expect((await fetch(before.publicUrl)).status).toBe(403);

    await direct.send(
      new PutBucketPolicyCommand({
        Bucket: bucket.name,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: ['*'] },
              Action: ['s3:GetObject'],
              Resource: [`arn:aws:s3:::${bucket.name}/pub/*`],
            },
          ],
        }),
      }),
    );
    const after = await value<{ publicUrl: string; publiclyReadable: boolean | null }>('share.urls', {
      bucket: bucket.name,
      key: 'pub/a b.txt',
    });
    expect(after.publiclyReadable).toBe(true);
    expect(await (await fetch(after.publicUrl)).text()).toBe('public bytes');
  });
});

describe('the list of links made', () => {
  it('keeps links newest first in the data folder, with no secret, and logs no signed URL', async () => {
    const bucket = await bucketForTest();
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'a.txt', Body: 'a' }));
    const logFolder = await mkdtemp(join(tmpdir(), 's3fm-share-log-'));
    folders.push(logFolder);
    const logger = createFileLogger(join(logFolder, 'main.log'));
    logger.redact(s3.secretAccessKey);
    const { value, dataDir } = await services({ logger });

    const gets = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['a.txt'],
      expiresInSeconds: 60,
    });
    const put = await value<ShareLink>('share.putLink', { bucket: bucket.name, key: 'b.txt', expiresInSeconds: 60 });
    const history = await value<ShareLink[]>('share.history', {}, { account: false });
    expect(history.map((link) => [link.kind, link.key, link.url])).toEqual([
      ['put', 'b.txt', put.url],
      ['get', 'a.txt', gets[0]?.url],
    ]);

    const file = await readFile(join(dataDir, 'share-links.json'), 'utf8');
    expect((JSON.parse(file) as { links: ShareLink[] }).links.map((link) => link.url)).toEqual([put.url, gets[0]?.url]);
    expect(file).not.toContain(s3.secretAccessKey);
    await logger.flush();
    const log = await readFile(join(logFolder, 'main.log'), 'utf8');
    expect(log).toContain('share links made');
    expect(log).not.toMatch(/X-Amz-Signature|X-Amz-Credential/);
    expect(log).not.toContain(s3.secretAccessKey);

    expect(await value('share.clearHistory', {}, { account: false })).toEqual({ cleared: 2 });
    expect(await value('share.history', {}, { account: false })).toEqual([]);
  });
});

describe('bad input', () => {
  it('refuses an expiry of 0, a negative one, one over 7 days or not whole, with the schema message', async () => {
    const bucket = await bucketForTest();
    const { call, value } = await services();
    const cases: [number, string][] = [
      [0, 'A link must live at least 1 second.'],
      [-5, 'A link must live at least 1 second.'],
      [7 * 24 * 3600 + 1, 'A link can live at most 7 days (a limit of S3 signatures).'],
      [1.5, 'Give the lifetime in whole seconds.'],
    ];
    for (const [expiresInSeconds, message] of cases) {
      const result = await call('share.getLinks', { bucket: bucket.name, keys: ['a.txt'], expiresInSeconds });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(JSON.stringify(result)).toContain(message);
      expect(await call('share.putLink', { bucket: bucket.name, key: 'a.txt', expiresInSeconds })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    }
    // Exactly 7 days is allowed.
    const [week] = await value<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['a.txt'],
      expiresInSeconds: 7 * 24 * 3600,
    });
    expect(new URL(week?.url ?? '').searchParams.get('X-Amz-Expires')).toBe('604800');
    // Nothing refused above reached the list.
    expect(await value<ShareLink[]>('share.history', {}, { account: false })).toHaveLength(1);

    const folder = await call('share.getLinks', { bucket: bucket.name, keys: ['photos/'], expiresInSeconds: 60 });
    expect(folder).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(folder)).toMatch(/is a folder/);
  });
});
