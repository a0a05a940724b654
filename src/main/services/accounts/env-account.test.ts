import { describe, expect, it } from 'vitest';
import { accountFromEnvironment } from './env-account';

const keys = { S3FM_ENDPOINT: 'https://s3.example.test', S3FM_ACCESS_KEY_ID: 'AKID', S3FM_SECRET_ACCESS_KEY: 'shh' };

describe('the launch account from S3FM_* variables', () => {
  it('takes the CA file S3FM_CA_CERT_FILE names (trimmed), and none without it', () => {
    expect(accountFromEnvironment({ ...keys, S3FM_CA_CERT_FILE: ' /etc/s3/ca.pem\n' })?.settings.caCertFile).toBe(
      '/etc/s3/ca.pem',
    );
    expect(accountFromEnvironment(keys)?.settings).toMatchObject({ caCertFile: '', trustedCertificatePem: '' });
  });

  it('is no account without an endpoint and both keys; its secret stays out of its settings', () => {
    expect(accountFromEnvironment({ ...keys, S3FM_SECRET_ACCESS_KEY: '' })).toBeUndefined();
    const account = accountFromEnvironment(keys);
    expect(account?.secrets).toEqual({ secretAccessKey: 'shh' });
    expect(JSON.stringify(account?.settings)).not.toContain('shh');
  });
});
