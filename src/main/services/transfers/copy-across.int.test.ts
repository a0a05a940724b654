/**
 * Copies and moves between two accounts on two real MinIO servers (the suite's own, and one
 * started here), each behind a fault proxy that counts requests and slows or refuses them. What
 * is checked is what lands: bytes (SHA-256), type, metadata and tags at the target; sources kept
 * or gone; no multipart upload left behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { startMinio, type RunningS3 } from '../../../../scripts/minio';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { objectBytes, objectSha256 } from '../../../../test/transfer-files';
import { startTransferServices } from '../../../../test/transfer-services';
import type { ChildCopy } from '../../../../test/copy-across-child';
import { crc32Of } from './crc32';
import { readJournalFile } from './transfer-journal';

const s3 = inject('s3');
const childScript = fileURLToPath(new URL('../../../../test/copy-across-child.ts', import.meta.url));
const MiB = 1024 * 1024;
const settings = { multipartThresholdMiB: 16, partSizeMiB: 8, partsInParallel: 2, filesInParallel: 3, maxRetries: 3 };

let second: RunningS3;
let sourceProxy: FaultProxy;
let targetProxy: FaultProxy;
let sourceBucket: FreshBucket;
let targetBucket: FreshBucket;
let source: S3Client;
let target: S3Client;

beforeAll(async () => {
  second = await startMinio();
  [sourceProxy, targetProxy, sourceBucket, targetBucket] = await Promise.all([
    startFaultProxy({ target: s3.endpoint }),
    startFaultProxy({ target: second.endpoint }),
    freshBucket(s3),
    freshBucket(second),
  ]);
  source = s3ClientFor(s3);
  target = s3ClientFor(second);
}, 120_000);

afterEach(() => {
  sourceProxy.clearFaults();
  targetProxy.clearFaults();
});

afterAll(async () => {
  await Promise.all([sourceProxy?.stop(), targetProxy?.stop()]);
  await Promise.all([sourceBucket?.cleanup(), targetBucket?.cleanup()]);
  source?.destroy();
  target?.destroy();
  await second?.stop();
});

/**
 * The services with two accounts: "launch" (source MinIO) and "other" (target MinIO), both
 * through their proxies; the target may be set up with another provider's preset (its model),
 * and its uploads may choose their checksum as over TLS (`asOverTls`: CRC32s the proxy can see).
 */
async function twoAccounts(dataDir?: string, targetProvider?: 'r2' | 'minio', asOverTls = false) {
  const services = await startTransferServices({
    endpoint: sourceProxy.url,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ...(dataDir ? { dataDir } : {}),
    ...(asOverTls ? { tuning: { overTls: async () => true } } : {}),
    otherAccounts: [
      {
        id: 'other',
        name: 'Target MinIO',
        endpoint: targetProxy.url,
        accessKeyId: second.accessKeyId,
        secretAccessKey: second.secretAccessKey,
        ...(targetProvider ? { provider: targetProvider } : {}),
      },
    ],
  });
  await services.callRaw('transfers.saveSettings', { settings });
  return services;
}

type Services = Awaited<ReturnType<typeof twoAccounts>>;

/** Queues a copy or move from the source bucket into the target bucket's `prefix`. */
function copyAcross(services: Services, mode: 'copy' | 'move', items: string[], prefix: string) {
  return services.callRaw<{ batchId: string; count: number }>('transfers.copyAcross', {
    mode,
    source: { accountId: 'launch', bucket: sourceBucket.name, items },
    target: { accountId: 'other', bucket: targetBucket.name, prefix },
  });
}

async function put(key: string, body: Buffer, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) {
  await source.send(new PutObjectCommand({ Bucket: sourceBucket.name, Key: key, Body: body, ...extra }));
  return createHash('sha256').update(body).digest('hex');
}

async function exists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function targetUploads(): Promise<string[]> {
  const listed = await target.send(new ListMultipartUploadsCommand({ Bucket: targetBucket.name }));
  return (listed.Uploads ?? []).map((upload) => upload.Key ?? '');
}

async function journalParts(dataDir: string): Promise<number> {
  try {
    const journal = await readJournalFile(join(dataDir, 'transfers', 'journal.json'));
    const spec = journal.transfers[0]?.spec;
    return spec?.kind === 'copy' ? (spec.multipart?.parts.length ?? 0) : 0;
  } catch {
    return 0;
  }
}

