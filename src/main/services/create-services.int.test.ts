import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, type FreshBucket } from '../../../test/s3-fixtures';
import { dispatch } from '../host/dispatch';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountFromEnvironment } from './accounts/env-account';
import { createServices } from './create-services';
import { createSessionSecretStore } from './keychain/secret-store';
import { silentLogger } from './logging/logger';

const s3 = inject('s3');
const cleanups: FreshBucket[] = [];
afterEach(async () => {
  for (const bucket of cleanups.splice(0)) await bucket.cleanup();
});

/** Services with one launch account for the test server, with the given keys. */
function servicesFor(secretAccessKey = s3.secretAccessKey, accessKeyId = s3.accessKeyId) {
  const account = accountFromEnvironment({
    S3FM_ENDPOINT: s3.endpoint,
    S3FM_ACCESS_KEY_ID: accessKeyId,
    S3FM_SECRET_ACCESS_KEY: secretAccessKey,
  });
  return createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir: join(tmpdir(), 's3fm-unused'),
    keychain: createSessionSecretStore(),
    logger: silentLogger,
    launchAccounts: account ? [account] : [],
  });
}

describe('buckets.list against MinIO', () => {
  it('lists the buckets that exist on the server, sorted by name', async () => {
    const a = await freshBucket(s3);
    const b = await freshBucket(s3);
    cleanups.push(a, b);
    const result = await dispatch(servicesFor(), 'buckets.list', { accountId: 'launch' }, { host: 'ws' });
    if (!result.ok) throw new Error(result.error.message);
    const names = (result.value as { name: string; createdAt: string | null }[]).map((bucket) => bucket.name);
    expect(names).toEqual(expect.arrayContaining([a.name, b.name]));
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
  });

  it('says the secret is wrong, without echoing it', async () => {
    const secret = 'wrong-secret-0123456789';
    const result = await dispatch(servicesFor(secret), 'buckets.list', { accountId: 'launch' }, { host: 'ws' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('says the access key is unknown', async () => {
    const result = await dispatch(
      servicesFor(undefined, 'NOSUCHKEY'),
      'buckets.list',
      { accountId: 'launch' },
      { host: 'ws' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
  });

  it('refuses an account id that does not exist', async () => {
    const result = await dispatch(servicesFor(), 'buckets.list', { accountId: 'nope' }, { host: 'ws' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
