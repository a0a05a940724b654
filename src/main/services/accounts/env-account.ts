import type { LaunchAccount } from './account-service';

/**
 * Reads one account from S3FM_* environment variables: a read-only "launch account" for
 * the demo, scripts and headless web mode. Never stored; its secret is never logged.
 */
export function accountFromEnvironment(env: NodeJS.ProcessEnv): LaunchAccount | undefined {
  const endpoint = env.S3FM_ENDPOINT;
  const accessKeyId = env.S3FM_ACCESS_KEY_ID;
  const secretAccessKey = env.S3FM_SECRET_ACCESS_KEY;
  if (endpoint === undefined || !accessKeyId || !secretAccessKey) return undefined;
  return {
    settings: {
      id: 'launch',
      name: env.S3FM_ACCOUNT_NAME || 'Local S3',
      provider: 'other',
      credentialSource: 'static',
      accessKeyId,
      profile: '',
      region: env.S3FM_REGION || 'us-east-1',
      endpoint,
      pathStyle: env.S3FM_PATH_STYLE !== 'false',
      shareHost: '',
      rootBucket: '',
      rootPrefix: '',
      // A CA bundle (PEM file) the account trusts beside the system's: a self-hosted server's own CA.
      caCertFile: env.S3FM_CA_CERT_FILE?.trim() ?? '',
      trustedCertificatePem: '',
      secretStorage: 'session',
    },
    secrets: { secretAccessKey },
  };
}
