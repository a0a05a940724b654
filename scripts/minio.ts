/**
 * A real MinIO server for tests and local development, built from its Go module.
 *
 * MinIO publishes no npm package and this environment has no internet access
 * except package registries, so the binary comes from
 * `go install github.com/minio/minio@<pinned>` through the Go module proxy and is
 * cached per version under `.cache/minio/`. The server runs with four drive
 * folders because versioning (and object lock, and erasure coding) need erasure
 * mode; a single folder would start in "FS-like" single-drive mode without them.
 * `minioLauncher` is its entry in the shared launcher interface (scripts/s3-servers/).
 *
 * CLI:
 *   node --import tsx scripts/minio.ts build   builds the binary if missing, prints its path
 *   node --import tsx scripts/minio.ts start   starts a server, prints its endpoint and
 *                                              credentials as JSON, stops on SIGINT/SIGTERM
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildAtomically,
  cacheDir,
  freePort,
  OutputTail,
  retryOnAddressInUse,
  runBuildCommand,
  stopperFor,
  superviseStart,
  type RunningS3Server,
  type S3ServerLauncher,
} from './s3-servers/launcher';
import { registerTestSecrets } from './test-secrets';

/** The pinned MinIO module version: what `https://proxy.golang.org/github.com/minio/minio/@latest` gave when pinned. */
export const MINIO_MODULE_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';

/** The Go package that `go install` builds. */
const MINIO_PACKAGE = 'github.com/minio/minio';

/** How long to wait for `/minio/health/live` before giving up. */
const START_TIMEOUT_MS = 60_000;

/** The id of the one key of the test server's built-in KMS (for SSE-KMS requests). */
export const TEST_KMS_KEY_ID = 's3fm-test-key';

/** The region MinIO reports; the SDK needs one, and us-east-1 is MinIO's default. */
const REGION = 'us-east-1';

/** A running S3 server: where it listens, how to sign requests to it, and how to stop it. */
export interface RunningS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  server: 'minio';
  stop(): Promise<void>;
}

/** A MinIO started here, with where it keeps what it stores. */
export interface RunningMinio extends RunningS3 {
  /** Its four drives' folders (its objects, and its trash of deleted ones, live there). */
  drives: string[];
}

/** Options for {@link startMinio}. */
export interface StartMinioOptions {
  /** Serve HTTPS with this certificate and key (PEM files) instead of plain HTTP. */
  tls?: { certFile: string; keyFile: string };
  /** How long to wait for the liveness check (milliseconds). */
  timeoutMs?: number;
}

