import { createServices, type Services } from '../services/create-services';

/** Services with no accounts, for host tests that need real handlers but no S3. */
export function servicesWithoutAccounts(): Services {
  return createServices({ appInfo: { name: 'S3 File Manager', version: '0.0.0-test', mode: 'web' }, accounts: [] });
}
