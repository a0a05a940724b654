/**
 * s3rver (npm) as a light S3 server for the demo where MinIO is not built. It lacks
 * versioning, multipart listing and signature checks (docs/architecture.md), so tests use MinIO.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** A running s3rver: same shape as a running MinIO, so callers need not care which. */
export interface RunningS3rver {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  server: 's3rver';
  stop(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 on a port chosen by the system, with a fresh data folder. */
export async function startS3rver(): Promise<RunningS3rver> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 's3fm-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  // s3rver's signing code uses a digest Node 17+ only offers with the legacy provider.
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', bin, '-d', directory, '-a', '127.0.0.1', '-p', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on .*?:(\d+)/i.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}:\n${output}`)));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(directory, { recursive: true, force: true });
  };
  // A demo stopped any other way must not leave s3rver running.
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    server: 's3rver',
    stop,
  };
}
