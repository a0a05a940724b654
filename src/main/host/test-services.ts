import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../services/create-services';
import { createSessionSecretStore } from '../services/keychain/secret-store';
import { silentLogger } from '../services/logging/logger';

/** Services with no accounts, for host tests that need real handlers but no S3. */
export function servicesWithoutAccounts(): Services {
  return createServices({
    appInfo: { name: 'S3 File Manager', version: '0.0.0-test', mode: 'web' },
    // Never read: these tests make no account.
    dataDir: join(tmpdir(), 's3fm-host-tests-unused'),
    keychain: createSessionSecretStore(),
    logger: silentLogger,
  });
}
