import { createHash } from 'node:crypto';
import { AsyncEntry } from '@napi-rs/keyring';
import { KEYCHAIN_SERVICE } from './secret-store';

/** An account's SSE-C customer key: 32 bytes, kept in the keychain beside its secrets, never on disk. */
export interface CustomerKeyStore {
  get(accountId: string): Promise<Buffer | undefined>;
  set(accountId: string, key: Buffer): Promise<void>;
  delete(accountId: string): Promise<void>;
}

/** The key's MD5 in base64: what S3 reports as SSECustomerKeyMD5, so keys can be told apart without showing them. */
export function customerKeyFingerprint(key: Buffer): string {
  return createHash('md5').update(key).digest('base64');
}

function parseKey(text: string | null): Buffer | undefined {
  if (text === null) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

/** Customer keys in the OS keychain (entry `sse-c:<accountId>` of the app's service). */
export function createKeychainCustomerKeyStore(service = KEYCHAIN_SERVICE): CustomerKeyStore {
  const entry = (accountId: string) =>
    new AsyncEntry(service, `sse-c:${accountId}`, { linux: { store: 'secret-service' } });
  return {
    get: async (accountId) => parseKey(await entry(accountId).getPassword()),
    set: async (accountId, key) => entry(accountId).setPassword(key.toString('base64')),
    delete: async (accountId) => {
      await entry(accountId).deletePassword();
    },
  };
}

/** Customer keys in memory only (tests, and machines with no keychain). */
export function createSessionCustomerKeyStore(): CustomerKeyStore {
  const keys = new Map<string, Buffer>();
  return {
    get: async (accountId) => keys.get(accountId),
    set: async (accountId, key) => void keys.set(accountId, Buffer.from(key)),
    delete: async (accountId) => void keys.delete(accountId),
  };
}

/**
 * The keychain where there is one, else memory for this session (as account secrets fall back
 * to session-only storage): SSE-C keeps working on a machine without a Secret Service, and the
 * key is still never written to disk. Whether a keychain exists is asked once.
 */
export function createCustomerKeyStoreWithFallback(
  keychain: CustomerKeyStore,
  session: CustomerKeyStore,
  keychainAvailable: () => Promise<boolean>,
): CustomerKeyStore {
  let chosen: Promise<CustomerKeyStore> | undefined;
  const store = () => (chosen ??= keychainAvailable().then((available) => (available ? keychain : session)));
  return {
    get: async (accountId) => (await store()).get(accountId),
    set: async (accountId, key) => (await store()).set(accountId, key),
    delete: async (accountId) => (await store()).delete(accountId),
  };
}
