/**
 * The one small interface every S3 test server implements (MinIO, moto, SeaweedFS,
 * s3rver): build or locate it once under `.cache/`, start it on 127.0.0.1 on ports chosen
 * at run time, report its version, stop it by pid. Plus the process helpers they share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The names of the S3 servers tests can start. */
export type S3ServerName = 'minio' | 'moto' | 'seaweedfs' | 's3rver';

/** A running S3 server: what it is, where it listens, how to sign requests to it, and how to stop it. */
export interface RunningS3Server {
  server: S3ServerName;
  /** The pinned version that runs (a Go module version, a PyPI or npm version). */
  version: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Stops the process by its pid and removes its data folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Options every launcher accepts when starting a server. */
export interface StartS3ServerOptions {
  /** How long to wait for the server to answer before giving up (milliseconds). */
  timeoutMs?: number;
}

/** How a test or script obtains one kind of S3 server. */
export interface S3ServerLauncher {
  name: S3ServerName;
  /** The pinned version this launcher builds or installs. */
  version: string;
  /** Builds or installs the server once, cached under `.cache/`; a no-op when already there. */
  prepare(): Promise<void>;
  /** Starts a fresh server (new data folder, free ports), preparing it first if needed. */
  start(opts?: StartS3ServerOptions): Promise<RunningS3Server>;
}

/** The repository's root folder (scripts/s3-servers/../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where a server's pinned build lives: `<repo>/.cache/<name>/<version>` (git-ignored). */
export function cacheDir(name: S3ServerName, version: string): string {
  return path.join(repoRoot, '.cache', name, version);
}

/** Asks the OS for a free TCP port on 127.0.0.1; it can be taken again before use, so callers retry. */
export async function freePort(): Promise<number> {
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

/**
 * Picks `count` distinct free ports: all are held open until the last is bound, so the OS
 * cannot hand out the same one twice (they can still be taken before the server binds them).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.on('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (typeof address === 'object' && address) resolve(address.port);
              else reject(new Error('could not pick a free port'));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Keeps the last lines of a process's output, for error messages. */
export class OutputTail {
  private text = '';
  /** Appends a chunk, keeping only the last few kilobytes. */
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-8000);
  }
  /** The last `n` lines. */
  lines(n = 30): string {
    return this.text.split('\n').slice(-n).join('\n').trim();
  }
}

/** Resolves true once the child has exited, or false after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Runs a build command with its output on stderr (stdout stays free for a CLI's JSON)
 * and rejects with a message that names the command when it fails.
 */
export function runBuildCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; missingHint?: string } = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', process.stderr, process.stderr],
      env: options.env ?? process.env,
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' && options.missingHint ? new Error(options.missingHint) : err);
    });
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * Builds into a private staging folder next to `finalPath`, then renames the result into
 * place: an interrupted build, or two builds racing, never leave a half-written file there.
 * `build` receives the staging folder and returns the path of what it built inside it.
 */
export async function buildAtomically(finalPath: string, build: (staging: string) => Promise<string>): Promise<void> {
  const dir = path.dirname(finalPath);
  const staging = path.join(dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging, { recursive: true });
  try {
    renameSync(await build(staging), finalPath);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Raised when a server exits because a port picked as free was taken meanwhile; the caller retries. */
export class AddressInUseError extends Error {}

/** True when a server's output says it could not bind its port. */
export function saysAddressInUse(output: string): boolean {
  return /address already in use|port is already in use|EADDRINUSE/i.test(output);
}

/** One HTTP request; resolves with the status code and body, or undefined when nothing answers. */
export function probe(url: string, timeoutMs = 2000): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body = (body + chunk).slice(0, 4000)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    request.on('error', () => resolve(undefined));
    request.on('timeout', () => request.destroy());
  });
}

/** What {@link superviseStart} needs to know about one server process. */
export interface SupervisedStart {
  /** The server's name, for messages. */
  label: string;
  child: ChildProcess;
  tail: OutputTail;
  /** Resolves true once the server answers. */
  isReady: () => Promise<boolean>;
  timeoutMs: number;
}

/**
 * Waits until a freshly spawned server answers. Throws {@link AddressInUseError} when it
 * died on a taken port, and kills it (by its pid) when it never answers in time.
 */
export async function superviseStart({ label, child, tail, isReady, timeoutMs }: SupervisedStart): Promise<void> {
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) throw new Error(`could not start ${label}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = tail.lines();
      if (saysAddressInUse(output)) throw new AddressInUseError(output);
      throw new Error(
        `${label} exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was ready. Its output:\n${output}`,
      );
    }
    if (await isReady()) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
      throw new Error(`${label} did not answer within ${timeoutMs / 1000} s. Its output:\n${tail.lines()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Tries `attempt` up to `maxAttempts` times while it fails with {@link AddressInUseError}:
 * a port picked as free can be taken by another process before the server binds it.
 */
export async function retryOnAddressInUse<T>(attempt: () => Promise<T>, maxAttempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof AddressInUseError) || i >= maxAttempts) throw err;
    }
  }
}

/**
 * Ties a started server's life to this process: returns an idempotent `stop` that sends
 * SIGTERM to the child's pid (SIGKILL after `graceMs`) and removes what it leaves behind
 * (`leftovers`, read when it stops: its data folder, socket files), and registers an 'exit' hook that does the
 * same synchronously if the parent exits first (a crash, process.exit), so that no server
 * is left running.
 */
export function stopperFor(child: ChildProcess, leftovers: string[], graceMs = 10_000): () => Promise<void> {
  const removeLeftovers = (): void => {
    for (const leftover of leftovers) rmSync(leftover, { recursive: true, force: true });
  };
  const onParentExit = (): void => {
    // 'exit' handlers must be synchronous: SIGKILL and rmSync.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    removeLeftovers();
  };
  process.on('exit', onParentExit);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      process.off('exit', onParentExit);
      // child.kill signals this child's pid only, never other servers of the same kind.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, graceMs))) {
          child.kill('SIGKILL');
          await waitForExit(child, 5000);
        }
      }
      removeLeftovers();
    })();
    return stopping;
  };
}
