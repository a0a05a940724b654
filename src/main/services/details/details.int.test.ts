import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import type { BucketDetails, CustomerKeyStatus, ObjectDetails } from '../../../shared/details';
import { createFileLogger } from '../logging/logger';
import { AppFailure } from '../app-failure';
import { folderSize } from './bucket-details';
import { editObject } from './edit-objects';
import { integrationScaffold } from './test-services';

const s3 = inject('s3');
const { direct, folders, bucketForTest, services } = integrationScaffold(s3);

async function bytesOf(bucket: string, key: string): Promise<Buffer> {
  const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
}

async function tagsOf(bucket: string, key: string) {
  return (await direct.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet ?? [];
}

async function versionCount(bucket: string, key: string): Promise<number> {
  const listed = await direct.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return (listed.Versions ?? []).filter((v) => v.Key === key).length;
}

const expires = new Date('2031-05-06T07:08:09.000Z');

/** An object with every header, metadata, tags and a checksum set. */
async function richObject(bucket: string, key: string, body: Buffer) {
  return direct.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'text/plain',
      CacheControl: 'max-age=3600',
      ContentDisposition: 'inline; filename="report.txt"',
      ContentEncoding: 'identity',
      ContentLanguage: 'fr',
      Expires: expires,
      Metadata: { author: 'Ada', project: 'x1' },
      Tagging: 'team=blue&stage=draft',
      ChecksumAlgorithm: 'CRC32',
    }),
  );
}

describe('details.object', () => {
  it('fills every field from one HEAD, the tags and the ACL', async () => {
    const bucket = await bucketForTest({ versioning: true });
    const body = randomBytes(2048);
    const put = await richObject(bucket.name, 'docs/report.txt', body);
    const { value } = await services();
    const details = await value<ObjectDetails>('details.object', { bucket: bucket.name, key: 'docs/report.txt' });
    const head = await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'docs/report.txt' }));
    expect(details).toEqual({
      bucket: bucket.name,
      key: 'docs/report.txt',
      size: 2048,
      lastModified: head.LastModified?.toISOString(),
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      contentType: 'text/plain',
      storageClass: 'STANDARD',
      versionId: put.VersionId,
      encryption: { algorithm: null, kmsKeyId: null, customerKey: false },
      checksum: { algorithm: 'CRC32', value: put.ChecksumCRC32 },
      metadata: { author: 'Ada', project: 'x1' },
      cacheControl: 'max-age=3600',
      contentDisposition: 'inline; filename="report.txt"',
      contentEncoding: 'identity',
      contentLanguage: 'fr',
      expires: expires.toISOString(),
      tags: {
        available: true,
        value: expect.arrayContaining([
          { key: 'team', value: 'blue' },
          { key: 'stage', value: 'draft' },
        ]) as unknown,
      },
      // MinIO has no real ACLs: it answers the owner's full control, naming no one.
      acl: { available: true, value: { owner: null, grants: [{ grantee: 'Owner', permission: 'FULL_CONTROL' }] } },
    });
    expect(details.tags.available && details.tags.value).toHaveLength(2);
  });

  it('reads an older version, and says when the object is missing', async () => {
    const bucket = await bucketForTest({ versioning: true });
    const first = await direct.send(
      new PutObjectCommand({ Bucket: bucket.name, Key: 'v.txt', Body: 'one', ContentType: 'text/one' }),
    );
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'v.txt', Body: 'three', ContentType: 'x/y' }));
    const { value, call } = await services();
    const old = await value<ObjectDetails>('details.object', {
      bucket: bucket.name,
      key: 'v.txt',
      versionId: first.VersionId,
    });
    expect(old).toMatchObject({ size: 3, contentType: 'text/one', versionId: first.VersionId });
    expect(await call('details.object', { bucket: bucket.name, key: 'nothing.txt' })).toMatchObject({
      ok: false,
      error: { code: 'no-such-key' },
    });
  });
});

