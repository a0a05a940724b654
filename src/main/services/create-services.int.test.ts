import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, type FreshBucket } from '../../../test/s3-fixtures';
import { dispatch } from '../host/dispatch';
import { createServices } from './create-services';

const s3 = inject('s3');
const cleanups: FreshBucket[] = [];
afterEach(async () => {
  for (const bucket of cleanups.splice(0)) await bucket.cleanup();
});

/** Services with one account for the test server, with the given secret. */
function servicesFor(secretAccessKey = s3.secretAccessKey, accessKeyId = s3.accessKeyId) {
  return createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    accounts: [
      {
        summary: { id: 'minio', name: 'MinIO', endpoint: s3.endpoint },
        connection: { endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, accessKeyId, secretAccessKey },
      },
    ],
  });
}

describe('buckets.list against MinIO', () => {
  it('lists the buckets that exist on the server, sorted by name', async () => {
    const a = await freshBucket(s3);
    const b = await freshBucket(s3);
    cleanups.push(a, b);
    const result = await dispatch(servicesFor(), 'buckets.list', { accountId: 'minio' }, { host: 'ws' });
    if (!result.ok) throw new Error(result.error.message);
    const names = (result.value as { name: string; createdAt: string | null }[]).map((bucket) => bucket.name);
    expect(names).toEqual(expect.arrayContaining([a.name, b.name]));
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
  });

  it('says the secret is wrong, without echoing it', async () => {
    const secret = 'wrong-secret-0123456789';
    const result = await dispatch(servicesFor(secret), 'buckets.list', { accountId: 'minio' }, { host: 'ws' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('says the access key is unknown', async () => {
    const result = await dispatch(
      servicesFor(undefined, 'NOSUCHKEY'),
      'buckets.list',
      { accountId: 'minio' },
      { host: 'ws' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
  });

  it('refuses an account id that does not exist', async () => {
    const result = await dispatch(servicesFor(), 'buckets.list', { accountId: 'nope' }, { host: 'ws' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
