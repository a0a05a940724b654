/**
 * s3rver (npm) as a light S3 server for the demo where MinIO is not built. It lacks
 * versioning, multipart listing and signature checks (docs/architecture.md), so tests use MinIO;
 * `s3rverLauncher` is its entry in the shared launcher interface (scripts/s3-servers/).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { OutputTail, stopperFor, type RunningS3Server, type S3ServerLauncher } from './s3-servers/launcher';

/** A running s3rver: same shape as a running MinIO, so callers need not care which. */
export interface RunningS3rver {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  server: 's3rver';
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The installed s3rver's version (package.json's devDependency, locked by package-lock.json). */
export function s3rverVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve('s3rver/package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** Starts s3rver on 127.0.0.1 on a port chosen by the system, with a fresh data folder. */
export async function startS3rver(opts: { timeoutMs?: number } = {}): Promise<RunningS3rver> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 's3fm-s3rver-'));
  const bin = require.resolve('s3rver/bin/s3rver.js');
  // s3rver's signing code uses a digest Node 17+ only offers with the legacy provider.
  // Port 0 lets the system pick, so there is no race for the port; s3rver prints the one it got.
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', bin, '-d', directory, '-a', '127.0.0.1', '-p', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A demo stopped any other way must not leave s3rver running.
  const stop = stopperFor(child, [directory], 5000);
  const tail = new OutputTail();
  const timeoutMs = opts.timeoutMs ?? 20_000;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`s3rver did not start in ${timeoutMs / 1000} s:\n${output}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer): void => {
        tail.push(chunk);
        output += chunk.toString();
        const match = /listening on .*?:(\d+)/i.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}:\n${tail.lines()}`)));
    });
    return {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      server: 's3rver',
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** s3rver in the shared launcher interface (an npm devDependency: nothing to build). */
export const s3rverLauncher: S3ServerLauncher = {
  name: 's3rver',
  version: s3rverVersion(),
  prepare: async () => {
    // Installed by npm ci; resolving it fails loudly if node_modules lacks it.
    require.resolve('s3rver/bin/s3rver.js');
  },
  start: async (opts = {}): Promise<RunningS3Server> => ({ ...(await startS3rver(opts)), version: s3rverVersion() }),
};
