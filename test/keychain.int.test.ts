import { Entry } from '@napi-rs/keyring';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** `secret-tool search --all service <service>`: it prints label and secret on stdout, attributes on stderr. */
async function secretToolSearch(service: string): Promise<string> {
  const { stdout, stderr } = await run('secret-tool', ['search', '--all', 'service', service]);
  return `${stdout}\n${stderr}`;
}

// Proves that @napi-rs/keyring reaches a real Secret Service (gnome-keyring in the
// D-Bus session of scripts/test-session.sh), not the kernel key store it falls back to.
describe('the OS keychain of the integration tests', () => {
  it('stores, finds, reads and deletes a password in the Secret Service', async () => {
    // Failing, not skipping: a skipped keychain test would hide that nothing tested it.
    // Checked inside the test (not in beforeAll) so that it counts as a failed test.
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error(
        'DBUS_SESSION_BUS_ADDRESS is not set: the keychain test needs the D-Bus session with an unlocked ' +
          'gnome-keyring that scripts/test-session.sh sets up. Run it through `npm test`.',
      );
    }
    const service = `s3-file-manager-test-${randomBytes(6).toString('hex')}`;
    const account = `account-${randomBytes(4).toString('hex')}`;
    const password = randomBytes(18).toString('base64url');
    // Pinned to secret-service: the default falls back to the kernel keyring silently.
    const entry = new Entry(service, account, { linux: { store: 'secret-service' } });

    try {
      entry.setPassword(password);
      expect(entry.getPassword()).toBe(password);

      const found = await secretToolSearch(service);
      expect(found).toContain(`attribute.service = ${service}`);
      expect(found).toContain(`attribute.username = ${account}`);
      expect(found).toContain(`secret = ${password}`);

      expect(entry.deletePassword()).toBe(true);
      expect(entry.getPassword()).toBeNull();
      expect((await secretToolSearch(service)).trim()).toBe('');
    } finally {
      // Leave nothing behind when an assertion above failed half-way.
      try {
        entry.deletePassword();
      } catch {
        // already gone, or the store is unreachable: the assertions above report it
      }
    }
  });
});
