import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DropBoxCors, DropBoxLink } from '../../../shared/share';
import { startAppServices, type AppServices } from '../../../../test/app-services';
import { s3ClientFor, type RunningS3Info } from '../../../../test/s3-fixtures';
import { s3ServerLaunchers } from '../../../../scripts/s3-servers/registry';
import type { RunningS3Server } from '../../../../scripts/s3-servers/launcher';
import { DROP_BOX_RULE_ID } from './bucket-cors';

// Drop boxes and object access (ACLs) through dispatch, as the UI calls them, against MinIO
// (POST policies, server-wide CORS, no ACLs) and moto (bucket CORS rules and ACLs, but POST
// forms it does not check, so no drop boxes).

const minio = inject('s3');
let moto: RunningS3Server;
const apps: AppServices[] = [];
const clients: S3Client[] = [];

beforeAll(async () => {
  moto = await s3ServerLaunchers.moto.start();
});
afterAll(async () => {
  for (const app of apps) await app.dispose();
  for (const client of clients) client.destroy();
  await moto?.stop();
});

/** Where a test server listens and how to sign for it (MinIO's or moto's). */
type Server = Pick<RunningS3Info, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>;

async function appFor(server: Server): Promise<AppServices> {
  const app = await startAppServices(server);
  apps.push(app);
  return app;
}

