import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BucketDetails, ObjectDetails } from '../../../shared/details';
import { startS3rver, type RunningS3rver } from '../../../../scripts/s3rver';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForTestServer } from './test-services';

// A feature the service lacks shows as unavailable, with why, never as an error.

describe('behind a proxy that answers as a service without tags, ACLs or versioning', () => {
  const s3 = inject('s3');
  const direct = s3ClientFor(s3);
  let proxy: FaultProxy;
  let bucket: FreshBucket;
  let app: Awaited<ReturnType<typeof servicesForTestServer>>;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: s3.endpoint });
    proxy.addFault({
      match: { queryHas: 'tagging' },
      fault: { kind: 'status', status: 501, code: 'NotImplemented' },
    });
    proxy.addFault({ match: { queryHas: 'acl' }, fault: { kind: 'status', status: 403, code: 'AccessDenied' } });
    proxy.addFault({
      match: { queryHas: 'versioning' },
      fault: { kind: 'status', status: 405, code: 'MethodNotAllowed' },
    });
    proxy.addFault({
      match: { queryHas: 'encryption' },
      fault: { kind: 'status', status: 501, code: 'NotImplemented' },
    });
    bucket = await freshBucket(s3);
    await direct.send(
      new PutObjectCommand({ Bucket: bucket.name, Key: 'a.txt', Body: 'hello', ContentType: 'text/plain' }),
    );
    app = await servicesForTestServer({ ...s3, endpoint: proxy.url });
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
    await bucket?.cleanup();
    direct.destroy();
  });

  it('shows an object with tags and ACL unavailable, each with its reason', async () => {
    const details = await app.value<ObjectDetails>('details.object', { bucket: bucket.name, key: 'a.txt' });
    expect(details).toMatchObject({ size: 5, contentType: 'text/plain' });
    expect(details.tags).toEqual({ available: false, reason: 'This service does not support object tags.' });
    expect(details.acl).toEqual({
      available: false,
      reason: 'This account may not read access control lists (ACLs).',
    });
    // The panel's requests really went out and were answered by the "service".
    expect(proxy.requests.some((r) => r.query.has('tagging') && r.status === 501)).toBe(true);
  });

  it('shows a bucket with versioning and default encryption unavailable; turning versioning on says why not', async () => {
    const details = await app.value<BucketDetails>('details.bucket', { bucket: bucket.name });
    expect(details).toEqual({
      name: bucket.name,
      region: 'us-east-1',
      // The capability probe (a 405 answer) or the details read itself says so, in either's words.
      versioning: {
        available: false,
        reason: expect.stringMatching(/^This service does not (support|allow) versioning/),
      },
      defaultEncryption: { available: false, reason: 'This service does not support default encryption settings.' },
    });
    const result = await app.call('details.setVersioning', { bucket: bucket.name, status: 'enabled' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'not-supported',
        message: expect.stringMatching(/^This service does not (support|allow) versioning/),
      },
    });
  });

  it('edits metadata where ACLs are missing; a tag edit stops at once with the reason', async () => {
    const edit = await app.runOperation('details.editObjects', {
      bucket: bucket.name,
      keys: ['a.txt'],
      edit: { contentType: 'text/markdown' },
    });
    expect(edit).toMatchObject({ state: 'finished', done: 1 });
    expect((await direct.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'a.txt' }))).ContentType).toBe(
      'text/markdown',
    );
    const tags = await app.runOperation('details.setTags', {
      bucket: bucket.name,
      keys: ['a.txt'],
      tags: [{ key: 'a', value: 'b' }],
    });
    // Known missing after the first refusal (or the details read): said once, not once per object.
    expect(tags.state).toBe('failed');
    expect(tags.summary).toContain('This service does not support object tags.');
  });
});

describe('s3rver', () => {
  let server: RunningS3rver;
  let app: Awaited<ReturnType<typeof servicesForTestServer>>;
  let client: S3Client;

  beforeAll(async () => {
    server = await startS3rver();
    client = new S3Client({
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await client.send(new CreateBucketCommand({ Bucket: 'plain' }));
    await client.send(
      new PutObjectCommand({ Bucket: 'plain', Key: 'b.bin', Body: randomBytes(300), CacheControl: 'no-store' }),
    );
    app = await servicesForTestServer(server, { settings: { provider: 'other' } });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    client?.destroy();
    await server?.stop();
  });

  it('shows the object, and default encryption as unavailable instead of an error', async () => {
    const details = await app.value<ObjectDetails>('details.object', { bucket: 'plain', key: 'b.bin' });
    expect(details).toMatchObject({ size: 300, cacheControl: 'no-store', checksum: null, versionId: null });
    const bucket = await app.value<BucketDetails>('details.bucket', { bucket: 'plain' });
    expect(bucket.defaultEncryption).toEqual({
      available: false,
      reason: 'This service does not support default encryption settings.',
    });
    expect(await app.value('details.folderSize', { bucket: 'plain', prefix: '' })).toEqual({ objects: 1, bytes: 300 });
  });
});
