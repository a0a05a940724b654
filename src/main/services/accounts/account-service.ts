import { randomUUID } from 'node:crypto';
import {
  accountDraftSchema,
  type AccountDraft,
  type AccountSettings,
  type AccountSummary,
  type AwsProfileSummary,
  type CertificateSummary,
  type ConnectionTestReport,
  type KeychainStatus,
} from '../../../shared/accounts';
import { AppFailure } from '../app-failure';
import type { EventBus } from '../event-bus';
import type { AccountSecrets, SecretStore } from '../keychain/secret-store';
import type { Logger } from '../logging/logger';
import { createBucketRegions, type BucketRegions } from '../s3/bucket-regions';
import { inspectServerCertificate } from '../s3/certificate';
import { expectedRegionOf } from '../s3/classify-s3-error';
import { testConnection } from '../s3/connection-test';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { refuseCustomerKeysOverHttp } from '../s3/customer-keys-over-tls';
import { createPresigningClient, createS3Client, readCaFile } from '../s3/s3-client';
import type { SettingsStore } from '../settings/settings-store';
import { listAwsProfiles, type AwsConfigPaths } from './aws-profiles';
import { credentialsFor } from './credentials';

/** An account the app was started with (environment variables): listed and usable, never stored. */
export interface LaunchAccount {
  settings: AccountSettings;
  secrets: AccountSecrets;
}

/** What the account service is built from. */
export interface AccountServiceDependencies {
  settings: SettingsStore;
  keychain: SecretStore;
  /** Secrets kept for this session only, where the person chose that (no keychain). */
  sessionSecrets: SecretStore;
  bus: EventBus;
  logger: Logger;
  awsPaths: AwsConfigPaths;
  launchAccounts?: readonly LaunchAccount[];
  newId?: () => string;
}

/** The region to sign with when none is set: us-east-1 signs for any bucket's HeadBucket on AWS. */
const FALLBACK_REGION = 'us-east-1';

/**
 * Accounts: settings in the settings file, secrets in the keychain (or this session's
 * memory), connections with one client per region. The renderer only ever gets summaries.
 */
