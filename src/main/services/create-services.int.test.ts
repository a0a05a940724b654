import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, type FreshBucket } from '../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../test/services-for-launch-account';

const s3 = inject('s3');
const cleanups: FreshBucket[] = [];
afterEach(async () => {
  for (const bucket of cleanups.splice(0)) await bucket.cleanup();
});

/** Calls buckets.list for the launch account of services signing with the given keys. */
function listBuckets(keys: { secretAccessKey?: string; accessKeyId?: string } = {}) {
  return servicesForLaunchAccount({ ...s3, ...keys }).call('buckets.list', {});
}

describe('buckets.list against MinIO', () => {
  it('lists the buckets that exist on the server, sorted by name', async () => {
    const a = await freshBucket(s3);
    const b = await freshBucket(s3);
    cleanups.push(a, b);
    const result = await listBuckets();
    if (!result.ok) throw new Error(result.error.message);
    const names = (result.value as { name: string; createdAt: string | null }[]).map((bucket) => bucket.name);
    expect(names).toEqual(expect.arrayContaining([a.name, b.name]));
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
  });

  it('says the secret is wrong, without echoing it', async () => {
    const secret = 'wrong-secret-0123456789';
    const result = await listBuckets({ secretAccessKey: secret });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('says the access key is unknown', async () => {
    const result = await listBuckets({ accessKeyId: 'NOSUCHKEY' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
  });

  it('refuses an account id that does not exist', async () => {
    const result = await servicesForLaunchAccount(s3).callRaw('buckets.list', { accountId: 'nope' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
