/**
 * Every secret the account service sees is registered with the log's redaction before
 * anything can log it: secrets loaded from the keychain after a restart (no form was filled
 * in), a connection test's session token, and credentials a profile resolves. And a problem
 * with the settings file is logged once, not at every read. The keychain here is a store in
 * memory filled as a previous run would have left it (the real keychain's own registration
 * is tested in keychain-redaction.int.test.ts, which needs a Secret Service).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerTestSecrets } from '../../../../scripts/test-secrets';
import { draftFromPreset, type AccountDraft, type AccountSettings } from '../../../shared/accounts';
import { startHeaderRecorder, type HeaderRecorder } from '../../../../test/header-recorder';
import { createEventBus } from '../event-bus';
import type { AccountSecrets, SecretStore } from '../keychain/secret-store';
import { createFileLogger, type Logger } from '../logging/logger';
import { createSettingsStore } from '../settings/settings-store';
import { createAccountService } from './account-service';

let folder: string;
let recorder: HeaderRecorder;
beforeAll(async () => {
  // Answers every request with S3's 403, so a connection test signs a request and fails at once.
  recorder = await startHeaderRecorder(() => ({
    status: 403,
    headers: { 'content-type': 'application/xml' },
    body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
  }));
});
afterAll(async () => recorder?.stop());
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 's3fm-secret-registration-'));
});
afterEach(async () => rm(folder, { recursive: true, force: true }));

/** A secret unique to one test, with the characters that used to slip past the mask. */
function uniqueSecret(label: string, plain = false): string {
  // An ini file cannot hold quotes and backslashes the way a keychain entry can.
  const secret = `${label}/${plain ? '' : '"\\'}+${randomBytes(12).toString('base64')}`;
  registerTestSecrets(`secret-registration.test ${label}`, secret);
  return secret;
}

/** A keychain as a previous run left it: only `get` matters here. */
function keychainHolding(entries: Record<string, AccountSecrets>): SecretStore {
  return {
    status: async () => ({ available: true, reason: null }),
    get: async (accountId) => entries[accountId],
    set: async () => undefined,
    delete: async () => undefined,
  };
}

function emptyStore(): SecretStore {
  return keychainHolding({});
}

/** An account service over this test's folder, with a file logger. */
function accountService(keychain: SecretStore, logger: Logger) {
  return createAccountService({
    settings: createSettingsStore(join(folder, 'settings.json')),
    keychain,
    sessionSecrets: emptyStore(),
    bus: createEventBus(),
    logger,
    awsPaths: { credentialsFile: join(folder, 'credentials'), configFile: join(folder, 'config') },
  });
}

const savedAccount: AccountSettings = (() => {
  const { secretAccessKey: _s, sessionToken: _t, ...draft } = draftFromPreset('minio');
  return { ...draft, id: 'a1', name: 'Saved', accessKeyId: 'AKIDSAVED', endpoint: 'http://127.0.0.1:1' };
})();

/** The log's text after `logger` wrote what it wrote. */
async function logText(logger: Logger): Promise<string> {
  await logger.flush();
  return readFile(join(folder, 'main.log'), 'utf8');
}

/** The forms of a secret the log must not hold. */
const formsOf = (secret: string) => [
  secret,
  JSON.stringify(secret).slice(1, -1),
  encodeURIComponent(secret),
  Buffer.from(secret).toString('base64'),
];

describe('secrets the account service sees are registered for redaction', () => {
  it('registers secrets loaded from the keychain after a restart', async () => {
    const secret = uniqueSecret('restart-secret');
    const token = uniqueSecret('restart-token');
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ version: 1, accounts: [savedAccount] }));
    const logger = createFileLogger(join(folder, 'main.log'));
    const accounts = accountService(keychainHolding({ a1: { secretAccessKey: secret, sessionToken: token } }), logger);

    // A fresh process: listing the accounts loads the secret (to say whether there is one).
    expect(await accounts.list()).toMatchObject([{ id: 'a1', hasSecret: true }]);
    logger.warn('request failed', {
      error: `signed with ${secret} and ${token}`,
      url: `?t=${encodeURIComponent(token)}`,
    });
    const text = await logText(logger);
    for (const form of [...formsOf(secret), ...formsOf(token)]) expect(text).not.toContain(form);
    expect(text).toContain('signed with [redacted] and [redacted]');
  });

  it("registers a connection test's session token as well as its secret", async () => {
    const secret = uniqueSecret('draft-secret');
    const token = uniqueSecret('draft-token');
    const logger = createFileLogger(join(folder, 'main.log'));
    const accounts = accountService(emptyStore(), logger);
    const draft: AccountDraft = {
      ...draftFromPreset('minio'),
      name: 'Draft',
      endpoint: recorder.url,
      accessKeyId: 'AKIDDRAFT',
      secretAccessKey: secret,
      sessionToken: token,
    };
    await expect(accounts.test(draft)).rejects.toThrow();
    logger.warn('draft', { note: `${secret} ${token}` });
    const text = await logText(logger);
    for (const form of [...formsOf(secret), ...formsOf(token)]) expect(text).not.toContain(form);
  });

  it('registers the credentials a profile resolves to (no form ever showed them)', async () => {
    const secret = uniqueSecret('profile-secret', true);
    const token = uniqueSecret('profile-token', true);
    await writeFile(
      join(folder, 'credentials'),
      `[work]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = ${secret}\naws_session_token = ${token}\n`,
    );
    await writeFile(join(folder, 'config'), '');
    const logger = createFileLogger(join(folder, 'main.log'));
    const accounts = accountService(emptyStore(), logger);
    const draft: AccountDraft = {
      ...draftFromPreset('minio'),
      name: 'Profile',
      endpoint: recorder.url,
      credentialSource: 'profile',
      profile: 'work',
      secretAccessKey: '',
    };
    await expect(accounts.test(draft)).rejects.toThrow();
    expect(recorder.requests.some((r) => String(r.headers['x-amz-security-token']) === token)).toBe(true);
    logger.warn('profile', { note: `${secret} ${token}` });
    const text = await logText(logger);
    for (const form of [...formsOf(secret), ...formsOf(token)]) expect(text).not.toContain(form);
  });
});

describe('settings file problems', () => {
  it('are logged once, however often the settings are read', async () => {
    const broken = { ...savedAccount, id: 'bad', provider: 'no-such-provider' };
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ version: 1, accounts: [savedAccount, broken] }));
    const logger = createFileLogger(join(folder, 'main.log'));
    const accounts = accountService(emptyStore(), logger);
    for (let read = 0; read < 5; read++) expect((await accounts.list()).map((a) => a.id)).toEqual(['a1']);
    const lines = (await logText(logger)).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'warn',
      message: 'settings file problem',
      setAsideAccounts: 1,
    });
    expect(accounts.settingsStatus()).toMatchObject({ setAsideAccounts: 1, copiedAside: null });
  });
});
