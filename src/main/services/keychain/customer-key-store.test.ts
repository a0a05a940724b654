import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createCustomerKeyStoreWithFallback,
  createSessionCustomerKeyStore,
  customerKeyFingerprint,
  type CustomerKeyStore,
} from './customer-key-store';

/** A keychain stand-in that fails like a missing Secret Service would, if it were ever used. */
const brokenKeychain: CustomerKeyStore = {
  get: () => Promise.reject(new Error('no Secret Service')),
  set: () => Promise.reject(new Error('no Secret Service')),
  delete: () => Promise.reject(new Error('no Secret Service')),
};

describe('customer keys', () => {
  it('fall back to memory for the session where there is no keychain, asking only once', async () => {
    let asked = 0;
    const store = createCustomerKeyStoreWithFallback(brokenKeychain, createSessionCustomerKeyStore(), async () => {
      asked += 1;
      return false;
    });
    const key = randomBytes(32);
    await store.set('acc', key);
    expect((await store.get('acc'))?.equals(key)).toBe(true);
    await store.delete('acc');
    expect(await store.get('acc')).toBeUndefined();
    expect(asked).toBe(1);
  });

  it('use the keychain where there is one', async () => {
    const keychain = createSessionCustomerKeyStore();
    const session = createSessionCustomerKeyStore();
    const store = createCustomerKeyStoreWithFallback(keychain, session, async () => true);
    const key = randomBytes(32);
    await store.set('acc', key);
    expect((await keychain.get('acc'))?.equals(key)).toBe(true);
    expect(await session.get('acc')).toBeUndefined();
  });

  it('are told apart by their MD5, as S3 reports it', () => {
    const key = Buffer.alloc(32, 1);
    expect(customerKeyFingerprint(key)).toBe('4Funlf7OsLF0HL+vKU+fkg==');
  });
});
