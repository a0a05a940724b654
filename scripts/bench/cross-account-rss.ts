/**
 * Peak memory of a copy between accounts: two MinIO servers, a generated object of the given
 * size put into the first (in 8 MiB parts, never whole in memory), then a child process copies
 * it through the app's queue into the second; its peak RSS must stay under the limit. The
 * copy's ETag must equal the source's (both are the MD5 of the same 8 MiB parts' MD5s), so the
 * bytes are checked too.
 *
 * Usage: node --import tsx scripts/bench/cross-account-rss.ts [--mib 1024] [--limit-mb 250]
 * (npm run bench:cross-account). Exits 1 when the copy fails or its peak is over the limit.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { startMinio, type RunningS3 } from '../minio';
import { freshBucket, s3ClientFor } from '../../test/s3-fixtures';
import type { CrossAccountJob, CrossAccountResult } from './cross-account-child';

const MiB = 1024 * 1024;
const PART = 8 * MiB;
const childScript = fileURLToPath(new URL('./cross-account-child.ts', import.meta.url));

/** Puts `bytes` of generated data (one random 8 MiB block, each part stamped with its number) in 8 MiB parts. */
async function putGenerated(client: S3Client, bucket: string, key: string, bytes: number): Promise<string> {
  const block = randomBytes(PART);
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const parts: { PartNumber: number; ETag: string }[] = [];
  for (let n = 1; (n - 1) * PART < bytes; n += 1) {
    const body = block.subarray(0, Math.min(PART, bytes - (n - 1) * PART));
    body.writeUInt32BE(n, 0);
    const { ETag } = await client.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: n, Body: body }),
    );
    parts.push({ PartNumber: n, ETag: ETag ?? '' });
  }
  const done = await client.send(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }),
  );
  return done.ETag ?? '';
}

/** Runs the child and reads its one line of JSON. */
function runChild(job: CrossAccountJob): Promise<CrossAccountResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
      // Only what Node needs: a test runner's NODE_OPTIONS (its own loaders) would be measured too.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BENCH_CROSS_ACCOUNT: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the copy's process exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? 'null') as CrossAccountResult);
    });
  });
}

/** What one measurement found. */
export interface CrossAccountMeasurement extends CrossAccountResult {
  bytes: number;
  sourceEtag: string;
  targetEtag: string;
}

/** Copies a generated object of `bytes` between two fresh MinIO servers in a child process and measures it. */
export async function measureCrossAccountCopy(bytes: number): Promise<CrossAccountMeasurement> {
  const servers: RunningS3[] = [];
  try {
    servers.push(await startMinio(), await startMinio());
    const [from, to] = servers as [RunningS3, RunningS3];
    const [sourceBucket, targetBucket] = await Promise.all([freshBucket(from), freshBucket(to)]);
    const source = s3ClientFor(from);
    const target = s3ClientFor(to);
    try {
      const sourceEtag = await putGenerated(source, sourceBucket.name, 'big.bin', bytes);
      const credentials = (s: RunningS3) => ({
        endpoint: s.endpoint,
        accessKeyId: s.accessKeyId,
        secretAccessKey: s.secretAccessKey,
      });
      const result = await runChild({
        source: { ...credentials(from), bucket: sourceBucket.name, key: 'big.bin' },
        target: { ...credentials(to), bucket: targetBucket.name, prefix: 'copied/' },
        timeoutMs: 15 * 60_000,
      });
      const head = await target.send(new HeadObjectCommand({ Bucket: targetBucket.name, Key: 'copied/big.bin' }));
      if (head.ContentLength !== bytes) throw new Error(`the copy has ${head.ContentLength} bytes, not ${bytes}`);
      return { ...result, bytes, sourceEtag, targetEtag: head.ETag ?? '' };
    } finally {
      await Promise.all([sourceBucket.cleanup(), targetBucket.cleanup()]);
      source.destroy();
      target.destroy();
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const mib = arg('--mib', 1024);
  const limitMb = arg('--limit-mb', 250);
  const measured = await measureCrossAccountCopy(mib * MiB);
  const peakMb = measured.peakRssBytes / 1e6;
  console.log(
    `cross-account copy of ${mib} MiB: ${(measured.ms / 1000).toFixed(1)} s, ` +
      `${((mib * MiB) / MiB / (measured.ms / 1000)).toFixed(0)} MiB/s, ` +
      `RSS ${(measured.rssBeforeBytes / 1e6).toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB (limit ${limitMb} MB); ` +
      `verified by ${measured.transfer?.verifiedBy ?? '?'}; ETag ${measured.targetEtag} (source ${measured.sourceEtag})`,
  );
  if (measured.targetEtag !== measured.sourceEtag) throw new Error('the copy’s ETag is not the source’s');
  if (peakMb >= limitMb) throw new Error(`peak RSS ${peakMb.toFixed(0)} MB is over ${limitMb} MB`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
