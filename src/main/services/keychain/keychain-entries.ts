import { AsyncEntry } from '@napi-rs/keyring';

/** The keychain entries of one service, each made once and used for every call on its name. */
export interface KeychainEntries {
  /** Runs `operation` on the entry named `user`; after a failure the entry is made again on the next call. */
  use<T>(user: string, operation: (entry: AsyncEntry) => Promise<T>): Promise<T>;
}

/**
 * Entries of `service` in the OS keychain (pinned to the Secret Service on Linux, since the
 * default falls back to the kernel key store, which forgets everything at log-out).
 *
 * Why made once: on Linux every entry @napi-rs/keyring makes opens a D-Bus connection of its
 * own, closed only when the garbage collector frees the entry. An entry per call left one open
 * connection (a file descriptor here and in the session bus) per keychain read: the account
 * list reads one per account, every details view one, and hundreds stayed open between
 * collections; in a process with about a thousand open, the next keychain call hung (seen
 * with gnome-keyring here). Kept per name, the app holds one connection per entry it uses
 * (two per account, and the availability probe).
 * A failed entry is dropped, so that a bus that restarted is reached with a new connection.
 */
export function createKeychainEntries(service: string): KeychainEntries {
  const entries = new Map<string, AsyncEntry>();
  return {
    async use(user, operation) {
      let entry = entries.get(user);
      if (!entry) {
        // Constructing can throw already, where no Secret Service is reachable: nothing is kept then.
        entry = new AsyncEntry(service, user, { linux: { store: 'secret-service' } });
        entries.set(user, entry);
      }
      try {
        return await operation(entry);
      } catch (error) {
        if (entries.get(user) === entry) entries.delete(user);
        throw error;
      }
    },
  };
}
