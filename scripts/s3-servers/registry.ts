/**
 * Every S3 server tests can start, by name: the compatibility suite runs the same checks
 * against each, and scripts/s3-servers/cli.ts prepares and starts them.
 */
import { minioLauncher } from '../minio';
import { s3rverLauncher } from '../s3rver';
import type { S3ServerLauncher, S3ServerName } from './launcher';
import { motoLauncher } from './moto';
import { seaweedfsLauncher } from './seaweedfs';

/** The launchers of all test servers, by name. */
export const s3ServerLaunchers: Readonly<Record<S3ServerName, S3ServerLauncher>> = {
  minio: minioLauncher,
  moto: motoLauncher,
  seaweedfs: seaweedfsLauncher,
  s3rver: s3rverLauncher,
};

/** The names of all test servers, in a stable order. */
export const s3ServerNames = Object.keys(s3ServerLaunchers) as S3ServerName[];

/** True when `name` is one of {@link s3ServerNames}. */
export function isS3ServerName(name: string): name is S3ServerName {
  return Object.hasOwn(s3ServerLaunchers, name);
}
