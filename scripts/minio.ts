/**
 * A real MinIO server for tests and local development, built from its Go module.
 *
 * MinIO publishes no npm package and this environment has no internet access
 * except package registries, so the binary comes from
 * `go install github.com/minio/minio@<pinned>` through the Go module proxy and is
 * cached per version under `.cache/minio/`. The server runs with four drive
 * folders because versioning (and object lock, and erasure coding) need erasure
 * mode; a single folder would start in "FS-like" single-drive mode without them.
 *
 * CLI:
 *   node --import tsx scripts/minio.ts build   builds the binary if missing, prints its path
 *   node --import tsx scripts/minio.ts start   starts a server, prints its endpoint and
 *                                              credentials as JSON, stops on SIGINT/SIGTERM
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned MinIO module version: what `https://proxy.golang.org/github.com/minio/minio/@latest` gave when pinned. */
export const MINIO_MODULE_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';

/** The Go package that `go install` builds. */
const MINIO_PACKAGE = 'github.com/minio/minio';

/** How long to wait for `/minio/health/live` before giving up. */
const START_TIMEOUT_MS = 60_000;

/** How many times to retry when a port picked as free was taken before MinIO bound it. */
const MAX_START_ATTEMPTS = 5;

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

/** Options for {@link startMinio}. */
export interface StartMinioOptions {
  /** Serve HTTPS with this certificate and key (PEM files) instead of plain HTTP. */
  tls?: { certFile: string; keyFile: string };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the binary of the pinned version lives: `<repo>/.cache/minio/<version>/minio` (git-ignored). */
export function minioBinaryPath(): string {
  return path.join(repoRoot, '.cache', 'minio', MINIO_MODULE_VERSION, 'minio');
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

  const versionDir = path.dirname(binary);
  // go install into a private staging folder, then rename: an interrupted build or two
  // builds racing each other never leave a half-written binary at the final path.
  const staging = path.join(versionDir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging, { recursive: true });
  process.stderr.write(
    `building MinIO once, this takes a few minutes (go install ${MINIO_PACKAGE}@${MINIO_MODULE_VERSION})\n`,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const go = spawn('go', ['install', `${MINIO_PACKAGE}@${MINIO_MODULE_VERSION}`], {
        // stdout goes to stderr too, so that `minio.ts start` keeps stdout for its JSON.
        stdio: ['ignore', process.stderr, process.stderr],
        env: { ...process.env, GOBIN: staging },
      });
      go.on('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'ENOENT'
            ? new Error('`go` was not found in PATH: install Go 1.24 or newer (https://go.dev/dl/) to build MinIO')
            : err,
        );
      });
      go.on('exit', (code, signal) => {
        if (code === 0) resolve();
        else
          reject(new Error(`go install ${MINIO_PACKAGE}@${MINIO_MODULE_VERSION} failed (${signal ?? `exit ${code}`})`));
      });
    });
    renameSync(path.join(staging, 'minio'), binary);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** Asks the OS for a free TCP port on 127.0.0.1; it can be taken again before use, hence the retries. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

/** Keeps the last lines of a process's output, for error messages. */
class OutputTail {
  private text = '';
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-8000);
  }
  lines(n = 30): string {
    return this.text.split('\n').slice(-n).join('\n').trim();
  }
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

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

class AddressInUseError extends Error {}

interface Attempt {
  child: ChildProcess;
  endpoint: string;
}

async function startOnce(
  binary: string,
  baseDir: string,
  credentials: { user: string; password: string },
  opts: StartMinioOptions,
): Promise<Attempt> {
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
    // MinIO expands the `{1...4}` itself: four drives make it run in erasure mode.
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
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`could not start ${binary}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = tail.lines();
      if (/address already in use|port is already in use|EADDRINUSE/i.test(output)) {
        throw new AddressInUseError(output);
      }
      throw new Error(
        `MinIO exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was ready. Its output:\n${output}`,
      );
    }
    if (await isLive(endpoint)) return { child, endpoint };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
      throw new Error(
        `MinIO did not answer GET ${endpoint}/minio/health/live within ${START_TIMEOUT_MS / 1000} s. Its output:\n${tail.lines()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts a fresh MinIO (four drives in a new temp folder, random root credentials,
 * ports picked at run time) and resolves once it answers its liveness check.
 */
export async function startMinio(opts: StartMinioOptions = {}): Promise<RunningS3> {
  const binary = await ensureMinio();
  const credentials = {
    user: `test-${randomBytes(6).toString('hex')}`,
    password: randomBytes(24).toString('base64url'),
  };

  let attempt: Attempt | undefined;
  let baseDir = '';
  for (let i = 1; !attempt; i++) {
    baseDir = mkdtempSync(path.join(os.tmpdir(), 'minio-test-'));
    try {
      attempt = await startOnce(binary, baseDir, credentials, opts);
    } catch (err) {
      rmSync(baseDir, { recursive: true, force: true });
      if (!(err instanceof AddressInUseError) || i >= MAX_START_ATTEMPTS) throw err;
    }
  }
  const { child, endpoint } = attempt;

  // If the parent exits without calling stop() (a crash, process.exit), do not leave
  // MinIO running: 'exit' handlers must be synchronous, so SIGKILL and rmSync.
  const onParentExit = (): void => {
    child.kill('SIGKILL');
    rmSync(baseDir, { recursive: true, force: true });
  };
  process.on('exit', onParentExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('exit', onParentExit);
      // child.kill signals this child's pid only, never other MinIO processes.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, 10_000))) {
          child.kill('SIGKILL');
          await waitForExit(child, 5000);
        }
      }
      rmSync(baseDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return {
    endpoint,
    region: REGION,
    accessKeyId: credentials.user,
    secretAccessKey: credentials.password,
    server: 'minio',
    stop,
  };
}

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
