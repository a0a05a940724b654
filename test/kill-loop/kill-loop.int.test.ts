/**
 * The kill loop (issue #11): the app's main process (the services in a child process, see
 * kill-loop-child.ts) runs a mixed batch of uploads, downloads and a move, and is killed with
 * SIGKILL at 20 random points: a random moment 0.2-2.5 s after it came up, or sooner once 1-2 new
 * pieces of work are done, with the proxy slowing requests so that kills land inside and between
 * part uploads, ranged GETs, completions, copies and deletes, and between a request and its
 * journal entry. After each kill it starts again over the same data folder; after the last one
 * it runs to the end. Then every byte is checked (SHA-256), and nothing is there twice: no
 * "name (1)" objects or files, no object left at its old place after the move, no multipart
 * upload and no .s3fm-part file left behind. The seed is printed (S3FM_KILL_LOOP_SEED repeats
 * a run).
 */
import { createHash, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, inject, test } from 'vitest';
import { startFaultProxy, type RecordedRequest } from '../fault-proxy';
import { classifyS3Request } from '../s3-operations';
import { freshBucket, s3ClientFor } from '../s3-fixtures';
import { seededRandom } from '../seeded-random';
import { fileDigest, objectSha256, writeSmallFile } from '../transfer-files';
import type { KillLoopChildRequest } from './kill-loop-child';
import { startChild, type ChildRun } from './child-run';
import { readJournalFile } from '../../src/main/services/transfers/transfer-journal';

const s3 = inject('s3');
const KiB = 1024;
const MiB = 1024 * KiB;
const KILLS = 20;
/** The requests that do a piece of the batch's work (not the probes, HEADs and listings of a restart). */
const WORK = new Set([
  'PutObject',
  'UploadPart',
  'CompleteMultipartUpload',
  'GetObject',
  'CopyObject',
  'DeleteObject',
  'DeleteObjects',
]);

/** How many distinct pieces of work (a part, a chunk, a copy …) the server has answered with success. */
function piecesDone(requests: readonly RecordedRequest[]): number {
  const done = new Set<string>();
  for (const r of requests) {
    if (r.status === null || r.status >= 300 || r.path.includes('.s3fm-capability-probe')) continue;
    if (!WORK.has(classifyS3Request(r).name)) continue;
    done.add(`${r.method} ${r.path} ${r.query.get('partNumber') ?? ''} ${String(r.headers.range ?? '')}`);
  }
  return done.size;
}

const seed = process.env.S3FM_KILL_LOOP_SEED ? Number(process.env.S3FM_KILL_LOOP_SEED) : randomInt(2 ** 31);

