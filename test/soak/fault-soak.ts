/**
 * The fault soak (issue #11): uploads, downloads, copies, moves and deletes run through the
 * app's services (dispatch, as the hosts call them) against MinIO behind the fault proxy, while
 * the proxy injects connection cuts, resets, lost answers, stalls, 500/503/SlowDown and bursts of
 * 403, chosen by a seeded random generator. A transfer that fails (a 403 is not retried by the
 * queue) is retried the way a person would, with transfers.retry; an operation that did not
 * finish is run again. At the end every object and every downloaded file must be byte-identical
 * to what was intended (SHA-256), no multipart upload may be left, and nothing may be missing
 * that should be there: a move may delete its source only once the copy is verified, which is
 * checked after every attempt. Used by `npm run soak` (scripts/soak.ts) and, for 2 minutes, by
 * fault-soak.int.test.ts inside `npm test`.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CreateBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { TransferSnapshot } from '../../src/shared/transfers';
import { startAppServices, AppCallError, type AppServices } from '../app-services';
import { startFaultProxy, type FaultKind, type FaultProxy } from '../fault-proxy';
import { emptyAndDeleteBucket, s3ClientFor, type RunningS3Info } from '../s3-fixtures';
import { seededRandom, type SeededRandom } from '../seeded-random';
import { fileDigest, objectSha256, writeSmallFile } from '../transfer-files';

const KiB = 1024;
const MiB = 1024 * KiB;

/** What a soak is told. */
export interface SoakOptions {
  s3: RunningS3Info;
  minutes: number;
  seed: number;
  /** Rounds run side by side, each in its own prefix (default 2). */
  workers?: number;
  log?: (line: string) => void;
}

/** The faults the proxy injects, by name. */
export type FaultLabel =
  'cut' | 'reset' | 'lost-answer' | 'cut-response' | 'stall' | '500' | '503' | 'SlowDown' | '403';

/** What a soak did and found. */
export interface SoakReport {
  seed: number;
  minutes: number;
  durationMs: number;
  rounds: number;
  /** Transfer batches and operations started (a batch retried or an operation run again counts once more). */
  operations: { uploads: number; downloads: number; copies: number; moves: number; deletes: number };
  /** Files moved by the queue (each upload or download of one file). */
  transfers: number;
  faults: Record<FaultLabel, number>;
  /** Requests hit by a fault (a 403 burst counts each request it hit). */
  faultsInjected: number;
  retries: {
    /** Attempts the queue retried on its own after a transient error. */
    automatic: number;
    /** Failed transfers retried with transfers.retry (after a 403 burst, or too many transient errors). */
    byHand: number;
    /** Operations (copy, move, delete) and requests run again after they did not finish. */
    operationsAgain: number;
  };
  verified: { objects: number; localFiles: number };
  /** What did not hold; empty when the soak passed. */
  problems: string[];
}

/** One kind of fault: how often it is chosen, and the rule it becomes. */
interface FaultChoice {
  label: FaultLabel;
  weight: number;
  make(random: SeededRandom): { fault: FaultKind; times: number; method?: string };
}

/**
 * The faults and their weights. Stalls end by destroying the socket (the queue's watchdog, 2 s
 * here, or the SDK's retry notices); a 'lost answer' lets the server act on the request and cuts
 * the connection before its answer, which is the nastiest for non-idempotent-looking requests
 * (CompleteMultipartUpload, CopyObject, DeleteObjects).
 */