/** Where the binary of the pinned version lives: `<repo>/.cache/minio/<version>/minio` (git-ignored). */
export function minioBinaryPath(): string {
  return path.join(cacheDir('minio', MINIO_MODULE_VERSION), 'minio');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns the path of the MinIO binary, building it with `go install` first if it is missing. */
export async function ensureMinio(): Promise<string> {
  const binary = minioBinaryPath();
  if (isExecutable(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  process.stderr.write(
    `building MinIO once, the first build takes many minutes (go install ${MINIO_PACKAGE}@${MINIO_MODULE_VERSION})\n`,
  );
  // go install into a private staging folder, then rename (buildAtomically).
  await buildAtomically(binary, async (staging) => {
    await runBuildCommand('go', ['install', `${MINIO_PACKAGE}@${MINIO_MODULE_VERSION}`], {
      env: { ...process.env, GOBIN: staging },
      missingHint: '`go` was not found in PATH: install Go 1.24 or newer (https://go.dev/dl/) to build MinIO',
    });
    return path.join(staging, 'minio');
  });
  return binary;
}

/** One GET of the liveness endpoint; true when it answers 200. */
function isLive(endpoint: string): Promise<boolean> {
  const url = new URL('/minio/health/live', endpoint);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => resolve(ok);
    const request =
      url.protocol === 'https:'
        ? // Only a liveness probe: the certificate may name a host other than 127.0.0.1,
          // and the tests that use TLS check the certificate themselves.
          https.get(url, { rejectUnauthorized: false, timeout: 2000 }, (res) => {
            res.resume();
            done(res.statusCode === 200);
          })
        : http.get(url, { timeout: 2000 }, (res) => {
            res.resume();
            done(res.statusCode === 200);
          });
    request.on('error', () => done(false));
    request.on('timeout', () => request.destroy());
  });
}

async function startOnce(
  binary: string,
  credentials: { user: string; password: string },
  opts: StartMinioOptions,
): Promise<RunningMinio> {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'minio-test-'));
  try {
    const [port, consolePort] = [await freePort(), await freePort()];
    const certsDir = path.join(baseDir, 'certs');
    mkdirSync(certsDir, { recursive: true });
    if (opts.tls) {
      // MinIO serves TLS when its certs dir holds public.crt and private.key.
      copyFileSync(opts.tls.certFile, path.join(certsDir, 'public.crt'));
      copyFileSync(opts.tls.keyFile, path.join(certsDir, 'private.key'));
    }
    const endpoint = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    const args = [
      'server',
      // MinIO expands the `{1...4}` itself: four drives make it run in erasure mode (`drives` below).
      `${path.join(baseDir, 'd')}{1...4}`,
      '--address',
      `127.0.0.1:${port}`,
      '--console-address',
      `127.0.0.1:${consolePort}`,
      // Always our own folder, so certificates in ~/.minio/certs never turn TLS on by surprise.
      '--certs-dir',
      certsDir,
    ];
    const tail = new OutputTail();
    const child = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MINIO_ROOT_USER: credentials.user,
        MINIO_ROOT_PASSWORD: credentials.password,
        MINIO_REGION: REGION,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
        // Lets the four drives share one disk (the root disk, on CI machines).
        MINIO_CI_CD: '1',
        // A built-in KMS with one random key (`s3fm-test-key`): SSE-S3 and SSE-KMS then work, as
        // on AWS; without it MinIO answers NotImplemented to any server-side encryption but SSE-C.
        MINIO_KMS_SECRET_KEY: `${TEST_KMS_KEY_ID}:${randomBytes(32).toString('base64')}`,
      },
    });
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    // From here on, the parent's exit kills this MinIO even before it is ready.
    const stop = stopperFor(child, [baseDir]);
    try {
      await superviseStart({
        label: 'MinIO',
        child,
        tail,
        isReady: () => isLive(endpoint),
        timeoutMs: opts.timeoutMs ?? START_TIMEOUT_MS,
      });
    } catch (err) {
      await stop();
      throw err;
    }
    return {
      endpoint,
      region: REGION,
      accessKeyId: credentials.user,
      secretAccessKey: credentials.password,
      server: 'minio',
      drives: [1, 2, 3, 4].map((n) => path.join(baseDir, `d${n}`)),
      stop,
    };
  } catch (err) {
    rmSync(baseDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Starts a fresh MinIO (four drives in a new temp folder, random root credentials,
 * ports picked at run time) and resolves once it answers its liveness check.
 */
export async function startMinio(opts: StartMinioOptions = {}): Promise<RunningMinio> {
  const binary = await ensureMinio();
  const credentials = {
    user: `test-${randomBytes(6).toString('hex')}`,
    password: randomBytes(24).toString('base64url'),
  };
  // Noted for the secrets scan at the end of `npm test` (nothing is written outside it).
  registerTestSecrets('MinIO root password', credentials.password);
  return retryOnAddressInUse(() => startOnce(binary, credentials, opts));
}

/** MinIO in the shared launcher interface (Go module, built once). */
export const minioLauncher: S3ServerLauncher = {
  name: 'minio',
  version: MINIO_MODULE_VERSION,
  prepare: async () => {
    await ensureMinio();
  },
  start: async (opts = {}): Promise<RunningS3Server> => ({
    ...(await startMinio(opts)),
    version: MINIO_MODULE_VERSION,
  }),
};

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'build': {
      console.log(await ensureMinio());
      return;
    }
    case 'start': {
      const running = await startMinio();
      const { stop, ...info } = running;
      console.log(JSON.stringify({ ...info, version: MINIO_MODULE_VERSION }, null, 2));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await stop();
      return;
    }
    default:
      console.error('usage: node --import tsx scripts/minio.ts build|start');
      process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
