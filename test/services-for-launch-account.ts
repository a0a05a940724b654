import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningS3Info } from './s3-fixtures';
import { dispatch } from '../src/main/host/dispatch';
import { accountFromEnvironment } from '../src/main/services/accounts/env-account';
import { createServices } from '../src/main/services/create-services';
import { createSessionSecretStore } from '../src/main/services/keychain/secret-store';
import { silentLogger } from '../src/main/services/logging/logger';

/**
 * Services with one launch account ('launch') for the test server, no keychain and no log;
 * `call` sends a request through the hosts' dispatch with that account id filled in.
 */
export function servicesForLaunchAccount(s3: RunningS3Info) {
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: s3.endpoint,
    S3FM_ACCESS_KEY_ID: s3.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir: join(tmpdir(), 's3fm-unused'),
    keychain: createSessionSecretStore(),
    logger: silentLogger,
    launchAccounts: launch ? [launch] : [],
  });
  const call = (channel: string, input: object) =>
    dispatch(services, channel, { accountId: 'launch', ...input }, { host: 'ws' });
  /** Sends a request as it is, for channels that take no account. */
  const callRaw = (channel: string, input: object) => dispatch(services, channel, input, { host: 'ws' });
  return { services, call, callRaw };
}
