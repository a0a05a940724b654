/**
 * `npm run demo`: a local S3 server with sample buckets, and the app connected to it, so a
 * newcomer sees the app working without a cloud account.
 *
 * The server is the best one this machine can have (demoServerCandidates): MinIO when it is
 * built; else MinIO built now when Go is installed (a few minutes, once, with a progress line);
 * else moto, installed once from PyPI when Python 3 with venv is there (about half a minute);
 * else s3rver from npm, which lacks several features and says which. All of them come from the
 * launcher registry (scripts/s3-servers/). The app is the desktop app where Electron's binary is
 * installed or can be downloaded now (scripts/ensure-electron.ts, the same step as `npm start`),
 * web mode otherwise. S3FM_DEMO_SERVER=minio|moto|s3rver picks the server by hand.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoServer } from './demo-data';
import { ensureElectron } from './ensure-electron';
import { MINIO_MODULE_VERSION, minioBinaryPath } from './minio';
import { repoRoot, type RunningS3Server, type S3ServerName } from './s3-servers/launcher';
import { motoVenvPath } from './s3-servers/moto';
import { s3ServerLaunchers } from './s3-servers/registry';

/** The servers the demo may run on, best first; s3rver, the last resort, lacks several features (demoServerLimits). */
export const demoServerNames = ['minio', 'moto', 's3rver'] as const satisfies readonly S3ServerName[];

/** A server the demo may run on. */
export type DemoServerName = (typeof demoServerNames)[number];

/** What each server is called where the person reads it. */
const serverLabels: Record<DemoServerName, string> = { minio: 'MinIO', moto: 'moto', s3rver: 's3rver' };

/**
 * What works on each server, in a few sentences for the terminal (the README says the same),
 * from the compatibility suite's results (test/compatibility/, `npm run compat:report`):
 * MinIO passes every journey; moto and s3rver say "unavailable" to those named here.
 */
export const demoServerLimits: Record<DemoServerName, string> = {
  minio:
    'Everything works here: uploads of any size, pause and resume, versions, tags, metadata, encryption and every kind of share link.',
  moto:
    "Everything works here but versions and upload forms: the app reads moto's answer to GetBucketVersioning as " +
    '"no versioning", so versions say they are unavailable, and moto takes POST forms without checking their policy, ' +
    'so the share dialog offers upload links (PUT) instead. moto checks no signatures.',
  s3rver:
    's3rver lacks versioning, object tags, ACLs, server-side encryption, ListParts and POST upload forms: ' +
    'versions, tags and encryption say they are unavailable, the share dialog offers upload links (PUT) only, ' +
    'an upload over 16 MiB is checked by its size only and resumes from the parts the app recorded, ' +
    'and a folder shows only while an object lies directly in it (the sample folders have folder objects for that). ' +
    'Uploads, downloads, pause and resume, copy, move, rename, delete, metadata edits and share links work.',
};

/** What the demo needs to know about this machine to pick its server; passed in so that tests can pose any machine. */
export interface DemoMachine {
  /** True when the server is built or installed under `.cache/` already (s3rver always is: it is an npm devDependency). */
  isPrepared(server: DemoServerName): boolean;
  /** True when `go` runs, so MinIO can be built. */
  hasGo(): boolean;
  /** True when Python 3 with venv and ensurepip is there, so moto can be installed. */
  hasPythonVenv(): boolean;
}

/** A server the demo will try, and whether it must be built or installed first. */
export interface DemoServerCandidate {
  server: DemoServerName;
  /** 'ready': built or installed already; 'build': MinIO from its Go module; 'install': moto from PyPI. */
  preparation: 'ready' | 'build' | 'install';
}

/**
 * The servers to try, best first: MinIO (built, or buildable with Go), moto (installed, or
 * installable with Python's venv), then s3rver as the last resort. A failed build or start
 * falls through to the next one. `requested` (S3FM_DEMO_SERVER) narrows the list to that server.
 */