describe('details.editObjects', () => {
  it('changes only the content type, keeping tags, headers, metadata, checksum and bytes', async () => {
    const bucket = await bucketForTest({ versioning: true });
    const body = randomBytes(5000);
    await richObject(bucket.name, 'docs/report.txt', body);
    const { runOperation, services: app } = await services();
    const events: [string, unknown][] = [];
    app.bus.onAny((channel, payload) => events.push([channel, payload]));

    const outcome = await runOperation('details.editObjects', {
      bucket: bucket.name,
      keys: ['docs/report.txt'],
      edit: { contentType: 'application/json' },
    });
    expect(outcome).toMatchObject({ kind: 'edit-metadata', state: 'finished', done: 1, failedCount: 0 });
    expect(outcome.summary).toBe('Saved the changes to 1 object.');

    const head = await direct.send(
      new HeadObjectCommand({ Bucket: bucket.name, Key: 'docs/report.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(head).toMatchObject({
      ContentType: 'application/json',
      CacheControl: 'max-age=3600',
      ContentDisposition: 'inline; filename="report.txt"',
      ContentEncoding: 'identity',
      ContentLanguage: 'fr',
      Metadata: { author: 'Ada', project: 'x1' },
      ContentLength: 5000,
    });
    expect(head.ChecksumCRC32).toBeDefined();
    expect(new Date(head.ExpiresString ?? '').toISOString()).toBe(expires.toISOString());
    expect(await tagsOf(bucket.name, 'docs/report.txt')).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'blue' },
        { Key: 'stage', Value: 'draft' },
      ]),
    );
    expect((await bytesOf(bucket.name, 'docs/report.txt')).equals(body)).toBe(true);
    // In a versioned bucket the edit is a new version; the old one stays.
    expect(await versionCount(bucket.name, 'docs/report.txt')).toBe(2);

    expect(events).toContainEqual([
      'details.changed',
      { accountId: 'launch', bucket: bucket.name, keys: ['docs/report.txt'] },
    ]);
    expect(events).toContainEqual(['objects.changed', { accountId: 'launch', bucket: bucket.name, prefix: 'docs/' }]);
    expect(
      events.some(
        ([channel, payload]) => channel === 'operations.progress' && (payload as { total: number }).total === 1,
      ),
    ).toBe(true);
  });

  it('replaces metadata and removes a header on several objects and a folder, keeping each one’s own type', async () => {
    const bucket = await bucketForTest();
    await direct.send(
      new PutObjectCommand({
        Bucket: bucket.name,
        Key: 'a.txt',
        Body: 'a',
        ContentType: 'text/plain',
        CacheControl: 'no-cache',
        Metadata: { old: '1' },
      }),
    );
    await direct.send(
      new PutObjectCommand({ Bucket: bucket.name, Key: 'dir/b.json', Body: 'b', ContentType: 'application/json' }),
    );
    await direct.send(
      new PutObjectCommand({ Bucket: bucket.name, Key: 'dir/sub/c.css', Body: 'c', ContentType: 'text/css' }),
    );
    const { runOperation, value } = await services();
    const outcome = await runOperation('details.editObjects', {
      bucket: bucket.name,
      keys: ['a.txt', 'dir/'],
      edit: { cacheControl: '', metadata: { reviewed: 'yes', 'note-fr': 'Été à Noël' } },
    });
    expect(outcome).toMatchObject({ state: 'finished', done: 3, failedCount: 0 });
    for (const [key, type] of [
      ['a.txt', 'text/plain'],
      ['dir/b.json', 'application/json'],
      ['dir/sub/c.css', 'text/css'],
    ] as const) {
      const head = await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key }));
      expect(head.ContentType).toBe(type);
      expect(head.CacheControl).toBeUndefined();
      expect(Object.keys(head.Metadata ?? {}).sort()).toEqual(['note-fr', 'reviewed']);
      const details = await value<ObjectDetails>('details.object', { bucket: bucket.name, key });
      expect(details.metadata).toEqual({ reviewed: 'yes', 'note-fr': 'Été à Noël' });
    }
  });

  it('refuses bad input before sending anything', async () => {
    const bucket = await bucketForTest({ versioning: true });
    await richObject(bucket.name, 'k.txt', Buffer.from('keep me'));
    const before = await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'k.txt' }));
    const { call } = await services();
    const edits = [
      [{ metadata: { 'has space': 'x' } }, 'A metadata key may contain only ASCII letters'],
      [{ metadata: { clé: 'x' } }, 'A metadata key may contain only ASCII letters'],
      [{ metadata: { big: 'x'.repeat(2100) } }, ''],
      [{ contentType: 'text/plain; name=résumé' }, 'Content-Type may contain only printable ASCII'],
      [{ expires: 'next tuesday' }, 'Expires must be a date'],
      [{ storageClass: 'COLD' }, ''],
    ] as const;
    for (const [edit, message] of edits) {
      const result = await call('details.editObjects', { bucket: bucket.name, keys: ['k.txt'], edit });
      expect(result, JSON.stringify(edit)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(JSON.stringify(result)).toContain(message);
    }
    const tags = Array.from({ length: 11 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    const tooMany = await call('details.setTags', { bucket: bucket.name, keys: ['k.txt'], tags });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(tooMany)).toContain('An object can have at most 10 tags.');
    const badTag = await call('details.setTags', {
      bucket: bucket.name,
      keys: ['k.txt'],
      tags: [{ key: 'a<b', value: 'v' }],
    });
    expect(badTag).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    // Nothing was sent: one version, the same headers and tags.
    expect(await versionCount(bucket.name, 'k.txt')).toBe(1);
    const after = await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'k.txt' }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.VersionId).toBe(before.VersionId);
    expect(after.Metadata).toEqual({ author: 'Ada', project: 'x1' });
    expect(after.ContentType).toBe('text/plain');
    expect(await tagsOf(bucket.name, 'k.txt')).toHaveLength(2);
  });

  it('reports a missing object as a failure of that object only', async () => {
    const bucket = await bucketForTest();
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'here.txt', Body: 'x' }));
    const { runOperation } = await services();
    const outcome = await runOperation('details.editObjects', {
      bucket: bucket.name,
      keys: ['here.txt', 'gone.txt'],
      edit: { contentLanguage: 'de' },
    });
    expect(outcome).toMatchObject({ state: 'failed', done: 1, failedCount: 1 });
    expect(outcome.failures[0]?.key).toBe('gone.txt');
    expect(outcome.summary).toBe('Saved the changes to 1 object; 1 failed.');
    expect((await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'here.txt' }))).ContentLanguage).toBe(
      'de',
    );
  });
});

