/**
 * SeaweedFS's S3 gateway for the compatibility suite, built from its Go module into
 * `.cache/seaweedfs/<version>/weed` and run as one `weed server -s3` process (master,
 * volume, filer and S3 gateway) on 127.0.0.1, with an identities file so that request
 * signatures are checked as on a real deployment.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  buildAtomically,
  cacheDir,
  freePorts,
  OutputTail,
  probe,
  retryOnAddressInUse,
  runBuildCommand,
  stopperFor,
  superviseStart,
  type RunningS3Server,
  type S3ServerLauncher,
  type StartS3ServerOptions,
} from './launcher';

/** The pinned SeaweedFS module version (from the Go module proxy). */
export const SEAWEEDFS_MODULE_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';

const MODULE = 'github.com/seaweedfs/seaweedfs';

/** Fixed test credentials: SeaweedFS checks signatures once an identity is configured. */
const ACCESS_KEY_ID = 'seaweedfs-test-key';
const SECRET_ACCESS_KEY = 'seaweedfs-test-secret';

/** SeaweedFS accepts any region in signatures; us-east-1 is what it assumes by default. */
const REGION = 'us-east-1';

/** Master, volume server, filer and gateway start one after another, so this is generous. */
const START_TIMEOUT_MS = 90_000;

const execFileAsync = promisify(execFile);

/** Where the binary of the pinned version lives: `<repo>/.cache/seaweedfs/<version>/weed` (git-ignored). */
export function seaweedfsBinaryPath(): string {
  return path.join(cacheDir('seaweedfs', SEAWEEDFS_MODULE_VERSION), 'weed');
}

/**
 * Builds `weed` once. `go install …/weed@<version>` is refused because SeaweedFS's go.mod
 * has replace directives, so: download the module, copy it (the module cache is
 * read-only), and `go build ./weed` inside the copy.
 */
