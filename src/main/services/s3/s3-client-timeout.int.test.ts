import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { classifyS3Error } from './classify-s3-error';
import { createS3Client } from './s3-client';

describe('a server that stops answering', () => {
  const s3 = inject('s3');
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: s3.endpoint });
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('fails the request with a timeout instead of hanging the app', async () => {
    proxy.addFault({ match: { method: 'GET' }, fault: { kind: 'stall' } });
    const client = createS3Client({
      endpoint: proxy.url,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      requestTimeoutMs: 500,
    });
    const started = Date.now();
    const error: unknown = await client.send(new ListBucketsCommand({})).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    const elapsed = Date.now() - started;
    client.destroy();
    expect(error).toBeDefined();
    // maxAttempts 3: three idle timeouts of 0.5 s, plus the SDK's backoff between them.
    expect(elapsed).toBeLessThan(6_000);
    expect(classifyS3Error(error)?.code).toMatch(/^(timeout|network)$/);
  });
});