describe('limits and cancelling', () => {
  it('refuses an object above the single-copy limit, leaving it as it was', async () => {
    const bucket = await bucketForTest();
    await direct.send(
      new PutObjectCommand({ Bucket: bucket.name, Key: 'big.bin', Body: randomBytes(64), ContentType: 'a/b' }),
    );
    // The limit is 5 GB; lowered here so that a small object stands for a huge one.
    const edit = editObject(
      direct,
      bucket.name,
      'big.bin',
      { contentType: 'c/d' },
      async () => undefined,
      new AbortController().signal,
      {
        sizeLimit: 10,
      },
    );
    await expect(edit).rejects.toThrow(AppFailure);
    await expect(edit).rejects.toMatchObject({
      code: 'not-supported',
      message: expect.stringMatching(/over 5 GiB/) as unknown,
    });
    expect((await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'big.bin' }))).ContentType).toBe('a/b');
  });

  it('stops when cancelled, leaving the objects not reached as they were', async () => {
    const bucket = await bucketForTest();
    const keys = Array.from({ length: 40 }, (_, i) => `many/${String(i).padStart(2, '0')}.txt`);
    await Promise.all(
      keys.map((key) =>
        direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: key, ContentType: 'text/plain' })),
      ),
    );
    const { value, services: app } = await services();
    const finished = new Promise<{ state: string; done: number }>((resolve) => {
      app.bus.onAny((channel, payload) => {
        if (channel === 'operations.finished') resolve(payload as { state: string; done: number });
      });
    });
    const { operationId } = await value<{ operationId: string }>('details.editObjects', {
      bucket: bucket.name,
      keys: ['many/'],
      edit: { contentType: 'text/csv' },
    });
    expect(await value('operations.cancel', { operationId }, { account: false })).toEqual({ cancelled: true });
    const outcome = await finished;
    expect(outcome.state).toBe('cancelled');
    expect(outcome.done).toBeLessThan(40);
    const types = await Promise.all(
      keys.map(
        async (key) => (await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key }))).ContentType,
      ),
    );
    expect(types.filter((type) => type === 'text/csv').length).toBe(outcome.done);
    expect(types.filter((type) => type === 'text/plain').length).toBe(40 - outcome.done);
  });
});

