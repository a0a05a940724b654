/**
 * Vitest globalSetup of the `integration` project: one real MinIO for the whole run,
 * shared with tests through `inject('s3')`. Each test makes its own bucket
 * (test/s3-fixtures.ts `freshBucket`), so tests do not see each other's objects.
 */
import type { TestProject } from 'vitest/node';
import { MINIO_MODULE_VERSION, startMinio } from '../scripts/minio';
import type { RunningS3Info } from './s3-fixtures';

declare module 'vitest' {
  /** What the global setups provide to tests through `inject`. */
  export interface ProvidedContext {
    s3: RunningS3Info;
  }
}

/** Starts MinIO, provides its address and credentials as `s3`, and returns the teardown that stops it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { stop, ...info } = await startMinio();
  console.log(`S3 server for integration tests: MinIO ${MINIO_MODULE_VERSION} at ${info.endpoint}`);
  project.provide('s3', info);
  return stop;
}
