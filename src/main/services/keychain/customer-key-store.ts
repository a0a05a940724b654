import { createHash } from 'node:crypto';
import { processSecrets, type SecretRegistry } from '../logging/redaction';
import { createKeychainEntries } from './keychain-entries';
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

/** Registers a customer key with the log's redaction: as base64 (how it is sent) and as hex. */
function registerKey(registry: SecretRegistry, key: Buffer | undefined): Buffer | undefined {
  if (key) {
    registry.add(key.toString('base64'));
    registry.add(key.toString('hex'));
  }
  return key;
}

function parseKey(text: string | null): Buffer | undefined {
  if (text === null) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

/**
 * Customer keys in the OS keychain (entry `sse-c:<accountId>` of the app's service); what it
 * reads or writes is registered with the log's redaction, as the account secrets are.
 */
export function createKeychainCustomerKeyStore(
  service = KEYCHAIN_SERVICE,
  secrets: SecretRegistry = processSecrets,
): CustomerKeyStore {
  const entries = createKeychainEntries(service);
  const user = (accountId: string) => `sse-c:${accountId}`;
  return {
    get: async (accountId) =>
      registerKey(secrets, parseKey(await entries.use(user(accountId), (entry) => entry.getPassword()))),
    set: async (accountId, key) => {
      registerKey(secrets, key);
      await entries.use(user(accountId), (entry) => entry.setPassword(key.toString('base64')));
    },
    delete: async (accountId) => {
      await entries.use(user(accountId), (entry) => entry.deletePassword());
    },
  };
}

/** Customer keys in memory only (tests, and machines with no keychain); registered with the log's redaction. */
export function createSessionCustomerKeyStore(secrets: SecretRegistry = processSecrets): CustomerKeyStore {
  const keys = new Map<string, Buffer>();
  return {
    get: async (accountId) => keys.get(accountId),
    set: async (accountId, key) => void keys.set(accountId, Buffer.from(registerKey(secrets, key) ?? key)),
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