export function demoServerCandidates(machine: DemoMachine, requested?: string): DemoServerCandidate[] {
  if (requested && !(demoServerNames as readonly string[]).includes(requested)) {
    throw new Error(`S3FM_DEMO_SERVER=${requested} is not a demo server; use one of ${demoServerNames.join(', ')}.`);
  }
  const wanted = (server: DemoServerName): boolean => !requested || requested === server;
  const candidates: DemoServerCandidate[] = [];
  if (wanted('minio')) {
    if (machine.isPrepared('minio')) candidates.push({ server: 'minio', preparation: 'ready' });
    else if (requested || machine.hasGo()) candidates.push({ server: 'minio', preparation: 'build' });
  }
  if (wanted('moto')) {
    if (machine.isPrepared('moto')) candidates.push({ server: 'moto', preparation: 'ready' });
    else if (requested || machine.hasPythonVenv()) candidates.push({ server: 'moto', preparation: 'install' });
  }
  if (wanted('s3rver')) candidates.push({ server: 's3rver', preparation: 'ready' });
  return candidates;
}

/** Runs a command quietly; true when it exits 0. */
function succeeds(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * This machine, asked as the launchers would: MinIO's binary and moto's venv where
 * scripts/minio.ts and scripts/s3-servers/moto.ts put them, and the interpreter moto.ts
 * makes its venv from (Debian's /usr/bin/python3 first).
 */
export const thisMachine: DemoMachine = {
  isPrepared: (server) =>
    server === 'minio'
      ? isExecutable(minioBinaryPath())
      : server === 'moto'
        ? existsSync(path.join(motoVenvPath(), 'bin', 'python'))
        : true,
  hasGo: () => succeeds('go', ['version']),
  // Debian ships venv's ensurepip in python3-venv; without it `python3 -m venv` makes no pip.
  hasPythonVenv: () =>
    succeeds(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', ['-c', 'import venv, ensurepip']),
};

/** Minutes and seconds, as "3m41s" or "48s". */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/**
 * Follows the output of `go install -v` (GOFLAGS=-v) to say which step a MinIO build is in:
 * downloading modules ("go: downloading …", only with an empty module cache), compiling
 * packages (one import path a line as each starts), and compiling and linking minio itself
 * (its main package comes last, then the link, which prints nothing for a minute or so).
 */
export class GoBuildProgress {
  private downloads = 0;
  private compiled = 0;
  private current = '';
  private linking = false;
  private readonly lines: string[] = [];

  /** Takes one line of go's output. */
  push(line: string): void {
    const text = line.trim();
    if (!text) return;
    this.lines.push(text);
    if (this.lines.length > 40) this.lines.shift();
    if (text.startsWith('go: downloading ')) this.downloads++;
    else if (text === 'github.com/minio/minio') this.linking = true;
    else if (/^[\w.\-/]+$/.test(text)) {
      this.compiled++;
      this.current = text;
    }
  }

  /** The step the build is in, for the progress line. */
  step(): string {
    if (this.linking) return 'compiling and linking minio itself, the last step';
    // The package named is the last one begun: github.com/minio/minio/cmd alone takes a minute or more.
    if (this.compiled > 0) return `compiling packages (${this.compiled} so far, now ${this.current})`;
    if (this.downloads > 0) return `downloading modules (${this.downloads} so far)`;
    return 'resolving modules';
  }

  /** The last lines of go's output, for an error message. */
  tail(): string {
    return this.lines.slice(-15).join('\n');
  }
}

/** Where the progress of a build or install is shown; passed in so the demo's test stays quiet. */
export interface ProgressOutput {
  /** Prints a line that stays. */
  line(text: string): void;
  /** Shows a status that the next status or line replaces (rewritten in place on a terminal). */
  status(text: string): void;
}

/** Progress on stderr: one line rewritten every second on a terminal, else a line every 15 seconds. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressOutput {
  let shown = false;
  let lastPrinted = 0;
  const clear = (): void => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
    status(text) {
      if (stream.isTTY) {
        clear();
        stream.write(text);
        shown = true;
      } else if (Date.now() - lastPrinted >= 15_000) {
        lastPrinted = Date.now();
        stream.write(`${text}\n`);
      }
    },
  };
}

/** GOFLAGS as go sees it now (the environment's, else `go env -w`'s), or '' where go does not run. */
function currentGoFlags(): string {
  const result = spawnSync('go', ['env', 'GOFLAGS'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : '';
}

/**
 * Builds or installs one server through the launcher registry, in a child process
 * (`scripts/s3-servers/cli.ts prepare <name>`) so that its output can be read for the
 * progress line instead of scrolling past: go's own lines name the step; elapsed time
 * ticks every second. Rejects with the end of the output when it fails.
 */
export function prepareWithProgress(server: DemoServerName, output: ProgressOutput): Promise<void> {
  const label = server === 'minio' ? 'building MinIO' : `installing ${serverLabels[server]}`;
  const progress = new GoBuildProgress();
  const started = Date.now();
  // -v makes go print each package as it compiles it (the module downloads it prints anyway),
  // added to the flags go has now: GOFLAGS in the environment replaces those of `go env -w`.
  const env = server === 'minio' ? { ...process.env, GOFLAGS: `${currentGoFlags()} -v`.trim() } : process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'scripts', 's3-servers', 'cli.ts'), 'prepare', server],
    { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const show = (): void =>
    output.status(
      `${label}… ${formatDuration(Date.now() - started)}${server === 'minio' ? ` · ${progress.step()}` : ''}`,
    );
  show();
  const ticker = setInterval(show, 1000);
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) progress.push(line);
  });
  return new Promise<void>((resolve, reject) => {
    child.once('error', (error) => {
      clearInterval(ticker);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearInterval(ticker);
      progress.push(pending);
      if (code === 0) {
        output.line(`${label}: done in ${formatDuration(Date.now() - started)}.`);
        resolve();
      } else {
        output.line(`${label}: failed after ${formatDuration(Date.now() - started)}.`);
        reject(new Error(`${label} failed (${signal ?? `exit ${code}`}):\n${progress.tail()}`));
      }
    });
  });
}

/** The sentence said before a server is built or installed: what, why, and how long it takes. */
export function preparationNotice(candidate: DemoServerCandidate): string | undefined {
  if (candidate.preparation === 'build') {
    return (
      `MinIO is not built yet, so the demo builds it now, once, from its Go module ` +
      `(go install github.com/minio/minio@${MINIO_MODULE_VERSION}, into .cache/minio/). ` +
      'The first build takes a few minutes: about 4 on a 2-core machine, up to 20 when other work keeps it busy; ' +
      'later demos start in seconds. ' +
      'To skip it this time, stop it with Ctrl+C and run S3FM_DEMO_SERVER=s3rver npm run demo: it starts at once, with fewer features.'
    );
  }
  if (candidate.preparation === 'install') {
    return (
      `moto is not installed yet, so the demo installs moto[server] once from PyPI into .cache/moto/ ` +
      '(about half a minute; later demos start in seconds). MinIO would be better, but it needs Go (1.24 or newer) to build.'
    );
  }
  return undefined;
}

/** What {@link startDemoServer} uses; passed in so that tests choose the server and keep quiet. */
export interface DemoServerDeps {
  candidates: DemoServerCandidate[];
  prepare(server: DemoServerName): Promise<void>;
  start(server: DemoServerName): Promise<RunningS3Server>;
  /** Prints one line for the person. */
  log(line: string): void;
}

/**
 * Builds or installs (where needed) and starts the first candidate that works; a failure is
 * said and the next candidate is tried, so a machine without the module proxy still gets a demo.
 */
export async function startDemoServer(
  deps: DemoServerDeps,
): Promise<{ server: RunningS3Server; name: DemoServerName }> {
  const failures: string[] = [];
  for (const [index, candidate] of deps.candidates.entries()) {
    const next = deps.candidates[index + 1];
    try {
      const notice = preparationNotice(candidate);
      if (notice) {
        deps.log(notice);
        await deps.prepare(candidate.server);
      }
      return { server: await deps.start(candidate.server), name: candidate.server };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${serverLabels[candidate.server]}: ${message}`);
      deps.log(`${serverLabels[candidate.server]} could not start: ${message}`);
      if (next) deps.log(`Trying ${serverLabels[next.server]} instead.`);
    }
  }
  throw new Error(`no S3 server could start for the demo.\n${failures.join('\n')}`);
}

/** Why the demo runs on this server and not a better one, in a sentence or two (nothing for MinIO). */
export function fallbackReason(name: DemoServerName, machine: DemoMachine, requested?: string): string {
  if (requested) return `(S3FM_DEMO_SERVER=${requested}.) `;
  if (name === 'minio') return '';
  const minio =
    machine.isPrepared('minio') || machine.hasGo()
      ? 'MinIO could not start (see above)'
      : 'MinIO is not built and Go is not installed to build it (install Go 1.24 or newer from https://go.dev/dl/ and run npm run demo again to get MinIO)';
  if (name === 'moto') return `${minio}. `;
  const moto =
    machine.isPrepared('moto') || machine.hasPythonVenv()
      ? 'moto could not start (see above)'
      : 'moto needs Python 3 with venv (Debian: apt-get install python3-venv)';
  return `${minio}, and ${moto}. `;
}

/** The environment the app starts with: the demo server as its launch account (src/main/services/accounts/env-account.ts). */
export function demoAppEnvironment(
  server: RunningS3Server,
  name: DemoServerName,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...base,
    S3FM_ENDPOINT: server.endpoint,
    S3FM_ACCESS_KEY_ID: server.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: server.secretAccessKey,
    S3FM_REGION: server.region,
    S3FM_ACCOUNT_NAME: `Demo (${serverLabels[name]})`,
  };
}

async function main(): Promise<void> {
  // Before the S3 server starts, so that a download's progress or failure is not buried in its output.
  const electron = await ensureElectron();
  if (!electron.installed) console.error(`\n${electron.explanation}\n`);

  const progress = terminalProgress();
  const requested = process.env.S3FM_DEMO_SERVER || undefined;
  const { server: s3, name } = await startDemoServer({
    candidates: demoServerCandidates(thisMachine, requested),
    prepare: (server) => prepareWithProgress(server, progress),
    start: (server) => s3ServerLaunchers[server].start(),
    log: (line) => progress.line(line),
  });
  console.log(`Demo S3 server: ${serverLabels[name]} ${s3.version} at ${s3.endpoint}`);
  console.log(`${fallbackReason(name, thisMachine, requested)}${demoServerLimits[name]}`);
  await seedDemoServer(s3);

  // A fresh data folder for the app, as the server is fresh: an earlier demo's transfers and
  // settings would name a server that is gone. One set by hand (S3FM_DATA_DIR) is kept.
  const dataDir = process.env.S3FM_DATA_DIR ? undefined : mkdtempSync(path.join(os.tmpdir(), 's3fm-demo-app-'));
  const removeDataDir = (): void => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', removeDataDir);
  const env = { ...demoAppEnvironment(s3, name), ...(dataDir ? { S3FM_DATA_DIR: dataDir } : {}) };
  // ELECTRON_EXEC_PATH: electron-vite launches the binary ensureElectron checked (see scripts/start.ts).
  const app = electron.installed
    ? spawn('npx', ['electron-vite', 'preview', '--skipBuild'], {
        env: { ...env, ELECTRON_EXEC_PATH: electron.executable },
        stdio: 'inherit',
      })
    : spawn(process.execPath, ['out/main/web.js'], { env, stdio: 'inherit' });

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (app.exitCode === null && app.signalCode === null && app.pid !== undefined) {
      const exited = new Promise((resolve) => app.once('exit', resolve));
      process.kill(app.pid, 'SIGTERM');
      // The app flushes its transfer journal on the way out; its data folder goes after that.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    await s3.stop();
    process.exit(0);
  };
  app.once('exit', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

// Only when run as `node --import tsx scripts/demo.ts`: the demo's test imports the functions above.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main().catch((error: unknown) => {
    console.error('The demo could not start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