const FAULT_CHOICES: FaultChoice[] = [
  { label: 'cut', weight: 3, make: (r) => ({ fault: { kind: 'cut', afterBytes: r.int(1, 2 * MiB) }, times: 1 }) },
  { label: 'reset', weight: 2, make: () => ({ fault: { kind: 'cut', afterBytes: 0 }, times: 1 }) },
  {
    label: 'lost-answer',
    weight: 1,
    make: () => ({ fault: { kind: 'cut', afterBytes: Number.MAX_SAFE_INTEGER }, times: 1 }),
  },
  {
    label: 'cut-response',
    weight: 2,
    make: (r) => ({ fault: { kind: 'cut-response', afterBytes: r.int(0, 512 * KiB) }, times: 1, method: 'GET' }),
  },
  { label: 'stall', weight: 2, make: (r) => ({ fault: { kind: 'stall', ms: r.int(1_500, 3_500) }, times: 1 }) },
  {
    label: '500',
    weight: 2,
    make: () => ({ fault: { kind: 'status', status: 500, code: 'InternalError' }, times: 1 }),
  },
  {
    label: '503',
    weight: 2,
    make: () => ({ fault: { kind: 'status', status: 503, code: 'ServiceUnavailable' }, times: 1 }),
  },
  {
    label: 'SlowDown',
    weight: 2,
    make: (r) => ({ fault: { kind: 'status', status: 503, code: 'SlowDown' }, times: r.int(1, 3) }),
  },
  {
    label: '403',
    weight: 1,
    make: (r) => ({ fault: { kind: 'status', status: 403, code: 'AccessDenied' }, times: r.int(2, 5) }),
  },
];

