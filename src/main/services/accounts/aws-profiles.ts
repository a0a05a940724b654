import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsProfileSummary } from '../../../shared/accounts';

/** Where the AWS CLI keeps its shared files; passed in so tests can use a temporary HOME. */
export interface AwsConfigPaths {
  credentialsFile: string;
  configFile: string;
}

/** The paths the AWS CLI and SDK use: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else ~/.aws/. */
export function defaultAwsConfigPaths(env: NodeJS.ProcessEnv = process.env, home = homedir()): AwsConfigPaths {
  return {
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    configFile: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
  };
}

type ProfileSection = Record<string, string | undefined>;

/** Tells how a profile gets its credentials, from the keys the AWS CLI documents. */
function kindOf(section: ProfileSection): AwsProfileSummary['kind'] {
  if (section.sso_session || section.sso_start_url || section.sso_account_id) return 'sso';
  if (section.role_arn) return 'assume-role';
  if (section.credential_process) return 'process';
  if (section.aws_access_key_id) return 'static';
  return 'other';
}

/**
 * Lists the profiles of ~/.aws/credentials and ~/.aws/config, parsed by the SDK's own
 * loader (not by hand), merging both files as the CLI does. Never returns a key.
 */
export async function listAwsProfiles(paths: AwsConfigPaths): Promise<AwsProfileSummary[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    filepath: paths.credentialsFile,
    configFilepath: paths.configFile,
    ignoreCache: true,
  });
  // The loader also returns [sso-session x] and [services x] sections, keyed 'sso-session.x' and 'services.x'.
  const isProfile = (name: string) => !/^(sso-session|services)\./.test(name);
  const names = new Set([...Object.keys(credentialsFile), ...Object.keys(configFile)].filter(isProfile));
  return [...names]
    .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
    .map((name) => {
      const section: ProfileSection = { ...configFile[name], ...credentialsFile[name] };
      return {
        name,
        kind: kindOf(section),
        region: section.region ?? null,
        endpoint: section.endpoint_url ?? null,
      };
    });
}
