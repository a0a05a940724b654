/**
 * The queue survives restarts. A 200 MiB upload runs in a real child process that is killed
 * with SIGKILL after some parts; the services start again over the same data folder and
 * finish it by sending only the parts the server does not have (counted at a proxy in front
 * of MinIO), with a SHA-256 and with a CRC32 (as over TLS). A download stopped when the app quits resumes from the chunks already on disk.
 */
import { spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import type { ChildUpload } from '../../../../test/transfers-child';
import { fileDigest, objectSha256, writeRandomFile } from '../../../../test/transfer-files';
import { startTransferServices } from '../../../../test/transfer-services';
import { crc32Of } from './crc32';
import type { JournalData } from './transfer-record';
import { readJournalFile } from './transfer-journal';

const s3 = inject('s3');
const MiB = 1024 * 1024;
const childScript = fileURLToPath(new URL('../../../../test/transfers-child.ts', import.meta.url));
const settings = { multipartThresholdMiB: 16, partSizeMiB: 8, partsInParallel: 4, filesInParallel: 3, maxRetries: 5 };

let bucket: FreshBucket;
let client: S3Client;
let proxy: FaultProxy;
let work: string;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  proxy = await startFaultProxy({ target: s3.endpoint });
  work = await mkdtemp(join(tmpdir(), 's3fm-resume-'));
});

