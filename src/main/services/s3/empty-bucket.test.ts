import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationContext } from '../operations/operation-registry';
import { deleteBucketWithContents } from './empty-bucket';

// No server we run can be made to answer a version listing "truncated" with the same marker
// for ever, so a tiny HTTP server here does: every ListObjectVersions gets the same page, and
// DeleteObjects succeeds. The app's real S3 client talks to it.

let server: http.Server;
let endpoint: string;
let listings = 0;

const stuckPage = `<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>stuck</Name><Prefix></Prefix><KeyMarker>a.txt</KeyMarker><VersionIdMarker>v1</VersionIdMarker>
  <NextKeyMarker>a.txt</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker>
  <MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>
  <Version><Key>a.txt</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><Size>1</Size></Version>
</ListVersionsResult>`;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/xml');
      if (request.method === 'GET' && url.searchParams.has('versions')) {
        listings += 1;
        response.end(stuckPage);
      } else if (request.method === 'POST' && url.searchParams.has('delete')) {
        response.end('<?xml version="1.0" encoding="UTF-8"?><DeleteResult></DeleteResult>');
      } else {
        response.statusCode = 501;
        response.end('<Error><Code>NotImplemented</Code><Message>not here</Message></Error>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('deleting a bucket whose version listing never ends', () => {
  it('stops with a clear error instead of asking for ever', { timeout: 10_000 }, async () => {
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1,
    });
    const context: OperationContext = {
      signal: new AbortController().signal,
      setTotal: () => undefined,
      advance: () => undefined,
      fail: () => undefined,
    };
    await expect(deleteBucketWithContents(client, 'stuck', context)).rejects.toThrow(
      'The service answered the version listing of stuck with the same page again: it was stopped after 2 pages, so as not to ask for ever.',
    );
    expect(listings).toBe(2);
    client.destroy();
  });
});
