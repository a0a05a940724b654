import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  CreateMultipartUploadCommand,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from './s3-fixtures';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

// Each fault kind, shown through a real S3 client talking to the real MinIO through the proxy.
describe('the fault-injecting proxy', () => {
  const s3 = inject('s3');
  const direct = s3ClientFor(s3);
  let proxy: FaultProxy;
  let bucket: FreshBucket;
  const clients: S3Client[] = [];

  /** A client for the proxy, as the app configures one; no retries unless asked, so each fault is seen once. */
  function viaProxy(options: { maxAttempts?: number; socketTimeout?: number } = {}): S3Client {
    const client = new S3Client({
      endpoint: proxy.url,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: options.maxAttempts ?? 1,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: 5000,
        // Inactivity timeout. (`requestTimeout` only logs a warning in @smithy/node-http-handler 4.x
        // unless throwOnRequestTimeout is set.)
        socketTimeout: options.socketTimeout ?? 20_000,
      }),
    });
    clients.push(client);
    return client;
  }

  async function readObject(key: string): Promise<Buffer | undefined> {
    try {
      const got = await direct.send(new GetObjectCommand({ Bucket: bucket.name, Key: key }));
      return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    } catch (err) {
      if (err instanceof Error && err.name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  beforeEach(async () => {
    proxy = await startFaultProxy({ target: s3.endpoint });
    bucket = await freshBucket(s3);
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await proxy.stop();
    await bucket.cleanup();
  });

  it('passes normal traffic through byte-identical, Host unchanged, and records it', async () => {
    const client = viaProxy();
    const body = randomBytes(6 * 1024 * 1024 + 17);

    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'dir/a b+ü.bin', Body: body }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket.name, Key: 'dir/a b+ü.bin' }));
    const viaProxyBytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    const stored = await readObject('dir/a b+ü.bin');

    expect(sha256(viaProxyBytes)).toBe(sha256(body));
    expect(stored && sha256(stored)).toBe(sha256(body));
    expect(proxy.requests.map((r) => [r.method, r.path, r.status, r.faulted])).toEqual([
      ['PUT', `/${bucket.name}/dir/a b+ü.bin`, 200, null],
      ['GET', `/${bucket.name}/dir/a b+ü.bin`, 200, null],
    ]);
    expect(proxy.requests[0]?.headers.host).toBe(`127.0.0.1:${proxy.port}`);
  });

  it('answers a matching request with an S3 error that the SDK reports by its code', async () => {
    const client = viaProxy();
    proxy.addFault({ match: { method: 'PUT' }, fault: { kind: 'status', status: 503, code: 'SlowDown' } });

    const error = await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'k', Body: 'hello' })).then(
      () => undefined,
      (err: unknown) => err as Error & { $metadata?: { httpStatusCode?: number } },
    );

    expect(error?.name).toBe('SlowDown');
    expect(error?.$metadata?.httpStatusCode).toBe(503);
    // Not forwarded: nothing landed in the bucket.
    expect(await readObject('k')).toBeUndefined();
    expect(proxy.requests.map((r) => [r.method, r.status, r.faulted])).toEqual([['PUT', 503, 'status']]);
  });

  it('injected errors on HEAD carry no body and still reach the SDK by status', async () => {
    const client = viaProxy();
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'h', Body: 'x' }));
    proxy.addFault({ match: { method: 'HEAD' }, fault: { kind: 'status', status: 403, code: 'AccessDenied' } });

    const error = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'h' })).then(
      () => undefined,
      (err: unknown) => err as Error & { $metadata?: { httpStatusCode?: number } },
    );

    expect(error?.$metadata?.httpStatusCode).toBe(403);
  });

  it('affects only as many matching requests as `times` says; later ones pass', async () => {
    const client = viaProxy();
    proxy.addFault({
      match: { method: 'PUT', pathIncludes: '/only-' },
      times: 1,
      fault: { kind: 'status', status: 503, code: 'SlowDown' },
    });

    const first = await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'only-1', Body: 'one' })).then(
      () => 'ok',
      (err: Error) => err.name,
    );
    const second = await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'only-2', Body: 'two' })).then(
      () => 'ok',
      (err: Error) => err.name,
    );

    expect([first, second]).toEqual(['SlowDown', 'ok']);
    expect((await readObject('only-1'))?.toString()).toBeUndefined();
    expect((await readObject('only-2'))?.toString()).toBe('two');
    expect(proxy.requests.map((r) => r.faulted)).toEqual(['status', null]);
  });

  it('lets the SDK retry past a fault limited by `times`, and records every attempt', async () => {
    const client = viaProxy({ maxAttempts: 3 });
    proxy.addFault({ match: { method: 'PUT' }, times: 2, fault: { kind: 'status', status: 503, code: 'SlowDown' } });

    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'r', Body: 'retried' }));

    expect((await readObject('r'))?.toString()).toBe('retried');
    expect(proxy.requests.map((r) => [r.status, r.faulted])).toEqual([
      [503, 'status'],
      [503, 'status'],
      [200, null],
    ]);
  });

  it('matches on query parameters, headers and a predicate', async () => {
    const client = viaProxy();
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket.name, Key: 'mp' }));
    proxy.addFault({
      match: { method: 'PUT', queryHas: 'partNumber', predicate: (r) => r.query.get('partNumber') === '2' },
      fault: { kind: 'status', status: 500, code: 'InternalError' },
    });
    proxy.addFault({
      match: { header: 'X-Amz-Copy-Source' },
      fault: { kind: 'status', status: 403, code: 'AccessDenied' },
    });

    const part = randomBytes(5 * 1024 * 1024);
    const one = await client.send(
      new UploadPartCommand({ Bucket: bucket.name, Key: 'mp', UploadId: created.UploadId, PartNumber: 1, Body: part }),
    );
    const two = await client
      .send(
        new UploadPartCommand({
          Bucket: bucket.name,
          Key: 'mp',
          UploadId: created.UploadId,
          PartNumber: 2,
          Body: part,
        }),
      )
      .then(
        () => 'ok',
        (err: Error) => err.name,
      );
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket.name, Key: 'mp', UploadId: created.UploadId }));

    expect(one.ETag).toBeTruthy();
    expect(two).toBe('InternalError');
    expect(proxy.requests.map((r) => r.faulted)).toEqual([null, null, 'status', null]);
  });

  it('cuts the connection mid-body: the SDK sees a network error and nothing is stored', async () => {
    const client = viaProxy();
    proxy.addFault({ match: { method: 'PUT' }, fault: { kind: 'cut', afterBytes: 1024 * 1024 } });
    const body = randomBytes(5 * 1024 * 1024);

    const error = await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'cut', Body: body })).then(
      () => undefined,
      (err: unknown) => err as NodeJS.ErrnoException & { $metadata?: { httpStatusCode?: number } },
    );

    expect(error).toBeDefined();
    expect(['ECONNRESET', 'EPIPE']).toContain(error?.code);
    expect(error?.$metadata?.httpStatusCode).toBeUndefined();
    expect(await readObject('cut')).toBeUndefined();
    expect(proxy.requests.map((r) => [r.status, r.faulted])).toEqual([[null, 'cut']]);
  });

  it('cuts at once with afterBytes 0: the request never reaches the server', async () => {
    const client = viaProxy();
    proxy.addFault({ match: { method: 'PUT' }, fault: { kind: 'cut', afterBytes: 0 } });

    const error = await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'zero', Body: 'small' })).then(
      () => undefined,
      (err: unknown) => err as NodeJS.ErrnoException,
    );

    expect(['ECONNRESET', 'EPIPE']).toContain(error?.code);
    expect(await readObject('zero')).toBeUndefined();
  });

  it('recovers from a cut when the SDK retries and the cut happens once', async () => {
    const client = viaProxy({ maxAttempts: 3 });
    proxy.addFault({ match: { method: 'PUT' }, times: 1, fault: { kind: 'cut', afterBytes: 64 * 1024 } });
    const body = randomBytes(1024 * 1024);

    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'again', Body: body }));

    const stored = await readObject('again');
    expect(stored && sha256(stored)).toBe(sha256(body));
    expect(proxy.requests.map((r) => [r.status, r.faulted])).toEqual([
      [null, 'cut'],
      [200, null],
    ]);
  });

  it('cuts the response body after some bytes: the reader fails, the object is intact', async () => {
    const client = viaProxy();
    const body = randomBytes(2 * 1024 * 1024);
    await direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'big', Body: body }));
    proxy.addFault({ match: { method: 'GET' }, fault: { kind: 'cut-response', afterBytes: 100_000 } });

    // The headers arrive (send resolves); reading the body fails part-way.
    const got = await client.send(new GetObjectCommand({ Bucket: bucket.name, Key: 'big' }));
    let received = 0;
    const outcome = await (async () => {
      for await (const chunk of got.Body as AsyncIterable<Buffer>) received += chunk.length;
      return 'complete';
    })().catch((err: Error) => err.message);

    expect(outcome).not.toBe('complete');
    expect(received).toBe(100_000);
    expect(proxy.requests.map((r) => [r.status, r.faulted])).toEqual([[200, 'cut-response']]);
    expect((await readObject('big'))?.equals(body)).toBe(true);
  });

  it('stalls: a client with a short request timeout times out', async () => {
    const client = viaProxy({ socketTimeout: 500 });
    proxy.addFault({ match: { method: 'GET', queryHas: 'list-type' }, fault: { kind: 'stall' } });

    const started = Date.now();
    const error = await client.send(new ListObjectsV2Command({ Bucket: bucket.name })).then(
      () => undefined,
      (err: unknown) => err as Error,
    );

    expect(error?.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(proxy.requests.map((r) => [r.status, r.faulted])).toEqual([[null, 'stall']]);
  });

  it('stalls for ms then drops the connection', async () => {
    const client = viaProxy();
    proxy.addFault({ match: { method: 'GET' }, fault: { kind: 'stall', ms: 300 } });

    const started = Date.now();
    const error = await client.send(new ListObjectsV2Command({ Bucket: bucket.name })).then(
      () => undefined,
      (err: unknown) => err as NodeJS.ErrnoException,
    );

    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(error?.code).toBe('ECONNRESET');
  });

  it('delays a request, then forwards it', async () => {
    const client = viaProxy();
    proxy.addFault({ match: { method: 'PUT' }, fault: { kind: 'delay', ms: 400 } });

    const started = Date.now();
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'late', Body: 'later' }));

    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect((await readObject('late'))?.toString()).toBe('later');
    expect(proxy.requests.map((r) => [r.status, r.faulted])).toEqual([[200, 'delay']]);
  });

  it('throttles request bodies to the set rate, and clearFaults/setThrottle(null) restore full speed', async () => {
    const client = viaProxy();
    proxy.addFault({ match: { method: 'PUT' }, fault: { kind: 'status', status: 503, code: 'SlowDown' } });
    proxy.clearFaults();
    proxy.setThrottle(256 * 1024);
    const body = randomBytes(512 * 1024);

    const started = Date.now();
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'slow', Body: body }));
    const throttledMs = Date.now() - started;
    proxy.setThrottle(null);
    const again = Date.now();
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'fast', Body: body }));
    const freeMs = Date.now() - again;

    // 512 KiB at 256 KiB/s: about 2 s.
    expect(throttledMs).toBeGreaterThanOrEqual(1800);
    expect(freeMs).toBeLessThan(1000);
    expect((await readObject('slow'))?.equals(body)).toBe(true);
  });

  it('stop() closes connections that are still open', async () => {
    proxy.addFault({ match: {}, fault: { kind: 'stall' } });
    const pending = new Promise<string>((resolve) => {
      const req = http.get(`${proxy.url}/anything`, () => resolve('answered'));
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    await new Promise((r) => setTimeout(r, 100));

    await proxy.stop();

    expect(await pending).toBe('ECONNRESET');
  });
});
