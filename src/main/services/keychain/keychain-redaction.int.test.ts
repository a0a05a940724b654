/**
 * After a restart, secrets come from the OS keychain, not from a form: they must be masked
 * in the log all the same. A previous run's entries are written straight into the test
 * keyring (gnome-keyring in the D-Bus session of `npm test`), under a service name of this
 * test's own; then new services start on the same data folder and log a line that would
 * hold them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTestSecrets } from '../../../../scripts/test-secrets';
import { draftFromPreset } from '../../../shared/accounts';
import { dispatch } from '../../host/dispatch';
import { createServices } from '../create-services';
import { createSecretRegistry } from '../logging/redaction';
import { createKeychainCustomerKeyStore } from './customer-key-store';
import { createKeychainSecretStore } from './secret-store';

const service = `s3-file-manager-test-${randomBytes(4).toString('hex')}`;
const linux = { linux: { store: 'secret-service' as const } };
const secret = `keychain/"secret\\${randomBytes(9).toString('base64')}`;
const token = `keychain-token+${randomBytes(12).toString('base64')}`;
const customerKey = randomBytes(32);
registerTestSecrets('keychain-redaction.int.test secrets', secret, token, customerKey.toString('base64'));
let folder: string;

beforeAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run through `npm test`: this needs the test keyring.');
  folder = await mkdtemp(join(tmpdir(), 's3fm-keychain-redaction-'));
  // What a previous run left: the settings file, the account's secrets and its SSE-C key in the keychain.
  const { secretAccessKey: _s, sessionToken: _t, ...draft } = draftFromPreset('minio');
  const account = { ...draft, id: 'kept', name: 'Kept', accessKeyId: 'AKIDKEPT', endpoint: 'http://127.0.0.1:1' };
  await writeFile(join(folder, 'settings.json'), JSON.stringify({ version: 1, accounts: [account] }));
  await new AsyncEntry(service, 'account:kept', linux).setPassword(
    JSON.stringify({ secretAccessKey: secret, sessionToken: token }),
  );
  await new AsyncEntry(service, 'sse-c:kept', linux).setPassword(customerKey.toString('base64'));
});

afterAll(async () => {
  await new AsyncEntry(service, 'account:kept', linux).deletePassword().catch(() => undefined);
  await new AsyncEntry(service, 'sse-c:kept', linux).deletePassword().catch(() => undefined);
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('secrets loaded from the keychain after a restart', () => {
  it('are masked in the log of the new process', async () => {
    const services = createServices({
      appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
      dataDir: folder,
      keychain: createKeychainSecretStore(service),
      customerKeys: createKeychainCustomerKeyStore(service),
    });
    const listed = await dispatch(services, 'accounts.list', {}, { host: 'ws' });
    expect(listed).toMatchObject({ ok: true, value: [{ id: 'kept', hasSecret: true }] });
    const key = await dispatch(services, 'sse.status', { accountId: 'kept' }, { host: 'ws' });
    expect(key).toMatchObject({ ok: true, value: { hasKey: true } });

    services.logger.error('a request failed', {
      error: `signed with ${secret}, token ${token}, key ${customerKey.toString('base64')}`,
      url: `https://x.test/?X-Amz-Security-Token=${encodeURIComponent(token)}`,
    });
    await services.logger.flush();
    await services.dispose();
    const log = await readFile(join(folder, 'logs', 'main.log'), 'utf8');
    for (const value of [secret, JSON.stringify(secret).slice(1, -1), token, encodeURIComponent(token)])
      expect(log).not.toContain(value);
    expect(log).not.toContain(customerKey.toString('base64'));
    expect(log).toContain('signed with [redacted], token [redacted], key [redacted]');
  });

  it('are registered by the keychain stores themselves, whoever reads them', async () => {
    const registry = createSecretRegistry();
    expect(await createKeychainSecretStore(service, registry).get('kept')).toEqual({
      secretAccessKey: secret,
      sessionToken: token,
    });
    expect(await createKeychainCustomerKeyStore(service, registry).get('kept')).toEqual(customerKey);
    expect(registry.mask(`${secret} ${token} ${customerKey.toString('base64')} ${customerKey.toString('hex')}`)).toBe(
      '[redacted] [redacted] [redacted] [redacted]',
    );
  });
});
