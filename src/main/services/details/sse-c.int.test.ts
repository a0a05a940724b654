import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectDetails } from '../../../shared/details';
import type { ShareLink } from '../../../shared/share';
import type { RunningS3 } from '../../../../scripts/minio';
import { startTlsMinio, type TlsMinio } from '../../../../test/tls-minio';
import { customerKeyParams, CUSTOMER_KEY_MISMATCH, CUSTOMER_KEY_MISSING } from './sse-c';
import { servicesForTestServer } from './test-services';

// MinIO accepts SSE-C only over TLS: this file runs a second MinIO with a self-signed certificate.
describe('SSE-C round trip (MinIO over TLS)', () => {
  let tls: TlsMinio | undefined;
  let minio: RunningS3;
  let pem: string;
  let direct: S3Client;
  let app: Awaited<ReturnType<typeof servicesForTestServer>>;
  const bucket = 'ssec-test';
  const key = randomBytes(32);
  const body = randomBytes(20_000);

  beforeAll(async () => {
    tls = await startTlsMinio('s3fm-ssec-', bucket);
    ({ minio, pem, direct } = tls);
    await direct.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'secret/report.txt',
        Body: body,
        ContentType: 'text/plain',
        CacheControl: 'private',
        Metadata: { owner: 'ada' },
        Tagging: 'class=secret',
        ...customerKeyParams(key),
      }),
    );
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'plain' }));
    // The account trusts the server's self-signed certificate, as a person would in the account form.
    app = await servicesForTestServer(minio, { settings: { trustedCertificatePem: pem } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await tls?.stop();
  });

  const readWithKey = async (customerKey: Buffer) => {
    const got = await direct.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'secret/report.txt', ...customerKeyParams(customerKey) }),
    );
    return { bytes: Buffer.from((await got.Body?.transformToByteArray()) ?? []), output: got };
  };

  const statusWithoutKey = async (): Promise<number | undefined> => {
    try {
      await direct.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret/report.txt' }));
      return 200;
    } catch (error) {
      return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    }
  };

  it('without a stored key, details and edits say the key is needed', async () => {
    expect(minio.endpoint).toMatch(/^https:/);
    const details = await app.call('details.object', { bucket, key: 'secret/report.txt' });
    expect(details).toEqual({ ok: false, error: { code: 'access-denied', message: CUSTOMER_KEY_MISSING } });
    const edit = await app.runOperation('details.editObjects', {
      bucket,
      keys: ['secret/report.txt'],
      edit: { contentType: 'text/markdown' },
    });
    expect(edit).toMatchObject({ state: 'failed', done: 0, failures: [{ message: CUSTOMER_KEY_MISSING }] });
  });

  it('with the wrong key stored, says it is not the object’s key', async () => {
    await app.value('sse.setKey', { key: randomBytes(32).toString('base64') });
    const details = await app.call('details.object', { bucket, key: 'secret/report.txt' });
    expect(details).toEqual({ ok: false, error: { code: 'access-denied', message: CUSTOMER_KEY_MISMATCH } });
  });

  it('reads the details with the stored key, edits keep the object readable with it, and a GET without it fails', async () => {
    await app.value('sse.setKey', { key: key.toString('base64') });
    const details = await app.value<ObjectDetails>('details.object', { bucket, key: 'secret/report.txt' });
    expect(details).toMatchObject({
      size: body.length,
      contentType: 'text/plain',
      cacheControl: 'private',
      metadata: { owner: 'ada' },
      encryption: { customerKey: true },
      tags: { available: true, value: [{ key: 'class', value: 'secret' }] },
    });

    const outcome = await app.runOperation('details.editObjects', {
      bucket,
      keys: ['secret/report.txt'],
      edit: { contentType: 'text/markdown', metadata: { owner: 'ada', reviewed: 'yes' } },
    });
    expect(outcome).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });

    const { bytes, output } = await readWithKey(key);
    expect(bytes.equals(body)).toBe(true);
    expect(output).toMatchObject({
      ContentType: 'text/markdown',
      CacheControl: 'private',
      Metadata: { owner: 'ada', reviewed: 'yes' },
      SSECustomerAlgorithm: 'AES256',
    });
    expect(
      (await direct.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'secret/report.txt' }))).TagSet,
    ).toEqual([{ Key: 'class', Value: 'secret' }]);
    // Still encrypted with the customer key: without it, the service refuses.
    expect(await statusWithoutKey()).toBe(400);
    await expect(
      direct.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'secret/report.txt', ...customerKeyParams(randomBytes(32)) }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });

    const after = await app.value<ObjectDetails>('details.object', { bucket, key: 'secret/report.txt' });
    expect(after).toMatchObject({ contentType: 'text/markdown', encryption: { customerKey: true } });
  });

  it('previews text with the key; a preview URL and a share link say SSE-C cannot travel in a link', async () => {
    await app.value('sse.setKey', { key: key.toString('base64') });
    const preview = await app.value<{ text: string; truncated: boolean }>('details.previewText', {
      bucket,
      key: 'secret/report.txt',
      maxBytes: 100,
    });
    expect(Buffer.from(preview.text, 'utf8').length).toBeGreaterThan(0);
    expect(preview.truncated).toBe(true);

    const url = await app.call('details.previewUrl', { bucket, key: 'secret/report.txt' });
    expect(url).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    expect(JSON.stringify(url)).toMatch(/customer key \(SSE-C\)/);

    const links = await app.value<ShareLink[]>('share.getLinks', {
      bucket,
      keys: ['secret/report.txt', 'plain.txt'],
      expiresInSeconds: 600,
    });
    expect(links[0]?.notes).toEqual([
      expect.stringMatching(/encrypted with a customer key \(SSE-C\)\. A link cannot carry/),
    ]);
    expect(links[1]?.notes).toEqual([]);
  });
});