async function bucketOn(server: Server): Promise<{ client: S3Client; name: string }> {
  // s3ClientFor reads only the address and the credentials.
  const client = s3ClientFor(server as RunningS3Info);
  clients.push(client);
  const name = `dropbox-${randomBytes(5).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return { client, name };
}

/** Posts one file as the upload page does: the page's fields, then key, Content-Type and the file. */
async function postAsPage(link: DropBoxLink, key: string, bytes: Buffer, type = 'text/plain') {
  const settingsJson = /<script type="application\/json" id="drop-box-settings">([^<]*)<\/script>/.exec(
    link.page.html,
  )?.[1];
  const settings = JSON.parse(settingsJson ?? '{}') as { url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [name, value] of Object.entries(settings.fields)) form.append(name, value);
  form.append('key', key);
  form.append('Content-Type', type);
  form.append('file', new Blob([bytes]), key.slice(key.lastIndexOf('/') + 1));
  const response = await fetch(settings.url, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

describe('drop boxes on MinIO', () => {
  it('makes a page that holds the policy but never the secret, whose form lands files under the folder only', async () => {
    const app = await appFor(minio);
    const { client, name } = await bucketOn(minio);
    const link = await app.call<DropBoxLink>('share.dropBox', {
      bucket: name,
      prefix: 'inbox/',
      maxSizeBytes: 1000,
      expiresInSeconds: 3600,
    });
    const { html } = link.page;
    expect(html).not.toContain(minio.secretAccessKey);
    expect(Buffer.from(html).toString('base64')).not.toContain(Buffer.from(minio.secretAccessKey).toString('base64'));
    expect(html).toContain(minio.accessKeyId); // the credential scope names the key id, which is no secret
    expect(html).toMatch(/"Policy":"[A-Za-z0-9+/=]+"/);
    expect(html).toMatch(/"X-Amz-Signature":"[0-9a-f]{64}"/);
    expect(html).not.toMatch(/<script[^>]+src=|<link|@import|https?:\/\/(?!127\.0\.0\.1)/);
    expect(link.page.fileName).toBe('upload-to-inbox.html');
    expect(link.notes.join(' ')).toContain('1000 bytes');

    // The data: URL is the page itself.
    expect(link.dataUrl).not.toBeNull();
    const decoded = Buffer.from((link.dataUrl ?? '').split(',')[1] ?? '', 'base64').toString('utf8');
    expect(decoded).toBe(html);

    // MinIO allows every origin for the whole server, "null" included, and takes no bucket rules.
    expect(link.cors).toMatchObject({ state: 'allowed', canAddRule: false });

    const bytes = randomBytes(500);
    expect((await postAsPage(link, 'inbox/photo.bin', bytes, 'image/png')).status).toBe(201);
    const got = await client.send(new GetObjectCommand({ Bucket: name, Key: 'inbox/photo.bin' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(bytes)).toBe(true);
    expect(got.ContentType).toBe('image/png');

    const outside = await postAsPage(link, 'elsewhere/photo.bin', bytes);
    expect(outside.status).toBe(403);
    expect(outside.text).toMatch(/Policy Condition failed/);
    const tooBig = await postAsPage(link, 'inbox/big.bin', randomBytes(1001));
    expect(tooBig.text).toMatch(/EntityTooLarge/);
  });

  it('says in words that MinIO takes no bucket CORS rules, and stops offering to add one', async () => {
    const app = await appFor(minio);
    const { name } = await bucketOn(minio);
    const refused = await app.result('share.allowDropBoxCors', { bucket: name });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    expect(JSON.stringify(refused)).toMatch(/does not take CORS rules per bucket/);
  });

  it('refuses a prefix that is not a folder', async () => {
    const app = await appFor(minio);
    const result = await app.result('share.dropBox', {
      bucket: 'any',
      prefix: 'inbox',
      maxSizeBytes: 10,
      expiresInSeconds: 60,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('bucket CORS for the page on moto', () => {
  it("finds it blocked, adds the narrow rule keeping the bucket's others, and then finds it allowed", async () => {
    const app = await appFor(moto);
    const { client, name } = await bucketOn(moto);
    // A common rule: any site may read. It matches the page's origin, but not a POST.
    const other = { ID: 'theirs', AllowedOrigins: ['*'], AllowedMethods: ['GET'] };
    await client.send(new PutBucketCorsCommand({ Bucket: name, CORSConfiguration: { CORSRules: [other] } }));
    const before = await app.call<DropBoxCors>('share.dropBoxCors', { bucket: name });
    expect(before).toMatchObject({ state: 'blocked', canAddRule: true });
    expect(before.text).toContain('None of its 1 CORS rule allows it');
    expect(before.rule).toContain('POST method from the origin "null"');

    const after = await app.call<DropBoxCors>('share.allowDropBoxCors', { bucket: name });
    expect(after).toMatchObject({ state: 'allowed', canAddRule: false });
    const rules = (await client.send(new GetBucketCorsCommand({ Bucket: name }))).CORSRules ?? [];
    expect(rules.map((rule) => rule.ID)).toEqual(['theirs', DROP_BOX_RULE_ID]);
    expect(rules[0]).toMatchObject(other);
    expect(rules[1]).toMatchObject({ AllowedOrigins: ['null'], AllowedMethods: ['POST'] });

    // Adding it again replaces it rather than piling up copies.
    await app.call<DropBoxCors>('share.allowDropBoxCors', { bucket: name });
    const again = (await client.send(new GetBucketCorsCommand({ Bucket: name }))).CORSRules ?? [];
    expect(again.map((rule) => rule.ID)).toEqual(['theirs', DROP_BOX_RULE_ID]);
  });

  it('makes no drop box where the service does not check POST policies', async () => {
    const app = await appFor(moto);
    const { name } = await bucketOn(moto);
    const result = await app.result('share.dropBox', {
      bucket: name,
      prefix: '',
      maxSizeBytes: 10,
      expiresInSeconds: 60,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    expect(JSON.stringify(result)).toMatch(/without checking their policy.*A drop box needs them/);
  });
});

describe('object access (Make public, Make private)', () => {
  it('on moto: an anonymous GET reads the object after Make public, and is refused after Make private', async () => {
    const app = await appFor(moto);
    const { client, name } = await bucketOn(moto);
    await client.send(new PutObjectCommand({ Bucket: name, Key: 'pub/a.txt', Body: 'hello' }));
    await client.send(new PutObjectCommand({ Bucket: name, Key: 'pub/b.txt', Body: 'world' }));
    const url = `${moto.endpoint}/${name}/pub/a.txt`;
    expect((await fetch(url)).status).toBe(403);

    const made = await app.operation('share.setAccess', { bucket: name, keys: ['pub/'], access: 'public-read' });
    expect(made).toMatchObject({ state: 'finished', done: 2, summary: 'Made 2 objects public.' });
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toBe('hello');
    expect(
      (await app.call<{ publiclyReadable: boolean }>('share.urls', { bucket: name, key: 'pub/a.txt' }))
        .publiclyReadable,
    ).toBe(true);

    const hidden = await app.operation('share.setAccess', { bucket: name, keys: ['pub/a.txt'], access: 'private' });
    expect(hidden).toMatchObject({ state: 'finished', done: 1, summary: 'Made 1 object private.' });
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(`${moto.endpoint}/${name}/pub/b.txt`)).status).toBe(200);
  });

  it('on MinIO: Make public is refused in words, and the model learns that ACLs are missing', async () => {
    const app = await appFor(minio);
    const { client, name } = await bucketOn(minio);
    await client.send(new PutObjectCommand({ Bucket: name, Key: 'a.txt', Body: 'x' }));
    const outcome = await app.operation('share.setAccess', { bucket: name, keys: ['a.txt'], access: 'public-read' });
    expect(outcome.state).toBe('failed');
    expect(outcome.summary).toMatch(/does not support access lists \(ACLs\) on objects/);
    expect((await fetch(`${minio.endpoint}/${name}/a.txt`)).status).toBe(403);
    const model = await app.call<{ features: { acl: { support: string } } }>('capabilities.get', { bucket: name });
    expect(model.features.acl.support).toBe('no');
  });
});
