import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, type FreshBucket } from '../../../../test/s3-fixtures';
import { singleAttempt, withPayloadSha256 } from './s3-attempt';
import { createS3Client } from '../s3/s3-client';

/**
 * What the transfer queue asks of one send (s3-attempt.ts: a single attempt, body progress, a
 * payload hash known beforehand, an abort signal), seen at the server through the fault proxy,
 * also with many sends at once to two buckets and with a send made inside another's request.
 */
describe('one send as the transfer queue makes it', () => {
  const s3 = inject('s3');
  let proxy: FaultProxy;
  let client: S3Client;
  let bucket: FreshBucket;
  beforeAll(async () => {
    bucket = await freshBucket(s3);
    proxy = await startFaultProxy({ target: s3.endpoint });
    client = createS3Client({
      endpoint: proxy.url,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  });
  afterAll(async () => {
    client.destroy();
    await proxy.stop();
    await bucket.cleanup();
  });

  const requestsTo = (key: string) => proxy.requests.filter((r) => r.path.endsWith(`/${key}`));
  /** The next PUT of `key` is answered 503 SlowDown, a fault the SDK retries. */
  const slowDownOnce = (key: string) =>
    proxy.addFault({
      match: { method: 'PUT', pathIncludes: key },
      times: 1,
      fault: { kind: 'status', status: 503, code: 'SlowDown' },
    });

  it('a single attempt is one request; the same command without it is retried by the SDK', async () => {
    const Bucket = bucket.name;
    slowDownOnce('single.txt');
    const failed = await client
      .send(singleAttempt(new PutObjectCommand({ Bucket, Key: 'single.txt', Body: 'x' })))
      .then(
        () => 'stored',
        (error: Error) => error.name,
      );
    expect(failed).toBe('SlowDown');
    expect(requestsTo('single.txt')).toHaveLength(1);

    slowDownOnce('retried.txt');
    await client.send(new PutObjectCommand({ Bucket, Key: 'retried.txt', Body: 'y' }));
    expect(requestsTo('retried.txt').map((r) => r.status)).toEqual([503, 200]);
    // A single attempt sent after a retried one is still one request (nothing leaks between sends).
    slowDownOnce('single-again.txt');
    await expect(
      client.send(singleAttempt(new PutObjectCommand({ Bucket, Key: 'single-again.txt', Body: 'z' }))),
    ).rejects.toThrow();
    expect(requestsTo('single-again.txt')).toHaveLength(1);
  });

  it('body progress counts every byte, and the payload hash given is the one signed', async () => {
    const Bucket = bucket.name;
    const body = Buffer.alloc(1_300_000, 3);
    const sha256 = createHash('sha256').update(body).digest();
    let counted = 0;
    const command = withPayloadSha256(
      singleAttempt(new PutObjectCommand({ Bucket, Key: 'counted.bin', Body: body }), (bytes) => (counted += bytes)),
      sha256,
    );
    await client.send(command);
    expect(counted).toBe(body.length);
    const put = requestsTo('counted.bin').at(-1);
    expect(put?.headers['x-amz-content-sha256']).toBe(sha256.toString('hex'));
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: 'counted.bin' }));
    expect(head.ContentLength).toBe(body.length);

    // A wrong hash is refused by the server: the header is what it checks the bytes against.
    const wrong = withPayloadSha256(
      new PutObjectCommand({ Bucket, Key: 'wrong-hash.bin', Body: body }),
      createHash('sha256').update('something else').digest(),
    );
    await expect(client.send(wrong)).rejects.toThrow();
    await expect(client.send(new HeadObjectCommand({ Bucket, Key: 'wrong-hash.bin' }))).rejects.toThrow();
    // And a plain send after those carries neither the hash nor the counter.
    await client.send(new PutObjectCommand({ Bucket, Key: 'plain.txt', Body: 'plain' }));
    expect(requestsTo('plain.txt').at(-1)?.headers['x-amz-content-sha256']).not.toBe(sha256.toString('hex'));
    expect(counted).toBe(body.length);
  });

  it('with the SHA-256 sent as checksum: the payload goes unsigned, the checksum is signed, and bytes that do not match it are refused', async () => {
    const Bucket = bucket.name;
    const body = Buffer.alloc(700_000, 9);
    const sha256 = createHash('sha256').update(body).digest();
    const put = (Key: string, checksum: Buffer) =>
      client.send(
        withPayloadSha256(
          new PutObjectCommand({ Bucket, Key, Body: body, ChecksumSHA256: checksum.toString('base64') }),
          sha256,
        ),
      );
    await put('checksummed.bin', sha256);
    const sent = requestsTo('checksummed.bin').at(-1);
    expect(sent?.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(sent?.headers['x-amz-checksum-sha256']).toBe(sha256.toString('base64'));
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(sent?.headers.authorization))?.[1]?.split(';');
    expect(signedHeaders).toContain('x-amz-checksum-sha256');
    const stored = await client.send(new GetObjectCommand({ Bucket, Key: 'checksummed.bin' }));
    expect(
      createHash('sha256')
        .update(await stored.Body!.transformToByteArray())
        .digest(),
    ).toEqual(sha256);

    // The checksum is what binds the bytes now: one that does not match them is refused.
    await expect(put('mismatch.bin', createHash('sha256').update('other bytes').digest())).rejects.toThrow();
    await expect(client.send(new HeadObjectCommand({ Bucket, Key: 'mismatch.bin' }))).rejects.toThrow();
  });

  it("a send made inside another's request does not inherit its hash, counter or single attempt", async () => {
    const Bucket = bucket.name;
    const body = Buffer.alloc(200_000, 5);
    let counted = 0;
    let inner: Promise<unknown> | undefined;
    client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'PutObjectCommand' && inner === undefined) {
          inner = client.send(new PutObjectCommand({ Bucket, Key: 'inner.txt', Body: 'inner bytes' }));
        }
        return next(args);
      },
      { step: 'build', name: 'testNestedSend' },
    );
    try {
      const outer = withPayloadSha256(
        singleAttempt(new PutObjectCommand({ Bucket, Key: 'outer.bin', Body: body }), (bytes) => (counted += bytes)),
        createHash('sha256').update(body).digest(),
      );
      await client.send(outer);
      await inner;
    } finally {
      client.middlewareStack.remove('testNestedSend');
    }
    expect(counted).toBe(body.length);
    const stored = await client.send(new GetObjectCommand({ Bucket, Key: 'inner.txt' }));
    expect(await stored.Body?.transformToString()).toBe('inner bytes');
  });

  it('concurrent sends to two buckets keep each its own bucket, bytes, hash and counter', async () => {
    const second = await freshBucket(s3);
    try {
      const jobs = Array.from({ length: 40 }, (_, i) => {
        const Bucket = i % 2 === 0 ? bucket.name : second.name;
        const body = Buffer.alloc(50_000 + i * 997, i);
        return { Bucket, Key: `many/${i}.bin`, body, counted: 0 };
      });
      await Promise.all(
        jobs.map((job) =>
          client.send(
            withPayloadSha256(
              singleAttempt(
                new PutObjectCommand({ Bucket: job.Bucket, Key: job.Key, Body: job.body }),
                (bytes) => (job.counted += bytes),
              ),
              createHash('sha256').update(job.body).digest(),
            ),
            { abortSignal: new AbortController().signal },
          ),
        ),
      );
      for (const job of jobs) {
        expect(job.counted).toBe(job.body.length);
        const other = job.Bucket === bucket.name ? second.name : bucket.name;
        const stored = await client.send(new GetObjectCommand({ Bucket: job.Bucket, Key: job.Key }));
        expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(job.body)).toBe(true);
        await expect(client.send(new HeadObjectCommand({ Bucket: other, Key: job.Key }))).rejects.toThrow();
      }
    } finally {
      await second.cleanup();
    }
  });

  it('an abort signal given to send ends a stalled request at once, with no retry', async () => {
    const Bucket = bucket.name;
    await client.send(new PutObjectCommand({ Bucket, Key: 'stalled.txt', Body: 'stalled' }));
    proxy.addFault({ match: { method: 'GET', pathIncludes: 'stalled.txt' }, times: 1, fault: { kind: 'stall' } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 300);
    const result = await client
      .send(new GetObjectCommand({ Bucket, Key: 'stalled.txt' }), { abortSignal: controller.signal })
      .then(
        () => 'answered',
        (error: Error) => error.message,
      );
    expect(result).toMatch(/cancel|abort/i);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(requestsTo('stalled.txt').filter((r) => r.method === 'GET')).toHaveLength(1);
  });
});