const rangedGets = (from: number) =>
  sourceProxy.requests.slice(from).filter((r) => r.method === 'GET' && r.headers.range !== undefined);

describe('copies between accounts', () => {
  test('a folder with a small and a multipart object lands byte for byte, with its type, metadata and tags', async () => {
    const small = await put('docs/a.txt', Buffer.from('hello across accounts'), {
      ContentType: 'text/plain; charset=utf-8',
      Metadata: { owner: 'ana' },
      Tagging: 'team=blue',
    });
    const big = await put('docs/sub/big.bin', randomBytes(40 * MiB), {
      ContentType: 'application/x-test',
      Metadata: { kind: 'large' },
      Tagging: 'size=big&team=red',
    });
    const services = await twoAccounts();
    try {
      const before = sourceProxy.requests.length;
      const { batchId, count } = await copyAcross(services, 'copy', ['docs/'], 'in');
      expect(count).toBe(2);
      expect(await services.batchFinished(batchId)).toMatchObject({ finished: 2, failed: 0 });

      expect(await objectSha256(target, targetBucket.name, 'in/docs/a.txt')).toBe(small);
      expect(await objectSha256(target, targetBucket.name, 'in/docs/sub/big.bin')).toBe(big);
      const smallHead = await target.send(new HeadObjectCommand({ Bucket: targetBucket.name, Key: 'in/docs/a.txt' }));
      expect(smallHead.ContentType).toBe('text/plain; charset=utf-8');
      expect(smallHead.Metadata).toEqual({ owner: 'ana' });
      const bigHead = await target.send(
        new HeadObjectCommand({ Bucket: targetBucket.name, Key: 'in/docs/sub/big.bin' }),
      );
      expect(bigHead.ContentType).toBe('application/x-test');
      expect(bigHead.Metadata).toEqual({ kind: 'large' });
      expect(bigHead.ETag).toMatch(/-5"$/);
      const tags = async (key: string) =>
        (await target.send(new GetObjectTaggingCommand({ Bucket: targetBucket.name, Key: key }))).TagSet?.map(
          (tag) => `${tag.Key}=${tag.Value}`,
        ).sort();
      expect(await tags('in/docs/a.txt')).toEqual(['team=blue']);
      expect(await tags('in/docs/sub/big.bin')).toEqual(['size=big', 'team=red']);

      // Five ranged GETs of 8 MiB for the large one, each If-Match the source's ETag.
      const ranges = rangedGets(before);
      expect(ranges).toHaveLength(5);
      for (const range of ranges) expect(range.headers['if-match']).toBeTruthy();
      const shown = services.batchSnapshots(batchId);
      expect(shown.map((t) => t.direction)).toEqual(['copy', 'copy']);
      for (const t of shown) expect(['checksum', 'md5']).toContain(t.verifiedBy);
      expect(shown.find((t) => t.key === 'in/docs/a.txt')?.localPath).toBe(`Local S3: ${sourceBucket.name}/docs/a.txt`);
      // A copy keeps its sources.
      expect(await exists(source, sourceBucket.name, 'docs/sub/big.bin')).toBe(true);
      expect(await targetUploads()).toEqual([]);
    } finally {
      await services.dispose();
    }
  }, 120_000);

  test.each([
    ['SHA-256', false, 'x-amz-checksum-sha256'],
    ['CRC32', true, 'x-amz-checksum-crc32'],
  ] as const)(
    'to a target that takes checksums (MinIO preset), every part carries its %s, the whole object its CRC32; the copies are checked by them',
    async (algorithm, asOverTls, headerName) => {
      const prefix = `sums-${algorithm}`;
      const smallBody = Buffer.from(`checked by ${algorithm}`);
      const bigBody = randomBytes(20 * MiB + 777);
      await put('sums/small.txt', smallBody);
      await put('sums/big.bin', bigBody);
      const services = await twoAccounts(undefined, 'minio', asOverTls);
      try {
        const before = targetProxy.requests.length;
        const { batchId } = await copyAcross(services, 'copy', ['sums/'], prefix);
        expect(await services.batchFinished(batchId)).toMatchObject({ finished: 2, failed: 0 });
        for (const t of services.batchSnapshots(batchId)) expect(t.verifiedBy).toBe('checksum');
        const puts = targetProxy.requests.slice(before).filter((r) => r.method === 'PUT');
        expect(puts).toHaveLength(4); // the small object, and three parts of 8 MiB
        for (const request of puts.filter((r) => r.query.has('partNumber'))) {
          expect(request.headers[headerName]).toBeTruthy();
          expect(request.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
          expect(request.headers['content-md5']).toBeUndefined();
        }
        // The small object: its CRC32, over plain HTTP signed by its SHA-256 (wholeBodyDigests).
        const whole = puts.filter((r) => !r.query.has('partNumber'));
        expect(whole).toHaveLength(1);
        expect(whole[0]?.headers['x-amz-checksum-crc32']).toBe(crc32Of(smallBody).toString('base64'));
        expect(whole[0]?.headers['x-amz-checksum-sha256']).toBeUndefined();
        expect(whole[0]?.headers['x-amz-content-sha256']).toBe(
          asOverTls ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(smallBody).digest('hex'),
        );
        expect(whole[0]?.headers['content-md5']).toBeUndefined();
        const completion = targetProxy.requests
          .slice(before)
          .find((r) => r.method === 'POST' && r.query.has('uploadId'));
        expect(completion?.headers['x-amz-checksum-type']).toBe(asOverTls ? 'FULL_OBJECT' : undefined);
        for (const [key, body] of [
          [`${prefix}/sums/small.txt`, smallBody],
          [`${prefix}/sums/big.bin`, bigBody],
        ] as const) {
          const head = await target.send(
            new HeadObjectCommand({ Bucket: targetBucket.name, Key: key, ChecksumMode: 'ENABLED' }),
          );
          if (asOverTls || body === smallBody) expect(head.ChecksumCRC32).toBe(crc32Of(body).toString('base64'));
          else expect(head.ChecksumSHA256).toBeTruthy();
          expect((await objectBytes(target, targetBucket.name, key)).equals(body)).toBe(true);
        }
      } finally {
        await services.dispose();
      }
    },
    120_000,
  );

  test('a move deletes each source only once its copy is verified; a refused copy keeps its source', async () => {
    const one = await put('mv/one.txt', randomBytes(1000));
    const two = await put('mv/two.bin', randomBytes(20 * MiB));
    // The target refuses every part of two.bin: its copy can never be verified.
    targetProxy.addFault({
      match: { method: 'PUT', pathIncludes: 'two.bin', queryHas: 'partNumber' },
      fault: { kind: 'status', status: 403, code: 'AccessDenied' },
    });
    const services = await twoAccounts();
    try {
      const { batchId } = await copyAcross(services, 'move', ['mv/one.txt', 'mv/two.bin'], 'moved/');
      expect(await services.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 1 });
      expect(services.batches.find((b) => b.batchId === batchId)?.summary).toMatch(/^Moved 1 file to .*1 failed/);
      expect(await objectSha256(target, targetBucket.name, 'moved/one.txt')).toBe(one);
      expect(await exists(source, sourceBucket.name, 'mv/one.txt')).toBe(false);
      // Refused at the target: nothing there, and the source stays.
      expect(await exists(target, targetBucket.name, 'moved/two.bin')).toBe(false);
      expect(await objectSha256(source, sourceBucket.name, 'mv/two.bin')).toBe(two);
      const failed = services.batchSnapshots(batchId).find((t) => t.state === 'failed');
      expect(failed?.error?.code).toBe('access-denied');

      targetProxy.clearFaults();
      await services.callRaw('transfers.retry', { ids: [failed?.id] });
      await services.waitFor(
        () => services.batchSnapshots(batchId).every((t) => t.state === 'finished'),
        60_000,
        'the retried move',
      );
      expect(await objectSha256(target, targetBucket.name, 'moved/two.bin')).toBe(two);
      expect(await exists(source, sourceBucket.name, 'mv/two.bin')).toBe(false);
      expect(await targetUploads()).toEqual([]);
    } finally {
      await services.dispose();
    }
  }, 120_000);

  test('a source that changes mid-copy stops the copy, in words, and leaves nothing at the target', async () => {
    await put('chg/big.bin', randomBytes(40 * MiB));
    sourceProxy.addFault({ match: { method: 'GET', header: 'range' }, fault: { kind: 'delay', ms: 800 } });
    const services = await twoAccounts();
    try {
      const { batchId } = await copyAcross(services, 'move', ['chg/big.bin'], '');
      await services.waitFor(
        () => services.batchSnapshots(batchId).some((t) => t.bytesDone > 0),
        60_000,
        'a first part',
      );
      const changed = await put('chg/big.bin', randomBytes(40 * MiB));
      expect(await services.batchFinished(batchId)).toMatchObject({ finished: 0, failed: 1 });
      const [shown] = services.batchSnapshots(batchId);
      expect(shown?.error?.code).toBe('conflict');
      expect(shown?.error?.message).toContain('chg/big.bin changed in');
      expect(await exists(target, targetBucket.name, 'big.bin')).toBe(false);
      expect(await targetUploads()).toEqual([]);
      // A move that could not copy never deletes: the new version is there, untouched.
      expect(await objectSha256(source, sourceBucket.name, 'chg/big.bin')).toBe(changed);
    } finally {
      await services.dispose();
    }
  }, 120_000);

  test('a copy stopped when the app quits resumes after the restart, reading only the parts not yet at the target', async () => {
    const sha = await put('resume/big.bin', randomBytes(48 * MiB));
    sourceProxy.addFault({ match: { method: 'GET', header: 'range' }, fault: { kind: 'delay', ms: 700 } });
    const dataDir = await mkdtemp(join(tmpdir(), 's3fm-xcopy-'));
    const first = await twoAccounts(dataDir);
    const { batchId } = await copyAcross(first, 'copy', ['resume/big.bin'], 'resumed/');
    await first.waitFor(async () => (await journalParts(dataDir)) >= 2, 60_000, 'two parts journaled');
    await first.dispose();
    sourceProxy.clearFaults();
    const kept = await journalParts(dataDir);
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(6);
    expect(await targetUploads()).toEqual(['resumed/big.bin']);

    const before = sourceProxy.requests.length;
    const again = await twoAccounts(dataDir);
    try {
      expect(await again.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
      expect(rangedGets(before)).toHaveLength(6 - kept);
      expect(await objectSha256(target, targetBucket.name, 'resumed/big.bin')).toBe(sha);
      expect(await targetUploads()).toEqual([]);
      console.log(`copy resume: ${kept} of 6 parts kept across the restart, ${6 - kept} read after it`);
    } finally {
      await again.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('a copy killed with SIGKILL mid-way resumes after the restart, reading only the parts not yet journaled', async () => {
    const sha = await put('crash/big.bin', randomBytes(48 * MiB));
    sourceProxy.addFault({ match: { method: 'GET', header: 'range' }, fault: { kind: 'delay', ms: 700 } });
    const dataDir = await mkdtemp(join(tmpdir(), 's3fm-xcopy-'));
    const request: ChildCopy = {
      dataDir,
      source: {
        endpoint: sourceProxy.url,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        bucket: sourceBucket.name,
        items: ['crash/big.bin'],
      },
      target: {
        endpoint: targetProxy.url,
        accessKeyId: second.accessKeyId,
        secretAccessKey: second.secretAccessKey,
        bucket: targetBucket.name,
        prefix: 'crashed/',
      },
      settings,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', () => reject(new Error('the child exited before queuing the copy')));
      });
      const { batchId } = JSON.parse(firstLine) as { batchId: string };
      const deadline = Date.now() + 60_000;
      while ((await journalParts(dataDir)) < 2) {
        if (Date.now() > deadline) throw new Error('no two parts journaled');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      sourceProxy.clearFaults();
      const kept = await journalParts(dataDir);
      expect(kept).toBeLessThan(6);

      const before = sourceProxy.requests.length;
      const again = await twoAccounts(dataDir);
      try {
        expect(await again.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
        expect(rangedGets(before)).toHaveLength(6 - kept);
        expect(await objectSha256(target, targetBucket.name, 'crashed/big.bin')).toBe(sha);
        expect(await targetUploads()).toEqual([]);
        console.log(`copy crash: ${kept} of 6 parts journaled at the kill, ${6 - kept} read after the restart`);
      } finally {
        await again.dispose();
      }
    } finally {
      child.kill('SIGKILL');
      sourceProxy.clearFaults();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('cancel stops a copy and removes what was sent; the source stays', async () => {
    const sha = await put('cancel/big.bin', randomBytes(40 * MiB));
    sourceProxy.addFault({ match: { method: 'GET', header: 'range' }, fault: { kind: 'delay', ms: 800 } });
    const services = await twoAccounts();
    try {
      const { batchId } = await copyAcross(services, 'move', ['cancel/big.bin'], 'cancelled/');
      await services.waitFor(async () => (await journalParts(services.dataDir)) >= 1, 60_000, 'a first part');
      expect(await targetUploads()).toEqual(['cancelled/big.bin']);
      await services.callRaw('transfers.cancel', {});
      await services.waitFor(
        () => services.batchSnapshots(batchId)[0]?.state === 'cancelled',
        10_000,
        'the cancelled state',
      );
      expect(await targetUploads()).toEqual([]);
      expect(await exists(target, targetBucket.name, 'cancelled/big.bin')).toBe(false);
      expect(await objectSha256(source, sourceBucket.name, 'cancel/big.bin')).toBe(sha);
    } finally {
      await services.dispose();
    }
  }, 120_000);

  test('a target whose model lacks tags, SSE-S3 and the storage class gets the bytes, and the note names what stayed behind', async () => {
    const sha = await put('caps/report.pdf', randomBytes(3000), {
      ContentType: 'application/pdf',
      Metadata: { owner: 'ana' },
      Tagging: 'team=blue',
      ServerSideEncryption: 'AES256',
      StorageClass: 'REDUCED_REDUNDANCY',
    });
    // The target account is set up as Cloudflare R2: no tags, no SSE-S3 header, STANDARD and STANDARD_IA only.
    const services = await twoAccounts(undefined, 'r2');
    try {
      const before = targetProxy.requests.length;
      const { batchId } = await copyAcross(services, 'copy', ['caps/report.pdf'], 'r2/');
      expect(await services.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
      expect(await objectSha256(target, targetBucket.name, 'r2/report.pdf')).toBe(sha);
      const head = await target.send(new HeadObjectCommand({ Bucket: targetBucket.name, Key: 'r2/report.pdf' }));
      expect(head.ContentType).toBe('application/pdf');
      expect(head.Metadata).toEqual({ owner: 'ana' });
      expect(head.ServerSideEncryption).toBeUndefined();
      expect(head.StorageClass).toBeUndefined();
      const tags = await target.send(new GetObjectTaggingCommand({ Bucket: targetBucket.name, Key: 'r2/report.pdf' }));
      expect(tags.TagSet ?? []).toEqual([]);
      // Nothing the model says R2 refuses was even sent.
      const sent = targetProxy.requests
        .slice(before)
        .find((r) => r.method === 'PUT' && r.path.endsWith('r2/report.pdf'));
      expect(sent).toBeDefined();
      expect(sent?.headers['x-amz-tagging']).toBeUndefined();
      expect(sent?.headers['x-amz-server-side-encryption']).toBeUndefined();
      expect(sent?.headers['x-amz-storage-class']).toBeUndefined();
      const note = services.batchSnapshots(batchId)[0]?.note ?? '';
      expect(note).toContain('Not carried over:');
      expect(note).toContain('storage class REDUCED_REDUNDANCY');
      expect(note).toContain('1 tag (Cloudflare R2 does not store object tags.)');
      expect(note).toContain('SSE-S3 encryption (Cloudflare R2 encrypts every object at rest itself');
    } finally {
      await services.dispose();
    }
  });

  test('a copy within one account is refused with the reason', async () => {
    const services = await twoAccounts();
    try {
      await expect(
        services.callRaw('transfers.copyAcross', {
          mode: 'copy',
          source: { accountId: 'launch', bucket: sourceBucket.name, items: ['x'] },
          target: { accountId: 'launch', bucket: sourceBucket.name, prefix: 'y/' },
        }),
      ).rejects.toThrow(/Choose another account/);
    } finally {
      await services.dispose();
    }
  });
});
