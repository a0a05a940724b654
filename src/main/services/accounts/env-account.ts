import type { AccountSummary } from '../../../shared/models';
import type { S3ConnectionConfig } from '../s3/s3-client';

/** An account the app was started with, as summary plus connection (main only). */
export interface ConfiguredAccount {
  summary: AccountSummary;
  connection: S3ConnectionConfig;
}

/**
 * Reads one account from S3FM_* environment variables: the simple way the app is given a
 * connection until accounts are stored in settings and the keychain.
 */
export function accountFromEnvironment(env: NodeJS.ProcessEnv): ConfiguredAccount | undefined {
  const endpoint = env.S3FM_ENDPOINT;
  const accessKeyId = env.S3FM_ACCESS_KEY_ID;
  const secretAccessKey = env.S3FM_SECRET_ACCESS_KEY;
  if (endpoint === undefined || !accessKeyId || !secretAccessKey) return undefined;
  return {
    summary: { id: 'env', name: env.S3FM_ACCOUNT_NAME || 'Local S3', endpoint },
    connection: {
      endpoint,
      region: env.S3FM_REGION || 'us-east-1',
      forcePathStyle: env.S3FM_PATH_STYLE !== 'false',
      accessKeyId,
      secretAccessKey,
    },
  };
}
