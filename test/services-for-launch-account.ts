import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationOutcome } from '../src/shared/operations';
import type { RunningS3Info } from './s3-fixtures';
import { dispatch } from '../src/main/host/dispatch';
import { accountFromEnvironment } from '../src/main/services/accounts/env-account';
import { createServices } from '../src/main/services/create-services';
import { createSessionCustomerKeyStore } from '../src/main/services/keychain/customer-key-store';
import { createSessionSecretStore } from '../src/main/services/keychain/secret-store';
import { silentLogger } from '../src/main/services/logging/logger';

/**
 * Services with one launch account ('launch') for the test server, no keychain and no log;
 * `call` sends a request through the hosts' dispatch with that account id filled in.
 */
export function servicesForLaunchAccount(
  s3: RunningS3Info,
  options: { singleCopyLimit?: number; listPageSize?: number; caCertFile?: string } = {},
) {
  const { caCertFile, ...tuning } = options;
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: s3.endpoint,
    S3FM_ACCESS_KEY_ID: s3.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: s3.secretAccessKey,
    ...(caCertFile ? { S3FM_CA_CERT_FILE: caCertFile } : {}),
  });
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    // A folder of its own: the transfer journal lives there, and must not carry over between tests.
    dataDir: mkdtempSync(join(tmpdir(), 's3fm-services-')),
    keychain: createSessionSecretStore(),
    customerKeys: createSessionCustomerKeyStore(),
    logger: silentLogger,
    launchAccounts: launch ? [launch] : [],
    ...tuning,
  });
  const call = (channel: string, input: object) =>
    dispatch(services, channel, { accountId: 'launch', ...input }, { host: 'ws' });
  /** Sends a request as it is, for channels that take no account. */
  const callRaw = (channel: string, input: object) => dispatch(services, channel, input, { host: 'ws' });
  /** Runs a long operation to its end: starts it and resolves with its outcome. */
  const runOperation = async (channel: string, input: object): Promise<OperationOutcome> => {
    const current: { id?: string; outcome?: OperationOutcome } = {};
    const done = new Promise<OperationOutcome>((resolve) => {
      services.bus.onAny((event, payload) => {
        const outcome = payload as OperationOutcome;
        if (event !== 'operations.finished') return;
        if (current.id === undefined) current.outcome = outcome;
        else if (outcome.operationId === current.id) resolve(outcome);
      });
    });
    const started = await call(channel, input);
    if (!started.ok) throw Object.assign(new Error(started.error.message), { code: started.error.code });
    current.id = (started.value as { operationId: string }).operationId;
    if (current.outcome?.operationId === current.id) return current.outcome;
    return done;
  };
  return { services, call, callRaw, runOperation };
}