describe('details.setTags', () => {
  it('replaces the tags of several objects, and an empty set deletes them', async () => {
    const bucket = await bucketForTest();
    await richObject(bucket.name, 'a.txt', Buffer.from('a'));
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'b.txt', Body: 'b' }));
    const { runOperation } = await services();
    const tags = [
      { key: 'owner', value: 'Zoe Smith' },
      { key: 'path/to', value: 'a=b' },
    ];
    const set = await runOperation('details.setTags', { bucket: bucket.name, keys: ['a.txt', 'b.txt'], tags });
    expect(set).toMatchObject({ kind: 'edit-tags', state: 'finished', done: 2 });
    for (const key of ['a.txt', 'b.txt']) {
      expect(await tagsOf(bucket.name, key)).toEqual(
        expect.arrayContaining([
          { Key: 'owner', Value: 'Zoe Smith' },
          { Key: 'path/to', Value: 'a=b' },
        ]),
      );
      expect(await tagsOf(bucket.name, key)).toHaveLength(2);
    }
    // S3 takes any letter in a tag; MinIO only ASCII: its refusal is said per object, in words.
    const accented = await runOperation('details.setTags', {
      bucket: bucket.name,
      keys: ['b.txt'],
      tags: [{ key: 'owner', value: 'Zoë' }],
    });
    expect(accented).toMatchObject({ state: 'failed', done: 0, failedCount: 1 });
    expect(accented.failures[0]?.message).toMatch(/^The service refused these tags .*only ASCII/);
    expect(await tagsOf(bucket.name, 'b.txt')).toHaveLength(2);

    const cleared = await runOperation('details.setTags', { bucket: bucket.name, keys: ['a.txt'], tags: [] });
    expect(cleared).toMatchObject({ state: 'finished', done: 1 });
    expect(await tagsOf(bucket.name, 'a.txt')).toEqual([]);
    expect((await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'a.txt' }))).Metadata).toEqual({
      author: 'Ada',
      project: 'x1',
    });
  });
});

describe('details.bucket', () => {
  it('tells a versioned bucket from an unversioned one, and turns versioning on and off', async () => {
    const versioned = await bucketForTest({ versioning: true });
    const plain = await bucketForTest();
    const { value } = await services();
    expect(await value<BucketDetails>('details.bucket', { bucket: versioned.name })).toEqual({
      name: versioned.name,
      region: 'us-east-1',
      versioning: { available: true, value: 'enabled' },
      defaultEncryption: { available: true, value: null },
    });
    expect(await value<BucketDetails>('details.bucket', { bucket: plain.name })).toMatchObject({
      versioning: { available: true, value: 'never-enabled' },
    });
    expect(
      await value<BucketDetails>('details.setVersioning', { bucket: plain.name, status: 'enabled' }),
    ).toMatchObject({ versioning: { available: true, value: 'enabled' } });
    await direct.send(new PutObjectCommand({ Bucket: plain.name, Key: 'x', Body: '1' }));
    await direct.send(new PutObjectCommand({ Bucket: plain.name, Key: 'x', Body: '2' }));
    expect(await versionCount(plain.name, 'x')).toBe(2);
    expect(
      await value<BucketDetails>('details.setVersioning', { bucket: plain.name, status: 'suspended' }),
    ).toMatchObject({ versioning: { available: true, value: 'suspended' } });
  });

  it('counts the objects and bytes of a folder, page after page', async () => {
    const bucket = await bucketForTest();
    const sizes = [10, 200, 3000, 1, 7];
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'f/', Body: '' }));
    for (const [i, size] of sizes.entries()) {
      await direct.send(
        new PutObjectCommand({ Bucket: bucket.name, Key: `f/${i % 2 ? 'sub/' : ''}${i}.bin`, Body: randomBytes(size) }),
      );
    }
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'other.bin', Body: randomBytes(99) }));
    const { value } = await services();
    expect(await value('details.folderSize', { bucket: bucket.name, prefix: 'f/' })).toEqual({
      objects: 5,
      bytes: 3218,
    });
    expect(await value('details.folderSize', { bucket: bucket.name, prefix: '' })).toEqual({
      objects: 6,
      bytes: 3317,
    });
    // Two keys a page: the sum must come from every page.
    expect(await folderSize(direct, bucket.name, 'f/', { pageSize: 2 })).toEqual({ objects: 5, bytes: 3218 });
  });
});

