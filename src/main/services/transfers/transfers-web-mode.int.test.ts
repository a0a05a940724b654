import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';

describe('uploads asked for by a browser (web mode)', () => {
  const s3 = inject('s3');
  let bucket: FreshBucket;
  let folder: string;
  beforeAll(async () => {
    bucket = await freshBucket(s3);
    folder = await mkdtemp(join(tmpdir(), 's3fm-web-paths-'));
  });
  afterAll(async () => {
    await bucket.cleanup();
    await rm(folder, { recursive: true, force: true });
  });

  it('are refused when they name local paths: a browser sends bytes through a spool', async () => {
    const file = join(folder, 'private.txt');
    await writeFile(file, 'not for the page');
    // servicesForLaunchAccount dispatches as the WebSocket host does.
    const { call } = servicesForLaunchAccount(s3);
    const source = { kind: 'paths', paths: [file] };
    const requests = [
      ['transfers.uploadConflicts', { bucket: bucket.name, prefix: '', source }],
      ['transfers.upload', { bucket: bucket.name, prefix: '', source, onConflict: 'replace' }],
    ] as const;
    for (const [channel, input] of requests) {
      const result = await call(channel, input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-input');
        expect(result.error.message).toContain('web mode');
      }
    }
    const listed = await s3ClientFor(s3).send(new ListObjectsV2Command({ Bucket: bucket.name }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });
});
