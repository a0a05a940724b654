/**
 * The keychain stores against the test keyring (gnome-keyring in the D-Bus session of
 * `npm test`): hundreds of reads and writes, as an afternoon of clicking files and listing
 * accounts makes, leave no D-Bus connection open behind them. Each entry @napi-rs/keyring
 * makes holds a connection until it is garbage-collected; made per call, they piled up in the
 * process and in the session bus until a collection, and with about a thousand open a
 * keychain call hung.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTestSecrets } from '../../../../scripts/test-secrets';
import { draftFromPreset } from '../../../shared/accounts';
import { dispatch } from '../../host/dispatch';
import { createServices } from '../create-services';
import { createSecretRegistry } from '../logging/redaction';
import { createKeychainCustomerKeyStore } from './customer-key-store';
import { createKeychainEntries } from './keychain-entries';
import { createKeychainSecretStore } from './secret-store';

const service = `s3-file-manager-test-${randomBytes(4).toString('hex')}`;
const secret = `entries-secret-${randomBytes(12).toString('base64url')}`;
const customerKey = randomBytes(32);
registerTestSecrets('keychain-entries.int.test secrets', secret, customerKey.toString('base64'));

/** The file descriptors this process has open: one per D-Bus connection among them. */
const openDescriptors = () => readdirSync('/proc/self/fd').length;

let folder: string;

beforeAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run through `npm test`: this needs the test keyring.');
  folder = await mkdtemp(join(tmpdir(), 's3fm-keychain-entries-'));
  const { secretAccessKey: _s, sessionToken: _t, ...draft } = draftFromPreset('minio');
  const accounts = ['one', 'two', 'three'].map((id) => ({
    ...draft,
    id,
    name: `Account ${id}`,
    accessKeyId: `AKID${id.toUpperCase()}`,
    endpoint: 'http://127.0.0.1:1',
  }));
  await writeFile(join(folder, 'settings.json'), JSON.stringify({ version: 1, accounts }));
});

afterAll(async () => {
  const store = createKeychainSecretStore(service, createSecretRegistry());
  const keys = createKeychainCustomerKeyStore(service, createSecretRegistry());
  for (const id of ['one', 'two', 'three']) {
    await store.delete(id).catch(() => undefined);
    await keys.delete(id).catch(() => undefined);
  }
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the keychain stores', () => {
  it('list accounts and read keys hundreds of times with no connection left open per call', async () => {
    const services = createServices({
      appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
      dataDir: folder,
      keychain: createKeychainSecretStore(service),
      customerKeys: createKeychainCustomerKeyStore(service),
    });
    try {
      const store = createKeychainSecretStore(service, createSecretRegistry());
      for (const id of ['one', 'two']) await store.set(id, { secretAccessKey: `${secret}-${id}` });
      await createKeychainCustomerKeyStore(service, createSecretRegistry()).set('one', customerKey);

      // Warm: the services' stores make their entries (one connection each) on first use.
      await dispatch(services, 'accounts.list', {}, { host: 'ws' });
      await dispatch(services, 'sse.status', { accountId: 'one' }, { host: 'ws' });
      const before = openDescriptors();
      for (let round = 0; round < 150; round++) {
        // Three keychain reads a listing (every account's hasSecret), one a key status.
        const listed = await dispatch(services, 'accounts.list', {}, { host: 'ws' });
        expect(listed).toMatchObject({
          ok: true,
          value: [
            { id: 'one', hasSecret: true },
            { id: 'two', hasSecret: true },
            { id: 'three', hasSecret: false },
          ],
        });
        expect(await dispatch(services, 'sse.status', { accountId: 'one' }, { host: 'ws' })).toMatchObject({
          ok: true,
          value: { hasKey: true },
        });
      }
      // 600 keychain reads: made per call, each entry's connection stayed open (about 600 more).
      expect(openDescriptors() - before).toBeLessThan(20);
    } finally {
      await services.dispose();
    }
  });

  it('write, read back and delete through one entry per name, and still see what another store wrote', async () => {
    const store = createKeychainSecretStore(service, createSecretRegistry());
    const elsewhere = createKeychainSecretStore(service, createSecretRegistry());
    const before = openDescriptors();
    for (let round = 0; round < 100; round++) {
      await store.set('three', { secretAccessKey: `${secret}-${round}` });
      expect(await elsewhere.get('three')).toEqual({ secretAccessKey: `${secret}-${round}` });
    }
    await store.delete('three');
    expect(await elsewhere.get('three')).toBeUndefined();
    expect(await store.get('three')).toBeUndefined();
    await elsewhere.set('three', { secretAccessKey: `${secret}-again` });
    expect(await store.get('three')).toEqual({ secretAccessKey: `${secret}-again` });
    expect(openDescriptors() - before).toBeLessThan(20);
  });

  it('make an entry again after a call on it failed, and keep it after one that worked', async () => {
    const entries = createKeychainEntries(service);
    const seen: unknown[] = [];
    await entries.use('probe:reuse', async (entry) => void seen.push(entry));
    await entries.use('probe:reuse', async (entry) => void seen.push(entry));
    await expect(
      entries.use('probe:reuse', async () => {
        throw new Error('the bus went away');
      }),
    ).rejects.toThrow('the bus went away');
    await entries.use('probe:reuse', async (entry) => void seen.push(entry));
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).not.toBe(seen[0]);
  });
});
