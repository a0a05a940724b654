import { fromEnv, fromIni, fromNodeProviderChain, fromSSO } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AccountSettings } from '../../../shared/accounts';
import { AppFailure } from '../app-failure';
import type { AccountSecrets } from '../keychain/secret-store';
import type { AwsConfigPaths } from './aws-profiles';

/**
 * The credentials of an account, from where its settings say: typed-in keys (secret from the
 * keychain), an AWS profile (SSO included), environment variables, or the default chain
 * (environment, profile, SSO, instance or container role). The SDK's providers do the work.
 */
export function credentialsFor(
  settings: AccountSettings,
  secrets: AccountSecrets | undefined,
  paths: AwsConfigPaths,
): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  const files = { filepath: paths.credentialsFile, configFilepath: paths.configFile, ignoreCache: true };
  switch (settings.credentialSource) {
    case 'static':
      if (!secrets) {
        throw new AppFailure(
          'invalid-credentials',
          settings.secretStorage === 'session'
            ? 'The secret of this account was kept for one session only. Edit the account and enter it again.'
            : 'The secret access key of this account is not in the keychain. Edit the account and enter it again.',
        );
      }
      return {
        accessKeyId: settings.accessKeyId,
        secretAccessKey: secrets.secretAccessKey,
        ...(secrets.sessionToken ? { sessionToken: secrets.sessionToken } : {}),
      };
    case 'profile':
      return profileCredentials(settings.profile, files);
    case 'environment':
      return fromEnv();
    case 'default-chain':
      return fromNodeProviderChain(files);
  }
}

/**
 * Credentials of a named profile. SSO profiles go to fromSSO directly: fromIni does not pass
 * custom file paths on to it (credential-provider-ini's resolveSsoCredentials drops
 * filepath and configFilepath), so an SSO profile outside ~/.aws would be "not found".
 */
function profileCredentials(
  profile: string,
  files: { filepath: string; configFilepath: string; ignoreCache: boolean },
): AwsCredentialIdentityProvider {
  return async () => {
    const { configFile } = await loadSharedConfigFiles(files);
    const section = configFile[profile];
    const sso = section !== undefined && (section.sso_session !== undefined || section.sso_start_url !== undefined);
    return sso ? fromSSO({ profile, ...files })() : fromIni({ profile, ...files })();
  };
}