export function createAccountService(deps: AccountServiceDependencies) {
  const newId = deps.newId ?? randomUUID;
  const launch = new Map((deps.launchAccounts ?? []).map((account) => [account.settings.id, account]));
  const connections = new Map<string, BucketRegions>();
  /** Presigning clients per account, by region and host (see presignerForBucket). */
  const presigners = new Map<string, Map<string, S3Client>>();

  /** Registers secrets with the log's redaction: every secret the service sees, before anything can log it. */
  const register = (secrets: { secretAccessKey?: string | undefined; sessionToken?: string | undefined }) => {
    if (secrets.secretAccessKey) deps.logger.redact(secrets.secretAccessKey);
    if (secrets.sessionToken) deps.logger.redact(secrets.sessionToken);
  };
  for (const account of launch.values()) register(account.secrets);

  /**
   * The credentials of an account, registered with the log's redaction as they resolve: a
   * profile, the environment or the default chain yields secrets (and session tokens, which
   * change as they are refreshed) that no form ever showed the service.
   */
  function registeredCredentials(
    settings: AccountSettings,
    secrets: AccountSecrets | undefined,
  ): AwsCredentialIdentity | AwsCredentialIdentityProvider {
    const credentials = credentialsFor(settings, secrets, deps.awsPaths);
    if (typeof credentials !== 'function') {
      register(credentials);
      return credentials;
    }
    return async (properties) => {
      const resolved = await credentials(properties);
      register(resolved);
      return resolved;
    };
  }

  /** Problems with the settings file already logged: each is said once, not at every read. */
  const reported = new Set<string>();

  /** Reads the settings file; what it found wrong (a copy aside, accounts set aside) goes to the log once. */
  async function readSettings() {
    const settings = await deps.settings.read();
    const { message, copiedAside, setAsideAccounts } = deps.settings.status();
    if (message !== null && !reported.has(message)) {
      reported.add(message);
      deps.logger.warn('settings file problem', { problem: message, copiedAside, setAsideAccounts });
    }
    return settings;
  }

  const storeFor = (settings: AccountSettings) =>
    settings.secretStorage === 'session' ? deps.sessionSecrets : deps.keychain;

  async function secretsOf(settings: AccountSettings): Promise<AccountSecrets | undefined> {
    const launched = launch.get(settings.id);
    if (launched) return launched.secrets;
    if (settings.credentialSource !== 'static') return undefined;
    let secrets: AccountSecrets | undefined;
    try {
      secrets = await storeFor(settings).get(settings.id);
    } catch {
      throw new AppFailure('keychain-unavailable');
    }
    // Loaded from the keychain (after a restart, no form registered them): masked from now on.
    if (secrets) register(secrets);
    return secrets;
  }

  async function summaries(): Promise<AccountSummary[]> {
    const stored = (await readSettings()).accounts;
    const all = [...[...launch.values()].map((a) => a.settings), ...stored];
    return Promise.all(
      all.map(async (settings) => ({
        ...settings,
        origin: launch.has(settings.id) ? ('launch' as const) : ('saved' as const),
        hasSecret:
          settings.credentialSource !== 'static' || (await secretsOf(settings).catch(() => undefined)) !== undefined,
      })),
    );
  }

  async function settingsOf(accountId: string): Promise<AccountSettings> {
    const launched = launch.get(accountId);
    if (launched) return launched.settings;
    const found = (await readSettings()).accounts.find((a) => a.id === accountId);
    if (!found)
      throw new AppFailure('invalid-input', 'That account does not exist any more. Refresh the account list.');
    return found;
  }

  /** Builds a client for settings and secrets, for any region. */
  async function clientFactory(settings: AccountSettings, secrets: AccountSecrets | undefined, quick = false) {
    const credentials = registeredCredentials(settings, secrets);
    let extraCaPem: string | undefined;
    if (settings.caCertFile !== '') {
      try {
        extraCaPem = await readCaFile(settings.caCertFile);
      } catch (error) {
        throw new AppFailure('invalid-input', (error as Error).message);
      }
    }
    // Every client refuses to send an SSE-C key over plain http (customer-keys-over-tls.ts).
    return (region: string) =>
      refuseCustomerKeysOverHttp(
        createS3Client({
          endpoint: settings.endpoint,
          region,
          forcePathStyle: settings.pathStyle,
          credentials,
          ...(extraCaPem ? { extraCaPem } : {}),
          ...(settings.trustedCertificatePem ? { pinnedCertificatePem: settings.trustedCertificatePem } : {}),
          ...(quick ? { connectionTimeoutMs: 5_000, requestTimeoutMs: 15_000 } : {}),
        }),
      );
  }

  async function connectionOf(accountId: string): Promise<BucketRegions> {
    let connection = connections.get(accountId);
    if (!connection) {
      const settings = await settingsOf(accountId);
      const clientFor = await clientFactory(settings, await secretsOf(settings));
      connection = createBucketRegions({ defaultRegion: settings.region || FALLBACK_REGION, clientFor });
      connections.set(accountId, connection);
    }
    return connection;
  }

  function forget(accountId: string): void {
    connections.get(accountId)?.destroy();
    connections.delete(accountId);
    for (const client of presigners.get(accountId)?.values() ?? []) client.destroy();
    presigners.delete(accountId);
  }

  /**
   * A client that only signs URLs for a bucket, in the bucket's region: for the account's
   * share-links host where asked and one is set, else for its endpoint (path-style as the
   * account says), and never with the SDK's checksum parameters (createPresigningClient).
   */
  async function presignerForBucket(
    accountId: string,
    bucket: string,
    options: { shareHost: boolean },
  ): Promise<S3Client> {
    const settings = await settingsOf(accountId);
    const region = await (await connectionOf(accountId)).regionOf(bucket);
    const endpoint = options.shareHost && settings.shareHost !== '' ? settings.shareHost : settings.endpoint;
    const cacheKey = `${region} ${endpoint}`;
    let byKey = presigners.get(accountId);
    if (!byKey) {
      byKey = new Map();
      presigners.set(accountId, byKey);
    }
    let client = byKey.get(cacheKey);
    if (!client) {
      const credentials = registeredCredentials(settings, await secretsOf(settings));
      client = createPresigningClient({ endpoint, region, forcePathStyle: settings.pathStyle, credentials });
      byKey.set(cacheKey, client);
    }
    return client;
  }

  /** Tells every view the accounts changed; returns the summaries it sent (read once). */
  async function announce(): Promise<AccountSummary[]> {
    const accounts = await summaries();
    deps.bus.emit('accounts.changed', { accounts });
    return accounts;
  }

  /** Splits a validated draft into settings (for the file) and secrets (for the keychain). */
  function split(draft: ReturnType<typeof accountDraftSchema.parse>, id: string) {
    const { secretAccessKey, sessionToken, id: _id, ...rest } = draft;
    const settings: AccountSettings = { ...rest, id };
    const secrets: AccountSecrets | undefined =
      draft.credentialSource === 'static' && secretAccessKey
        ? { secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
        : undefined;
    return { settings, secrets };
  }

  return {
    list: summaries,

    /** Creates or updates an account; an empty secret on an edit keeps the stored one. */
    async save(input: AccountDraft): Promise<AccountSummary> {
      register(input);
      const draft = accountDraftSchema.parse(input);
      if (draft.id !== undefined && launch.has(draft.id)) {
        throw new AppFailure(
          'invalid-input',
          'This account comes from the environment the app was started with; change it there.',
        );
      }
      const existing = (await readSettings()).accounts;
      const previous = draft.id === undefined ? undefined : existing.find((a) => a.id === draft.id);
      if (draft.id !== undefined && !previous)
        throw new AppFailure('invalid-input', 'That account does not exist any more.');
      const clash = [...existing, ...[...launch.values()].map((a) => a.settings)].find(
        (a) => a.id !== draft.id && a.name.trim().toLowerCase() === draft.name.trim().toLowerCase(),
      );
      if (clash)
        throw new AppFailure('conflict', `An account named "${clash.name}" already exists. Choose another name.`);

      const id = draft.id ?? newId();
      const { settings, secrets } = split(draft, id);
      const store = storeFor(settings);
      if (settings.secretStorage === 'keychain' && secrets) {
        const status = await deps.keychain.status();
        if (!status.available) throw new AppFailure('keychain-unavailable', status.reason ?? undefined);
      }
      if (secrets) {
        register(secrets);
        await store.set(id, secrets);
      }
      try {
        await deps.settings.update((current) => ({
          ...current,
          accounts: previous
            ? current.accounts.map((a) => (a.id === id ? settings : a))
            : [...current.accounts, settings],
        }));
      } catch (error) {
        if (secrets && !previous) await store.delete(id).catch(() => undefined);
        throw error;
      }
      // A secret left in the other store, or one no longer needed, must not linger.
      if (previous && (previous.secretStorage !== settings.secretStorage || settings.credentialSource !== 'static')) {
        if (settings.credentialSource !== 'static' || secrets)
          await storeFor(previous)
            .delete(id)
            .catch(() => undefined);
      }
      forget(id);
      deps.logger.info('account saved', { accountId: id, provider: settings.provider, created: !previous });
      const summary = (await announce()).find((a) => a.id === id);
      if (!summary) throw new AppFailure('internal');
      return summary;
    },

    /** Removes an account, its secret in the keychain (or session), and its clients. */
    async remove(accountId: string): Promise<void> {
      if (launch.has(accountId)) {
        throw new AppFailure(
          'invalid-input',
          'This account comes from the environment the app was started with; it cannot be removed here.',
        );
      }
      const settings = await settingsOf(accountId);
      await deps.settings.update((current) => ({
        ...current,
        accounts: current.accounts.filter((a) => a.id !== accountId),
      }));
      await deps.keychain.delete(accountId).catch(() => undefined);
      await deps.sessionSecrets.delete(accountId);
      forget(accountId);
      deps.logger.info('account removed', { accountId, provider: settings.provider });
      await announce();
    },

    /**
     * Tests a draft (the form's current values; a stored secret fills an empty one on an edit).
     * An empty region is detected: signed for us-east-1 first (AWS lists buckets for any region
     * with it, most other services take any), and where the service refuses that naming the
     * region it expects, once more in that region, which the report gives back.
     */
    async test(input: AccountDraft): Promise<ConnectionTestReport> {
      // Registered before validation: a draft's secrets are masked even when the draft is refused.
      register(input);
      const draft = accountDraftSchema.parse(input);
      const id = draft.id ?? 'draft';
      const { settings, secrets } = split(draft, id);
      const stored = !secrets && draft.id !== undefined ? await secretsOf(await settingsOf(draft.id)) : undefined;
      const clientFor = await clientFactory(settings, secrets ?? stored, true);
      const testIn = async (region: string): Promise<ConnectionTestReport> => {
        const client = clientFor(region);
        try {
          return await testConnection(client, settings);
        } finally {
          client.destroy();
        }
      };
      try {
        let report: ConnectionTestReport;
        try {
          report = await testIn(settings.region || FALLBACK_REGION);
        } catch (error) {
          const expected =
            settings.region === '' && error instanceof AppFailure && error.code === 'wrong-region'
              ? expectedRegionOf(error.cause)
              : undefined;
          if (expected === undefined || expected === FALLBACK_REGION) throw error;
          report = { ...(await testIn(expected)), detectedRegion: expected };
        }
        deps.logger.info('connection test passed', {
          provider: settings.provider,
          method: report.method,
          detectedRegion: report.detectedRegion ?? null,
        });
        return report;
      } catch (error) {
        deps.logger.warn('connection test failed', {
          provider: settings.provider,
          code: error instanceof AppFailure ? error.code : 'internal',
        });
        throw error;
      }
    },

    /** What the last read of the settings file found wrong (a copy aside, accounts set aside), for the UI to show. */
    settingsStatus: () => deps.settings.status(),
    profiles: (): Promise<AwsProfileSummary[]> => listAwsProfiles(deps.awsPaths),
    keychainStatus: (): Promise<KeychainStatus> => deps.keychain.status(),
    inspectCertificate: (endpoint: string): Promise<CertificateSummary> => inspectServerCertificate(endpoint),

    /** The connection of an account: a client per region, the bucket-region cache. */
    connection: connectionOf,
    /** A client signing for the region a bucket is in. */
    clientForBucket: async (accountId: string, bucket: string) =>
      (await connectionOf(accountId)).clientForBucket(bucket),
    /** The stored settings of an account (for root bucket and prefix, share host …). */
    settingsOf,
    /** A client that only signs URLs for a bucket (share links, previews), for the share-links host where asked. */
    presignerForBucket,
  };
}

/** The account service's interface. */
export type AccountService = ReturnType<typeof createAccountService>;
