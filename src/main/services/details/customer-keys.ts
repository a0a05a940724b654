import type { CustomerKeyStatus } from '../../../shared/details';
import { AppFailure } from '../app-failure';
import { customerKeyFingerprint, type CustomerKeyStore } from '../keychain/customer-key-store';
import type { Logger } from '../logging/logger';

/** SSE-C keys per account: 32 bytes each, in the keychain; only their fingerprint ever leaves main. */
export function createCustomerKeys(store: CustomerKeyStore, logger: Logger) {
  const statusOf = (key: Buffer | undefined): CustomerKeyStatus => ({
    hasKey: key !== undefined,
    fingerprint: key ? customerKeyFingerprint(key) : null,
  });

  /** The account's key, registered with the log's redaction before anything can log it. */
  async function get(accountId: string): Promise<Buffer | undefined> {
    let key: Buffer | undefined;
    try {
      key = await store.get(accountId);
    } catch (error) {
      throw new AppFailure('keychain-unavailable', undefined, { cause: error });
    }
    if (key) logger.redact(key.toString('base64'));
    return key;
  }

  return {
    get,
    /** Whether the account has a key, and its fingerprint. */
    status: async (accountId: string): Promise<CustomerKeyStatus> => statusOf(await get(accountId)),
    /** Stores a key given as base64 of 32 bytes. */
    async set(accountId: string, base64: string): Promise<CustomerKeyStatus> {
      logger.redact(base64);
      const key = Buffer.from(base64, 'base64');
      if (key.length !== 32 || key.toString('base64') !== base64) {
        throw new AppFailure('invalid-input', 'An SSE-C key is 32 bytes, given as 44 characters of base64.');
      }
      try {
        await store.set(accountId, key);
      } catch (error) {
        throw new AppFailure('keychain-unavailable', undefined, { cause: error });
      }
      logger.info('customer key stored', { accountId, fingerprint: customerKeyFingerprint(key) });
      return statusOf(key);
    },
    /** Forgets the account's key (objects encrypted with it become unreadable here). */
    async remove(accountId: string): Promise<CustomerKeyStatus> {
      try {
        await store.delete(accountId);
      } catch (error) {
        throw new AppFailure('keychain-unavailable', undefined, { cause: error });
      }
      logger.info('customer key removed', { accountId });
      return statusOf(undefined);
    },
  };
}

/** The customer keys' interface. */
export type CustomerKeys = ReturnType<typeof createCustomerKeys>;