export async function ensureSeaweedfs(): Promise<string> {
  const binary = seaweedfsBinaryPath();
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  process.stderr.write(
    `building SeaweedFS once, the first build takes many minutes (go build ${MODULE}/weed@${SEAWEEDFS_MODULE_VERSION})\n`,
  );
  const missingHint = '`go` was not found in PATH: install Go 1.24 or newer (https://go.dev/dl/) to build SeaweedFS';
  let moduleDir: string;
  try {
    const { stdout } = await execFileAsync(
      'go',
      ['mod', 'download', '-json', `${MODULE}@${SEAWEEDFS_MODULE_VERSION}`],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(info.Error ?? 'go mod download named no folder');
    moduleDir = info.Dir;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(missingHint, { cause: err });
    throw new Error(`go mod download ${MODULE}@${SEAWEEDFS_MODULE_VERSION} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
  await buildAtomically(binary, async (staging) => {
    const source = path.join(staging, 'src');
    cpSync(moduleDir, source, { recursive: true });
    // The module cache is read-only, and so is the copy; go build writes nothing there,
    // but removing the staging folder afterwards needs write permission.
    await runBuildCommand('chmod', ['-R', 'u+w', source]);
    const output = path.join(staging, 'weed');
    // The copy sits inside our git work tree: without -buildvcs=false Go would stamp our commit into weed.
    await runBuildCommand('go', ['build', '-buildvcs=false', '-o', output, './weed'], { cwd: source, missingHint });
    return output;
  });
  return binary;
}

/**
 * Resolves true once the gateway answers S3 requests and can store an object. A fresh
 * `weed server` answers within 2 s, but its first write waits about 7 s more: the master
 * defers its first volume id allocation for a few seconds after it starts, and object writes
 * wait for the filer to join the cluster as lock server. A throwaway bucket written once
 * here keeps that wait out of the first test.
 */
async function isReady(endpoint: string): Promise<boolean> {
  const answer = await probe(`${endpoint}/`);
  if (!answer?.body.includes('<?xml')) return false;
  const client = new S3Client({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  const Bucket = `s3fm-warm-up-${randomBytes(4).toString('hex')}`;
  try {
    await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(new PutObjectCommand({ Bucket, Key: 'warm-up', Body: 'warm-up' }));
    await client.send(new DeleteObjectCommand({ Bucket, Key: 'warm-up' }));
    await client.send(new DeleteBucketCommand({ Bucket }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

async function startOnce(binary: string, timeoutMs: number): Promise<RunningS3Server> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 's3fm-seaweedfs-'));
  try {
    // Every gRPC port defaults to its HTTP port + 10000, which could be anyone's: pick all eight.
    const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await freePorts(8);
    const configFile = path.join(dataDir, 's3-identities.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        identities: [
          {
            name: 'test',
            credentials: [{ accessKey: ACCESS_KEY_ID, secretKey: SECRET_ACCESS_KEY }],
            actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'],
          },
        ],
        // A local KMS (keys made on first use), so that SSE-KMS works as on AWS; without one,
        // SeaweedFS answers every SSE-KMS request with 500 InternalError.
        kms: {
          default_provider: 'local',
          providers: { local: { type: 'local', enableOnDemandCreate: true } },
        },
      }),
    );
    const storeDir = path.join(dataDir, 'data');
    mkdirSync(storeDir);
    const args = [
      'server',
      '-s3',
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-dir=${storeDir}`,
      `-master.port=${master}`,
      `-master.port.grpc=${masterGrpc}`,
      `-volume.port=${volume}`,
      `-volume.port.grpc=${volumeGrpc}`,
      `-filer.port=${filer}`,
      `-filer.port.grpc=${filerGrpc}`,
      `-s3.port=${s3}`,
      `-s3.port.grpc=${s3Grpc}`,
      `-s3.config=${configFile}`,
      // The Iceberg and Lance catalogs listen on fixed ports (8181, 9101) unless turned off,
      // which two servers at once would fight over.
      '-s3.port.iceberg=0',
      '-s3.port.lance=0',
      // Unix sockets default to /tmp/seaweedfs-<role>-<port>.sock: keep them in our folder.
      `-s3.localSocket=${path.join(dataDir, 's3.sock')}`,
      `-filer.localSocket=${path.join(dataDir, 'filer.sock')}`,
      // As AWS does: a PUT to a missing bucket is NoSuchBucket, not a new bucket.
      '-s3.autoCreateBucket=false',
      // Each bucket is a collection that grows several volumes at its first write: with the
      // defaults (8 volumes of 30 GB) the third bucket has nowhere to write. Volumes are not
      // preallocated, so many small ones cost little disk.
      '-master.volumeSizeLimitMB=64',
      '-volume.max=1000',
      // No anonymous usage report to seaweedfs.com from a test run.
      '-master.telemetry=false',
      // The volume server waits 10 s after SIGTERM by default, for its master to notice.
      '-volume.preStopSeconds=0',
    ];
    const tail = new OutputTail();
    const child = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // A key for SSE-S3 (any string; SeaweedFS derives its key-encryption key from it): without
      // one, a PUT with x-amz-server-side-encryption: AES256 fails with InternalError.
      env: { ...process.env, WEED_S3_SSE_KEY: randomBytes(32).toString('hex') },
    });
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    // SeaweedFS needs about 15 s to wind down after SIGTERM while its filer retries the
    // stopped volume server; its data is thrown away, so it gets SIGKILL after 2 s.
    const leftovers = [dataDir];
    const stop = stopperFor(child, leftovers, 2000);
    const endpoint = `http://127.0.0.1:${s3}`;
    try {
      await superviseStart({ label: 'SeaweedFS', child, tail, isReady: () => isReady(endpoint), timeoutMs });
    } catch (err) {
      await stop();
      throw err;
    }
    // Each gRPC server also listens on /tmp/seaweedfs-<role>-grpc-<port>.sock (a fixed folder,
    // weed/command/server.go), left behind by SIGKILL. Only once it is up are they surely its
    // own, not those of a server that held one of the ports first.
    leftovers.push(
      ...Object.entries({ master: masterGrpc, volume: volumeGrpc, filer: filerGrpc, s3: s3Grpc }).map(([role, port]) =>
        path.join('/tmp', `seaweedfs-${role}-grpc-${port}.sock`),
      ),
    );
    return {
      server: 'seaweedfs',
      version: SEAWEEDFS_MODULE_VERSION,
      endpoint,
      region: REGION,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      stop,
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** SeaweedFS's S3 gateway (Go module, built once). */
export const seaweedfsLauncher: S3ServerLauncher = {
  name: 'seaweedfs',
  version: SEAWEEDFS_MODULE_VERSION,
  prepare: async () => {
    await ensureSeaweedfs();
  },
  start: async (opts: StartS3ServerOptions = {}) => {
    const binary = await ensureSeaweedfs();
    return retryOnAddressInUse(() => startOnce(binary, opts.timeoutMs ?? START_TIMEOUT_MS));
  },
};
