/**
 * Every S3 server tests can start, by name: the compatibility suite runs the same checks
 * against each, and scripts/s3-servers/cli.ts prepares and starts them.
 */
import { minioLauncher } from '../minio';
import { s3rverLauncher } from '../s3rver';
import { registerTestSecrets } from '../test-secrets';
import type { S3ServerLauncher, S3ServerName } from './launcher';
import { motoLauncher } from './moto';
import { seaweedfsLauncher } from './seaweedfs';

/** A launcher whose servers' secret keys are noted for the secrets scan of `npm test` (scripts/test-secrets.ts). */
function noted(launcher: S3ServerLauncher): S3ServerLauncher {
  return {
    ...launcher,
    start: async (opts) => {
      const running = await launcher.start(opts);
      registerTestSecrets(`${launcher.name} secret key`, running.secretAccessKey);
      return running;
    },
  };
}

/** The launchers of all test servers, by name. */
export const s3ServerLaunchers: Readonly<Record<S3ServerName, S3ServerLauncher>> = {
  minio: noted(minioLauncher),
  moto: noted(motoLauncher),
  seaweedfs: noted(seaweedfsLauncher),
  s3rver: noted(s3rverLauncher),
};

/** The names of all test servers, in a stable order. */
export const s3ServerNames = Object.keys(s3ServerLaunchers) as S3ServerName[];

/** True when `name` is one of {@link s3ServerNames}. */
export function isS3ServerName(name: string): name is S3ServerName {
  return Object.hasOwn(s3ServerLaunchers, name);
}