/** Every file below a folder, as paths relative to it. */
async function filesBelow(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

/** Every key below a prefix, straight from the server (not through the proxy). */
async function keysBelow(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Runs the soak and reports; it throws only when it cannot run at all (problems are in the report). */
export async function runFaultSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  // One generator for the faults, one per worker for its files: each sequence is the seed's own,
  // whatever the timing (which request a fault hits still depends on timing).
  const random = seededRandom(options.seed);
  const started = Date.now();
  const deadline = started + options.minutes * 60_000;
  const report: SoakReport = {
    seed: options.seed,
    minutes: options.minutes,
    durationMs: 0,
    rounds: 0,
    operations: { uploads: 0, downloads: 0, copies: 0, moves: 0, deletes: 0 },
    transfers: 0,
    faults: {
      cut: 0,
      reset: 0,
      'lost-answer': 0,
      'cut-response': 0,
      stall: 0,
      '500': 0,
      '503': 0,
      SlowDown: 0,
      '403': 0,
    },
    faultsInjected: 0,
    retries: { automatic: 0, byHand: 0, operationsAgain: 0 },
    verified: { objects: 0, localFiles: 0 },
    problems: [],
  };
  const problem = (text: string): void => {
    report.problems.push(text);
    log(`PROBLEM: ${text}`);
  };

  const direct = s3ClientFor(options.s3);
  const bucket = `soak-${options.seed.toString(16)}-${Date.now().toString(36)}`;
  await direct.send(new CreateBucketCommand({ Bucket: bucket }));
  const work = await mkdtemp(join(tmpdir(), 's3fm-soak-'));
  let proxy: FaultProxy | undefined;
  let app: AppServices | undefined;
  let injecting = true;
  let injector: Promise<void> | undefined;
  try {
    proxy = await startFaultProxy({ target: options.s3.endpoint });
    app = await startAppServices({
      endpoint: proxy.url,
      accessKeyId: options.s3.accessKeyId,
      secretAccessKey: options.s3.secretAccessKey,
      dataDir: join(work, 'data'),
      // A stall is given up after 2 s (60 s in the app), and backoff is short, so faults cost seconds.
      transferTuning: { stallTimeoutMs: 2_000, backoff: { baseMs: 100, capMs: 1_000 }, tickMs: 50 },
    });
    const services = app;
    await services.callRaw('transfers.saveSettings', {
      settings: { multipartThresholdMiB: 5, partSizeMiB: 5, partsInParallel: 3, filesInParallel: 3, maxRetries: 6 },
    });

    // Automatic retries: each transfer's counter, read from its snapshots (reset by transfers.retry).
    const retriesSeen = new Map<string, number>();
    services.services.bus.onAny((channel, payload) => {
      if (channel !== 'transfers.changed') return;
      for (const snapshot of (payload as { transfers: TransferSnapshot[] }).transfers) {
        const before = retriesSeen.get(snapshot.id) ?? 0;
        if (snapshot.retries > before) report.retries.automatic += snapshot.retries - before;
        retriesSeen.set(snapshot.id, snapshot.retries);
      }
    });

    // The injector: one pending fault at a time, a new one every 150-700 ms, counted when it hits.
    const faultProxy = proxy;
    injector = (async () => {
      const totalWeight = FAULT_CHOICES.reduce((sum, choice) => sum + choice.weight, 0);
      while (injecting) {
        await new Promise((resolve) => setTimeout(resolve, random.int(150, 700)));
        if (!injecting) break;
        let roll = random.next() * totalWeight;
        const choice = FAULT_CHOICES.find((c) => (roll -= c.weight) < 0) ?? FAULT_CHOICES[0];
        if (!choice) break;
        const { fault, times, method } = choice.make(random);
        faultProxy.clearFaults();
        faultProxy.addFault({
          match: {
            ...(method ? { method } : {}),
            predicate: () => {
              report.faults[choice.label] += 1;
              report.faultsInjected += 1;
              return true;
            },
          },
          times,
          fault,
        });
      }
      faultProxy.clearFaults();
    })();

    /** What must be in the bucket, key by key, and its SHA-256. */
    const intended = new Map<string, string>();

    /** Sends a request again when a fault made the request itself fail (not the work it started). */
    const again = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await send();
        } catch (error) {
          if (!(error instanceof AppCallError) || attempt >= 20) throw error;
          report.retries.operationsAgain += 1;
          log(`  ${what} refused (${error.code}: ${error.message.slice(0, 120)}); again`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };

    /** Queues a batch and waits until every transfer of it finished, retrying failed ones by hand. */
    const runBatch = async (
      kind: 'uploads' | 'downloads',
      channel: string,
      input: object,
    ): Promise<TransferSnapshot[]> => {
      const { batchId } = await again(channel, () => services.call<{ batchId: string }>(channel, input));
      report.operations[kind] += 1;
      await services.batchFinished(batchId, 600_000);
      for (let round = 1; ; round += 1) {
        // The last snapshots follow the batch's end by a tick.
        await new Promise((resolve) => setTimeout(resolve, 120));
        const list = (await services.callRaw<TransferSnapshot[]>('transfers.list', {})).filter(
          (transfer) => transfer.batchId === batchId,
        );
        const failed = list.filter((transfer) => transfer.state === 'failed');
        const unfinished = list.filter((transfer) => transfer.state !== 'finished' && transfer.state !== 'failed');
        if (unfinished.length > 0)
          throw new Error(`${channel}: ${unfinished.length} transfers neither finished nor failed`);
        if (failed.length === 0) {
          report.transfers += list.length;
          return list;
        }
        if (round > 25) throw new Error(`${channel}: ${failed.length} transfers still failing after 25 retries`);
        for (const transfer of failed)
          log(`  ${transfer.direction} ${transfer.name} failed: ${transfer.error?.message}`);
        services.batches.delete(batchId);
        const { retried } = await services.callRaw<{ retried: number }>('transfers.retry', {
          ids: failed.map((transfer) => transfer.id),
        });
        report.retries.byHand += retried;
        report.operations[kind] += 1;
        if (retried === 0) continue;
        await services.batchFinished(batchId, 600_000);
      }
    };

    /** Runs an operation until it finishes, checking `after` after every attempt (finished or not). */
    const runOperation = async (
      kind: 'copies' | 'moves' | 'deletes',
      channel: string,
      input: object,
      after: () => Promise<void>,
    ): Promise<void> => {
      for (let attempt = 1; ; attempt += 1) {
        report.operations[kind] += 1;
        const outcome = await again(channel, () => services.operation(channel, input, 600_000));
        await after();
        if (outcome.state === 'finished') return;
        if (attempt >= 25) throw new Error(`${channel}: not finished after 25 attempts: ${outcome.summary}`);
        report.retries.operationsAgain += 1;
        log(
          `  ${({ copies: 'copy', moves: 'move', deletes: 'delete' } as const)[kind]} ${outcome.state}: ${outcome.summary.slice(0, 160)}; again`,
        );
      }
    };

    /** Checks objects against what they should hold. */
    const verifyObjects = async (expected: ReadonlyMap<string, string>, what: string): Promise<void> => {
      for (const [key, sha] of expected) {
        let actual: string;
        try {
          actual = await objectSha256(direct, bucket, key);
        } catch (error) {
          problem(`${what}: ${key} is missing (${(error as Error).name})`);
          continue;
        }
        if (actual !== sha) problem(`${what}: ${key} differs from what was intended`);
        else report.verified.objects += 1;
      }
    };

    /** One round of a worker: upload, download, copy, move, delete, each checked. */
    const round = async (worker: number, n: number, random: SeededRandom): Promise<void> => {
      const base = `w${worker}/r${n}/`;
      const folder = join(work, `w${worker}-r${n}`);
      const files: { name: string; path: string; sha: string }[] = [];
      const sizes = [
        ...Array.from({ length: random.int(3, 6) }, () =>
          random.pick([0, random.int(1, 64 * KiB), random.int(64 * KiB, 2 * MiB)]),
        ),
        ...Array.from({ length: random.int(1, 2) }, () => random.int(6 * MiB, 13 * MiB)),
      ];
      for (const [index, size] of sizes.entries()) {
        const name = `f${index}-${size}.bin`;
        const path = join(folder, 'src', name);
        const bytes = random.bytes(size);
        await writeSmallFile(path, bytes);
        files.push({ name, path, sha: createHash('sha256').update(bytes).digest('hex') });
      }

      // Upload: keep-both, so a transfer that ran twice would show as "name (1)".
      await runBatch('uploads', 'transfers.upload', {
        bucket,
        prefix: `${base}up/`,
        source: { kind: 'paths', paths: files.map((file) => file.path) },
        onConflict: 'keep-both',
      });
      const uploaded = new Map(files.map((file) => [`${base}up/${file.name}`, file.sha]));
      await verifyObjects(uploaded, 'upload');
      for (const [key, sha] of uploaded) intended.set(key, sha);
      for (const file of files) {
        if ((await fileDigest(file.path)) !== file.sha) problem(`upload changed its source file ${file.path}`);
      }

      // Download the folder: its files land below target/up/.
      const target = join(folder, 'down');
      await mkdir(target, { recursive: true });
      await runBatch('downloads', 'transfers.download', {
        bucket,
        items: [`${base}up/`],
        targetDir: target,
        onConflict: 'keep-both',
      });
      const local = await filesBelow(target);
      const wanted = files.map((file) => join('up', file.name)).sort();
      if (JSON.stringify(local) !== JSON.stringify(wanted)) {
        problem(`download ${base}: found ${JSON.stringify(local)}, wanted ${JSON.stringify(wanted)}`);
      }
      for (const file of files) {
        const path = join(target, 'up', file.name);
        const sha = await fileDigest(path).catch(() => 'missing');
        if (sha !== file.sha) problem(`download ${path}: ${sha === 'missing' ? 'missing' : 'differs'}`);
        else report.verified.localFiles += 1;
      }

      // Copy the folder, then move the copy: up/ -> copy/up/ -> moved/up/.
      const copied = new Map(files.map((file) => [`${base}copy/up/${file.name}`, file.sha]));
      await runOperation(
        'copies',
        'objects.transfer',
        {
          mode: 'copy',
          sourceBucket: bucket,
          items: [`${base}up/`],
          targetBucket: bucket,
          targetPrefix: `${base}copy/`,
          onConflict: 'replace',
        },
        async () => undefined,
      );
      await verifyObjects(copied, 'copy');
      for (const [key, sha] of copied) intended.set(key, sha);

      const moves = files.map((file) => ({
        from: `${base}copy/up/${file.name}`,
        to: `${base}moved/up/${file.name}`,
        sha: file.sha,
      }));
      await runOperation(
        'moves',
        'objects.transfer',
        {
          mode: 'move',
          sourceBucket: bucket,
          items: [`${base}copy/up/`],
          targetBucket: bucket,
          targetPrefix: `${base}moved/`,
          onConflict: 'replace',
        },
        // After every attempt: a source is gone only where its copy is there, whole.
        async () => {
          const present = new Set(await keysBelow(direct, bucket, base));
          for (const move of moves) {
            if (present.has(move.from)) continue;
            const sha = present.has(move.to) ? await objectSha256(direct, bucket, move.to) : 'missing';
            if (sha !== move.sha)
              problem(`move deleted ${move.from} but its copy is ${sha === 'missing' ? 'missing' : 'wrong'}`);
          }
        },
      );
      for (const move of moves) intended.delete(move.from);
      await verifyObjects(new Map(moves.map((move) => [move.to, move.sha])), 'move');
      for (const move of moves) intended.set(move.to, move.sha);

      // Delete one or two of the uploaded files.
      const doomed = files.slice(0, random.int(1, 2)).map((file) => `${base}up/${file.name}`);
      await runOperation('deletes', 'objects.delete', { bucket, keys: doomed }, async () => undefined);
      for (const key of doomed) intended.delete(key);

      // The round's prefix holds exactly what it should: nothing more (no "name (1)"), nothing less.
      const present = await keysBelow(direct, bucket, base);
      const expected = [...intended.keys()].filter((key) => key.startsWith(base)).sort();
      if (JSON.stringify(present) !== JSON.stringify(expected)) {
        problem(`round ${base}: the bucket holds ${JSON.stringify(present)}, wanted ${JSON.stringify(expected)}`);
      }
      await rm(join(folder, 'src'), { recursive: true, force: true });
      report.rounds += 1;
      log(
        `round ${base} done at ${Math.round((Date.now() - started) / 1000)} s: ${report.faultsInjected} faults so far`,
      );
    };

    const workers = Array.from({ length: options.workers ?? 2 }, async (_, worker) => {
      const files = seededRandom(options.seed + 7919 * (worker + 1));
      for (let n = 1; Date.now() < deadline; n += 1) {
        try {
          await round(worker, n, files);
        } catch (error) {
          problem(`worker ${worker} round ${n} could not finish: ${(error as Error).message}`);
          return;
        }
      }
    });
    await Promise.all(workers);
    injecting = false;
    await injector;

    // The end: every object intended is there, whole, and nothing else; no upload left behind.
    const everything = await keysBelow(direct, bucket, '');
    const missing = [...intended.keys()].filter((key) => !everything.includes(key));
    const extra = everything.filter((key) => !intended.has(key));
    if (missing.length > 0) problem(`missing at the end: ${missing.join(', ')}`);
    if (extra.length > 0) problem(`left over at the end (duplicates or undeleted): ${extra.join(', ')}`);
    await verifyObjects(intended, 'final');
    const uploads = await direct.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    const left = (uploads.Uploads ?? []).map((upload) => `${upload.Key} (${upload.UploadId})`);
    if (left.length > 0) problem(`multipart uploads left behind: ${left.join(', ')}`);
    const parts = (await filesBelow(work)).filter((path) => path.endsWith('.s3fm-part'));
    if (parts.length > 0) problem(`temporary download files left behind: ${parts.join(', ')}`);
  } finally {
    injecting = false;
    await injector?.catch(() => undefined);
    await app?.dispose().catch(() => undefined);
    await proxy?.stop();
    await emptyAndDeleteBucket(direct, bucket).catch(() => undefined);
    direct.destroy();
    await rm(work, { recursive: true, force: true });
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** The report as the lines `npm run soak` and the test print. */
export function describeSoak(report: SoakReport): string[] {
  const operations = Object.values(report.operations).reduce((sum, n) => sum + n, 0);
  const faults = Object.entries(report.faults)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  return [
    `fault soak: seed ${report.seed}, ${report.minutes} min asked, ${(report.durationMs / 1000).toFixed(0)} s run, ${report.rounds} rounds`,
    `operations: ${operations} (uploads ${report.operations.uploads}, downloads ${report.operations.downloads}, copies ${report.operations.copies}, moves ${report.operations.moves}, deletes ${report.operations.deletes}); ${report.transfers} files transferred`,
    `faults injected: ${report.faultsInjected} (${faults || 'none'})`,
    `retries: ${report.retries.automatic} by the queue, ${report.retries.byHand} transfers retried by hand, ${report.retries.operationsAgain} operations or requests run again`,
    `verified: ${report.verified.objects} objects and ${report.verified.localFiles} local files byte for byte (SHA-256)`,
    report.problems.length === 0 ? 'problems: none' : `problems: ${report.problems.length}`,
  ];
}