afterAll(async () => {
  await proxy?.stop();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

async function readJournal(dataDir: string): Promise<JournalData | undefined> {
  try {
    return await readJournalFile(join(dataDir, 'transfers', 'journal.json'));
  } catch {
    return undefined;
  }
}

async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Takes the highest-numbered part out of the journal's one upload (see the resume test); the parts left in it. */
async function forgetLastJournaledPart(dataDir: string): Promise<number> {
  const journal = await readJournal(dataDir);
  const spec = journal?.transfers[0]?.spec;
  if (!journal || spec?.kind !== 'upload' || !spec.multipart) throw new Error('no multipart upload in the journal');
  const last = Math.max(...spec.multipart.parts.map((part) => part.partNumber));
  spec.multipart.parts = spec.multipart.parts.filter((part) => part.partNumber !== last);
  await writeFile(join(dataDir, 'transfers', 'journal.json'), JSON.stringify(journal));
  return spec.multipart.parts.length;
}

describe('restarts', () => {
  // Parts on the server that the journal never heard of are proven by what the service kept of
  // them: the ETag (an MD5) where no checksum is sent (the "other" preset), else the stored
  // checksum: a SHA-256 over plain HTTP, a CRC32 over TLS (forced through the seam: MinIO is HTTP).
  test.each([
    { checksum: 'none', provider: 'other', overTls: false },
    { checksum: 'SHA-256', provider: 'minio', overTls: false },
    { checksum: 'CRC32', provider: 'minio', overTls: true },
  ] as const)(
    'a 200 MiB upload (checksum $checksum) killed with SIGKILL resumes, sending only the missing parts',
    async ({ checksum, provider, overTls }) => {
      const dataDir = await mkdtemp(join(work, 'data-'));
      const name = `resume-${checksum}.bin`;
      const key = `resume/${name}`;
      const file = join(work, name);
      const sha = await writeRandomFile(file, 200 * MiB);
      // Slow enough (8 MiB/s per request) to kill it in the middle, with 25 parts of 8 MiB.
      proxy.setThrottle(8 * MiB);
      const request: ChildUpload = {
        endpoint: proxy.url,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        dataDir,
        bucket: bucket.name,
        prefix: 'resume/',
        paths: [file],
        settings,
        provider,
        overTls,
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
          child.once('exit', () => reject(new Error('the child exited before queuing the upload')));
        });
        const { batchId } = JSON.parse(firstLine) as { batchId: string };

        const { uploadId, journaled } = await poll(
          async () => {
            const transfer = (await readJournal(dataDir))?.transfers[0];
            const spec = transfer?.spec;
            return spec?.kind === 'upload' && spec.multipart && spec.multipart.parts.length >= 3
              ? { uploadId: spec.multipart.uploadId, journaled: spec.multipart.parts.length }
              : undefined;
          },
          60_000,
          'three parts in the journal',
        );
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
        const requestsBeforeRestart = proxy.requests.length;
        proxy.setThrottle(null);
        // A crash between a part's answer and its line in the journal leaves a part the journal
        // never heard of: made here by taking the last journaled part out of the journal (written
        // back as one JSON document, a form the journal reads). The restart must prove that part
        // by what the service kept of it, and not send it again.
        const leftInJournal = await forgetLastJournaledPart(dataDir);

        // What the server holds now: the parts that must not be sent again. A part whose last
        // bytes reached MinIO just before the kill may still land: wait until the list is stable.
        const listParts = async () => {
          const listed = await client.send(new ListPartsCommand({ Bucket: bucket.name, Key: key, UploadId: uploadId }));
          return (listed.Parts ?? []).map((part) => part.PartNumber).join(',');
        };
        let seen = await listParts();
        for (let again = ''; again !== seen;) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          [again, seen] = [seen, await listParts()];
        }
        const onServer = new Set(seen.split(',').filter(Boolean).map(Number));
        expect(onServer.size).toBeGreaterThanOrEqual(3);
        expect(onServer.size).toBeGreaterThanOrEqual(journaled);
        expect(onServer.size).toBeLessThan(25);

        const transfers = await startTransferServices({
          endpoint: proxy.url,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
          dataDir,
          account: { provider },
          ...(overTls ? { tuning: { overTls: async () => true } } : {}),
        });
        try {
          const outcome = await transfers.batchFinished(batchId, 120_000);
          expect(outcome).toMatchObject({ finished: 1, failed: 0 });

          const partPuts = proxy.requests
            .slice(requestsBeforeRestart)
            .filter((r) => r.method === 'PUT' && r.query.has('partNumber'));
          const partsSent = partPuts.map((r) => Number(r.query.get('partNumber')));
          // A part whose attempt failed on the way (a reset kept-alive connection under load, or an
          // answer lost after the server stored the part) is sent again, as it should be: what must
          // hold is that every missing part was stored and no part already on the server was sent.
          const partsStored = partPuts.filter((r) => r.status === 200).map((r) => Number(r.query.get('partNumber')));
          const missing = Array.from({ length: 25 }, (_, i) => i + 1).filter((n) => !onServer.has(n));
          const attempts = partPuts.map((r) => `${r.query.get('partNumber')}:${r.status ?? 'none'}`).join(' ');
          expect(
            partsSent.filter((n) => onServer.has(n)),
            `parts sent again: ${attempts}`,
          ).toEqual([]);
          expect(
            [...new Set(partsStored)].sort((a, b) => a - b),
            `part attempts after the restart: ${attempts}`,
          ).toEqual(missing);
          console.log(
            `resume (${key}): ${onServer.size} of 25 parts on the server at the kill (${leftInJournal} left in the journal); ${partsSent.length} part attempts after the restart (${attempts})`,
          );
          expect(await objectSha256(client, bucket.name, key)).toBe(sha);
          const stored = await client.send(
            new HeadObjectCommand({ Bucket: bucket.name, Key: key, ChecksumMode: 'ENABLED' }),
          );
          expect({ crc32: stored.ChecksumCRC32, sha256: stored.ChecksumSHA256 }).toEqual(
            checksum === 'CRC32'
              ? { crc32: crc32Of(await readFile(file)).toString('base64'), sha256: undefined }
              : checksum === 'SHA-256'
                ? { crc32: undefined, sha256: expect.stringMatching(/^[A-Za-z0-9+/]{43}=-25$/) }
                : { crc32: undefined, sha256: undefined },
          );
          const left = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name }));
          expect(left.Uploads ?? []).toEqual([]);
        } finally {
          await transfers.dispose();
        }
      } finally {
        child.kill('SIGKILL');
        proxy.setThrottle(null);
        await rm(file, { force: true });
      }
    },
    240_000,
  );

  test('a download stopped when the app quits resumes from the chunks on disk, and never looks finished before', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const target = await mkdtemp(join(work, 'target-'));
    // Four ranges of 32 MiB (downloads ask for at least 32 MiB at a time).
    const body = randomBytes(128 * MiB);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'down/sixty-four.bin', Body: body }));
    const sha = createHash('sha256').update(body).digest('hex');
    // Each ranged GET waits 1.5 s and one runs at a time, so the download is still running when
    // the app quits (chunks are journaled a second after they are written).
    proxy.addFault({ match: { method: 'GET', header: 'range' }, fault: { kind: 'delay', ms: 1500 } });
    const first = await startTransferServices({
      endpoint: proxy.url,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      dataDir,
    });
    await first.callRaw('transfers.saveSettings', { settings: { ...settings, partsInParallel: 1 } });
    const { batchId } = await first.call<{ batchId: string }>('transfers.download', {
      bucket: bucket.name,
      items: ['down/sixty-four.bin'],
      targetDir: target,
    });
    await poll(
      async () => {
        const spec = (await readJournal(dataDir))?.transfers[0]?.spec;
        return spec?.kind === 'download' && spec.doneChunks.length >= 2 ? true : undefined;
      },
      60_000,
      'two chunks on disk',
    );
    await first.dispose();
    proxy.clearFaults();

    const journal = await readJournal(dataDir);
    const spec = journal?.transfers[0]?.spec;
    if (spec?.kind !== 'download') throw new Error('no download in the journal');
    const done = spec.doneChunks.length;
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(4);
    // Only the hidden temporary file is there: nothing that looks finished.
    expect(await readdir(target)).toEqual([expect.stringMatching(/^\.sixty-four\.bin\.[0-9a-f]{8}\.s3fm-part$/)]);

    const requestsBeforeRestart = proxy.requests.length;
    const second = await startTransferServices({
      endpoint: proxy.url,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      dataDir,
    });
    try {
      const outcome = await second.batchFinished(batchId);
      expect(outcome).toMatchObject({ finished: 1, failed: 0 });
      const ranges = proxy.requests.slice(requestsBeforeRestart).filter((r) => r.method === 'GET' && r.headers.range);
      expect(ranges).toHaveLength(4 - done);
      expect(await readdir(target)).toEqual(['sixty-four.bin']);
      expect(await fileDigest(join(target, 'sixty-four.bin'))).toBe(sha);
    } finally {
      await second.dispose();
    }
  }, 120_000);
});