describe('previews', () => {
  it('reads the first bytes of a text as UTF-8, never a cut character, and says when there is more', async () => {
    const bucket = await bucketForTest();
    // "é" is two bytes: with 5 bytes allowed, "aaaé" would cut it in half.
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 't.txt', Body: 'aaaébbb' }));
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'short.txt', Body: 'Grüße' }));
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'empty.txt', Body: '' }));
    const { value } = await services();
    expect(await value('details.previewText', { bucket: bucket.name, key: 't.txt', maxBytes: 4 })).toEqual({
      text: 'aaa',
      truncated: true,
    });
    expect(await value('details.previewText', { bucket: bucket.name, key: 't.txt', maxBytes: 5 })).toEqual({
      text: 'aaaé',
      truncated: true,
    });
    expect(await value('details.previewText', { bucket: bucket.name, key: 'short.txt' })).toEqual({
      text: 'Grüße',
      truncated: false,
    });
    expect(await value('details.previewText', { bucket: bucket.name, key: 'short.txt', maxBytes: 7 })).toEqual({
      text: 'Grüße',
      truncated: false,
    });
    expect(await value('details.previewText', { bucket: bucket.name, key: 'empty.txt' })).toEqual({
      text: '',
      truncated: false,
    });
  });

  it('gives a 15-minute URL the panel streams ranges from', async () => {
    const bucket = await bucketForTest();
    const body = randomBytes(10_000);
    await direct.send(
      new PutObjectCommand({ Bucket: bucket.name, Key: 'v.mp4', Body: body, ContentType: 'video/mp4' }),
    );
    const { value } = await services();
    const { url } = await value<{ url: string }>('details.previewUrl', { bucket: bucket.name, key: 'v.mp4' });
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.toLowerCase()).not.toContain('checksum');
    const ranged = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(body.subarray(100, 200))).toBe(true);
    expect(ranged.headers.get('content-type')).toBe('video/mp4');
  });
});

describe('customer keys (SSE-C)', () => {
  it('stores a key, shows only its fingerprint, keeps it out of the log, and removes it', async () => {
    const logFolder = await mkdtemp(join(tmpdir(), 's3fm-sse-log-'));
    folders.push(logFolder);
    const logger = createFileLogger(join(logFolder, 'main.log'));
    const { value, call } = await services({ logger });
    const key = randomBytes(32);
    const base64 = key.toString('base64');
    expect(await value<CustomerKeyStatus>('sse.status', {})).toEqual({ hasKey: false, fingerprint: null });
    const stored = await value<CustomerKeyStatus>('sse.setKey', { key: base64 });
    const fingerprint = createHash('md5').update(key).digest('base64');
    expect(stored).toEqual({ hasKey: true, fingerprint });
    expect(await value('sse.status', {})).toEqual({ hasKey: true, fingerprint });
    logger.info('a line that mentions the key by mistake', { key: base64 });
    await logger.flush();
    const log = await readFile(join(logFolder, 'main.log'), 'utf8');
    expect(log).toContain('customer key stored');
    expect(log).not.toContain(base64);
    expect(log).toContain('[redacted]');

    expect(await call('sse.setKey', { key: base64.slice(1) })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await value('sse.status', {})).toEqual({ hasKey: true, fingerprint });
    expect(await value('sse.removeKey', {})).toEqual({ hasKey: false, fingerprint: null });
    expect(await value('sse.status', {})).toEqual({ hasKey: false, fingerprint: null });
  });
});
