/**
 * Runs the app's services in a separate Node process and sends them a list of requests
 * through the same dispatch the hosts use; prints the results as one JSON line. Tests use it
 * to prove that state survives a restart (settings file, keychain) and to run the services
 * in an environment without a keychain.
 *
 * Usage: node --import tsx test/services-child.ts '<json: { dataDir, keychainService, awsPaths?, calls }>'
 */
import { dispatch } from '../src/main/host/dispatch';
import { createServices } from '../src/main/services/create-services';
import { createKeychainSecretStore } from '../src/main/services/keychain/secret-store';

/** What the child is asked to do. */
export interface ChildRequest {
  dataDir: string;
  keychainService: string;
  awsPaths?: { credentialsFile: string; configFile: string };
  calls: { channel: string; input: unknown }[];
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir: request.dataDir,
    keychain: createKeychainSecretStore(request.keychainService),
    ...(request.awsPaths ? { awsPaths: request.awsPaths } : {}),
  });
  const results = [];
  for (const call of request.calls) results.push(await dispatch(services, call.channel, call.input, { host: 'ws' }));
  await services.logger.flush();
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

void main();
