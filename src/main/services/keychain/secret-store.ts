import type { KeychainStatus } from '../../../shared/accounts';
import { processSecrets, type SecretRegistry } from '../logging/redaction';
import { createKeychainEntries } from './keychain-entries';

/** The secrets of one account: kept only in main, in the keychain or in memory. */
export interface AccountSecrets {
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where account secrets are kept, keyed by account id. */
export interface SecretStore {
  status(): Promise<KeychainStatus>;
  get(accountId: string): Promise<AccountSecrets | undefined>;
  set(accountId: string, secrets: AccountSecrets): Promise<void>;
  delete(accountId: string): Promise<void>;
}

/** The keychain service name the app's entries are stored under. */
export const KEYCHAIN_SERVICE = 's3-file-manager';

/** Parses what the keychain holds for an account; anything else is treated as absent. */
function parseSecrets(text: string | null): AccountSecrets | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<AccountSecrets>;
    if (typeof value.secretAccessKey !== 'string') return undefined;
    return typeof value.sessionToken === 'string' && value.sessionToken !== ''
      ? { secretAccessKey: value.secretAccessKey, sessionToken: value.sessionToken }
      : { secretAccessKey: value.secretAccessKey };
  } catch {
    return undefined;
  }
}

/** Registers an account's secrets with the log's redaction. */
function registerSecrets(registry: SecretRegistry, secrets: AccountSecrets | undefined): AccountSecrets | undefined {
  if (secrets) {
    registry.add(secrets.secretAccessKey);
    if (secrets.sessionToken) registry.add(secrets.sessionToken);
  }
  return secrets;
}

/**
 * Secrets in the OS keychain through @napi-rs/keyring (Keychain on macOS, Credential Manager
 * on Windows, the Secret Service on Linux), one entry per account made once
 * (keychain-entries.ts says why). What it reads or writes is registered with the log's
 * redaction (`secrets`, the process's registry by default): after a restart the keychain is
 * where secrets come from, and no form registered them.
 */
export function createKeychainSecretStore(
  service = KEYCHAIN_SERVICE,
  secrets: SecretRegistry = processSecrets,
): SecretStore {
  const entries = createKeychainEntries(service);
  const user = (accountId: string) => `account:${accountId}`;
  return {
    async status() {
      try {
        await entries.use('probe:availability', (entry) => entry.getPassword());
        return { available: true, reason: null };
      } catch {
        return {
          available: false,
          reason:
            'No keychain is available (on Linux: no Secret Service such as GNOME Keyring or KWallet is running). ' +
            'Start one and restart the app, or keep the secret for this session only.',
        };
      }
    },
    async get(accountId) {
      return registerSecrets(secrets, parseSecrets(await entries.use(user(accountId), (entry) => entry.getPassword())));
    },
    async set(accountId, value) {
      registerSecrets(secrets, value);
      await entries.use(user(accountId), (entry) => entry.setPassword(JSON.stringify(value)));
    },
    async delete(accountId) {
      await entries.use(user(accountId), (entry) => entry.deletePassword());
    },
  };
}

/** Secrets kept in memory only, for this session: where there is no keychain, and never on disk. */
export function createSessionSecretStore(registry: SecretRegistry = processSecrets): SecretStore {
  const secrets = new Map<string, AccountSecrets>();
  return {
    status: async () => ({ available: true, reason: null }),
    get: async (accountId) => secrets.get(accountId),
    set: async (accountId, value) => void secrets.set(accountId, registerSecrets(registry, value) ?? value),
    delete: async (accountId) => void secrets.delete(accountId),
  };
}