test(
  `SIGKILL at ${KILLS} random points of a mixed batch: it completes, every byte verified, nothing twice`,
  async () => {
    const started = Date.now();
    const random = seededRandom(seed);
    console.log(`kill loop: seed ${seed} (repeat with S3FM_KILL_LOOP_SEED=${seed})`);
    const bucket = await freshBucket(s3);
    const client = s3ClientFor(s3);
    const proxy = await startFaultProxy({ target: s3.endpoint });
    const work = await mkdtemp(join(tmpdir(), 's3fm-kill-loop-'));
    const running: ChildRun[] = [];
    try {
      // The batch: uploads (multipart and small), a folder to download, objects to move.
      const uploads: { name: string; path: string; sha: string }[] = [];
      const uploadSizes = [11, 13, 16, 17].map((m) => m * MiB + random.int(0, 64 * KiB));
      uploadSizes.push(0, random.int(1, 64 * KiB), random.int(64 * KiB, 900 * KiB), 5 * MiB);
      for (const [index, size] of uploadSizes.entries()) {
        const name = `u${index}.bin`;
        const path = join(work, 'src', name);
        const bytes = random.bytes(size);
        await writeSmallFile(path, bytes);
        uploads.push({ name, path, sha: createHash('sha256').update(bytes).digest('hex') });
      }
      const remote = new Map<string, string>();
      const put = async (key: string, size: number): Promise<void> => {
        const bytes = random.bytes(size);
        await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: bytes }));
        remote.set(key, createHash('sha256').update(bytes).digest('hex'));
      };
      const downloadSizes = [12 * MiB, 15 * MiB + 3, 0, 70 * KiB, 2 * MiB];
      for (const [index, size] of downloadSizes.entries()) await put(`down-src/d${index}.bin`, size);
      const moveSources: string[] = [];
      for (let index = 0; index < 6; index += 1) {
        const key = `tomove/m${index}.bin`;
        await put(key, random.int(10 * KiB, 3 * MiB));
        moveSources.push(key);
      }
      const targetDir = join(work, 'down');
      await mkdir(targetDir);
      const dataDir = join(work, 'data');

      // Slow enough that kills land inside requests: 8 MiB/s per request body, GETs held 300 ms.
      proxy.setThrottle(8 * MiB);
      proxy.addFault({ match: { method: 'GET' }, fault: { kind: 'delay', ms: 300 } });

      const request: KillLoopChildRequest = {
        endpoint: proxy.url,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        dataDir,
        bucket: bucket.name,
        queue: true,
        uploads: { paths: uploads.map((file) => file.path), prefix: 'up/' },
        downloads: { items: ['down-src/'], targetDir },
        moves: { sourcePrefix: 'tomove/', targetPrefix: 'moved/' },
        settings: { multipartThresholdMiB: 5, partSizeMiB: 5, partsInParallel: 2, filesInParallel: 2, maxRetries: 5 },
      };
      const points: string[] = [];
      /** How many transfers the journal held unfinished at each kill (the batch's stage). */
      const unfinishedAtKill: number[] = [];
      let movesIssued = 0;
      let doneEarly = 0;
      let batchIds: string[] = [];
      for (let kill = 1; kill <= KILLS; kill += 1) {
        const run = startChild({ ...request, queue: kill === 1, batchIds });
        running.push(run);
        const ready = await run.line('ready', 60_000);
        if (kill === 1) batchIds = ready.batchIds as string[];
        // The kill point: a random moment 0.2-2.5 s after the restart, or sooner, once 1-2 new pieces
        // of the batch's work are done (so that 20 kills spread over the whole batch, however fast
        // this machine is: the batch is about 40 pieces, since a small download is one GET and a
        // large one a few 32 MiB ranges, and 1-4 pieces a kill ended it before half the kills in
        // about one run in four). Parts take 0.6 s at the proxy's pace, so a kill lands inside part
        // uploads, ranged GETs, completions, copies and deletes, between a request and its
        // journal entry, or between two requests.
        const from = proxy.requests.length;
        const wait = random.int(200, 2_500);
        const pieces = random.int(1, 2);
        const before = piecesDone(proxy.requests);
        const deadline = Date.now() + wait;
        while (
          Date.now() < deadline &&
          piecesDone(proxy.requests) - before < pieces &&
          !run.lines.some((l) => l.event === 'done')
        ) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const finishedFirst = run.lines.some((line) => line.event === 'done');
        if (finishedFirst) doneEarly += 1;
        run.child.kill('SIGKILL');
        // A run that finished everything may have exited on its own already.
        const exit = await run.exited;
        if (!finishedFirst) expect(exit).toBe('SIGKILL');
        const last = proxy.requests.at(-1);
        const operation = last ? classifyS3Request(last) : undefined;
        if ((ready.moving as number) > 0) movesIssued += 1;
        let unfinished = uploads.length + downloadSizes.length;
        try {
          const journal = await readJournalFile(join(dataDir, 'transfers', 'journal.json'));
          unfinished = journal.transfers.filter((t) => t.state !== 'finished').length;
        } catch {
          // No journal written yet: killed before the first save, so nothing is finished.
        }
        unfinishedAtKill.push(unfinished);
        points.push(
          `kill ${kill}: ${Date.now() - deadline + wait} ms after the restart, ${piecesDone(proxy.requests) - before} new pieces done (${proxy.requests.length - from} requests (last ${operation?.name ?? 'none'} ${last?.status ?? 'in flight'}), ${unfinished} transfers unfinished, ${ready.moving as number} objects to move at the restart`,
        );
      }
      console.log(points.join('\n'));

      // The last run: no more kills and no more slowness; it must finish the batch.
      proxy.setThrottle(null);
      proxy.clearFaults();
      const last = startChild({ ...request, queue: false, batchIds });
      running.push(last);
      const done = await last.line('done', 180_000);
      await last.exited;
      const failedLines = running.flatMap((run) => run.lines.filter((line) => line.event === 'failed'));

      // Uploads: each file once, at its own name, whole.
      const keys = async (prefix: string) =>
        ((await client.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: prefix }))).Contents ?? [])
          .map((object) => object.Key as string)
          .sort();
      expect(await keys('up/')).toEqual(uploads.map((file) => `up/${file.name}`).sort());
      for (const file of uploads) expect(await objectSha256(client, bucket.name, `up/${file.name}`)).toBe(file.sha);
      // Moves: every source gone, every object at its new place, once, whole.
      expect(await keys('tomove/')).toEqual([]);
      expect(await keys('moved/')).toEqual(moveSources.map((key) => key.replace('tomove/', 'moved/')).sort());
      for (const key of moveSources) {
        expect(await objectSha256(client, bucket.name, key.replace('tomove/', 'moved/'))).toBe(remote.get(key));
      }
      // Nothing else in the bucket.
      expect(await keys('')).toEqual(
        [
          ...uploads.map((file) => `up/${file.name}`),
          ...[...remote.keys()].map((k) => k.replace('tomove/', 'moved/')),
        ].sort(),
      );
      // Downloads: each object once, whole; no temporary file left.
      const local = (await readdir(targetDir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => relative(targetDir, join(entry.parentPath, entry.name)))
        .sort();
      const downloaded = [...remote.keys()].filter((key) => key.startsWith('down-src/'));
      expect(local).toEqual(downloaded.sort());
      for (const key of downloaded) expect(await fileDigest(join(targetDir, key))).toBe(remote.get(key));
      const uploadsLeft = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name }));
      expect(uploadsLeft.Uploads ?? []).toEqual([]);

      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(
        `kill loop: ${KILLS} kills (${doneEarly} after the batch had finished), then a clean run; ${String(done.transfers)} transfers, ` +
          `the move issued ${movesIssued + Number(done.movesStarted)} times, ${failedLines.length} failures retried by hand; ` +
          `${uploads.length + moveSources.length} objects and ${downloaded.length} files verified; ${seconds} s`,
      );
      expect(failedLines).toEqual([]);
      // The kills saw the batch at many stages, not only its start or its end.
      const total = uploads.length + downloadSizes.length;
      expect(doneEarly).toBeLessThan(KILLS / 2);
      expect(unfinishedAtKill.filter((n) => n > 0 && n < total).length).toBeGreaterThanOrEqual(3);
    } finally {
      for (const run of running) run.child.kill('SIGKILL');
      await proxy.stop();
      await bucket.cleanup();
      client.destroy();
      await rm(work, { recursive: true, force: true });
    }
  },
  8 * 60_000,
);
