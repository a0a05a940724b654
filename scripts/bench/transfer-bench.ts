/**
 * The transfers phase of `npm run bench` (issue #5: part size and concurrency with good
 * defaults): one file of N MiB up and down, and a folder of 500 small files up, by the app's
 * transfer queue with several settings and by the peer tools, in the same run against the same
 * MinIO. Every transfer is checked (sizes and SHA-256 or MD5), so a fast but wrong tool never wins.
 *
 * The app's queue runs in a child process per job (transfer-app-child.ts), so its peak memory
 * is its own; its times are taken inside it, from the request to the batch's end (the app is
 * already running when a person starts a transfer). Peer tools are timed from process start
 * to exit (their start-up is part of what a person waits for).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { TransferSettings } from '../../src/shared/transfers';
import { defaultTransferSettings } from '../../src/main/services/transfers/transfer-settings-store';
import { fileDigest, objectSha256, writeRandomFile } from '../../test/transfer-files';
import { measureCommand, type CommandMeasurement } from './measure-command';
import type { ListingTarget, PeerCommand } from './peer-tools';
import type { AppTransferJob, AppTransferResult } from './transfer-app-child';
import { formatMiB, formatMs, median, renderTable } from './stats';

const MiB = 1024 * 1024;
/** Files in the many-small-files case, and their sizes. */
const SMALL_FILES = 500;
const SMALL_MIN = 4 * 1024;
const SMALL_MAX = 64 * 1024;
/** How far behind the best the defaults may be and still count as good ("within ~15%"). */
const GOOD_ENOUGH = 0.15;

/** What the transfers phase needs from the run. */
export interface TransferBenchOptions {
  repoRoot: string;
  target: Omit<ListingTarget, 'bucket' | 'prefix'>;
  client: S3Client;
  bucket: string;
  peers: readonly PeerCommand[];
  rounds: number;
  sizeMiB: number;
  /** A folder on the disk the files are read from and written to (deleted by the caller). */
  workDir: string;
  log: (line: string) => void;
}

/** One transfer by one tool in one round. */
interface TransferRun {
  ms: number | null;
  peakRssBytes: number | null;
  failure: string | null;
}

/** One row of the single-file table: the medians of a tool's (or setting's) rounds. */
export interface FileRow {
  tool: string;
  settings: TransferSettings | null;
  isDefault: boolean;
  uploadMs: number | null;
  downloadMs: number | null;
  uploadMiBps: number | null;
  downloadMiBps: number | null;
  peakRssBytes: number | null;
  runs: { upload: TransferRun; download: TransferRun }[];
  failure: string | null;
}

/** One row of the small-files table. */
export interface FolderRow {
  tool: string;
  ms: number | null;
  filesPerSecond: number | null;
  peakRssBytes: number | null;
  runs: TransferRun[];
  failure: string | null;
}

/** Everything the phase measured, for the report and the JSON. */
export interface TransferBenchResult {
  sizeMiB: number;
  smallFiles: { count: number; bytes: number };
  rounds: number;
  file: FileRow[];
  folder: FolderRow[];
  verdict: string[];
  totalMs: number;
}

/** The app's settings to compare: part size 8/16/32 MiB × 4/8 parts at once, and the defaults. */
function appSettings(): { label: string; settings: TransferSettings; isDefault: boolean }[] {
  const isDefault = (s: TransferSettings) =>
    s.partSizeMiB === defaultTransferSettings.partSizeMiB &&
    s.partsInParallel === defaultTransferSettings.partsInParallel;
  const grid = [8, 16, 32].flatMap((partSizeMiB) =>
    [4, 8].map((partsInParallel) => ({ ...defaultTransferSettings, partSizeMiB, partsInParallel })),
  );
  if (!grid.some(isDefault)) grid.unshift({ ...defaultTransferSettings });
  return grid.map((settings) => ({
    label: `app: part ${settings.partSizeMiB} MiB × ${settings.partsInParallel}${isDefault(settings) ? ' (default)' : ''}`,
    settings,
    isDefault: isDefault(settings),
  }));
}

function lastLine(text: string): string {
  return text.split('\n').at(-1) ?? '';
}

/** Why a measured command failed, or null. */
function commandFailure(measured: CommandMeasurement): string | null {
  if (measured.timedOut) return 'timed out';
  if (measured.exitCode !== 0) return `exit ${measured.exitCode}: ${lastLine(measured.stderrTail)}`;
  return null;
}

/** Runs the app's queue on one job in a child process. */
async function runAppChild(
  options: TransferBenchOptions,
  job: AppTransferJob,
): Promise<{ result: AppTransferResult | null; failure: string | null; peakRssBytes: number | null }> {
  const measured = await measureCommand(
    process.execPath,
    ['--import', 'tsx', path.join(options.repoRoot, 'scripts', 'bench', 'transfer-app-child.ts')],
    { env: { BENCH_TRANSFER: JSON.stringify(job) }, cwd: options.repoRoot, timeoutMs: 300_000 },
  );
  const failure = commandFailure(measured);
  if (failure) return { result: null, failure, peakRssBytes: measured.peakRssBytes };
  try {
    return {
      result: JSON.parse(measured.lastLine) as AppTransferResult,
      failure: null,
      peakRssBytes: measured.peakRssBytes,
    };
  } catch {
    return { result: null, failure: `no result: ${lastLine(measured.stderrTail)}`, peakRssBytes: null };
  }
}

/** Checks an uploaded object's size; a description of what is wrong, or null. */
async function checkObjectSize(client: S3Client, bucket: string, key: string, size: number): Promise<string | null> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ContentLength === size ? null : `uploaded ${head.ContentLength ?? '?'} bytes, not ${size}`;
  } catch (error) {
    return `the uploaded object is missing (${error instanceof Error ? error.name : String(error)})`;
  }
}

/**
 * Checks a downloaded file against the original (size and SHA-256). A match proves the upload
 * too; on a mismatch the object is hashed as well, to say which way was wrong.
 */
async function checkDownload(
  options: TransferBenchOptions,
  file: string,
  key: string,
  original: { size: number; sha256: string },
): Promise<string | null> {
  const size = await stat(file).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) return 'the downloaded file is missing';
  if (size !== original.size) return `downloaded ${size} bytes, not ${original.size}`;
  if ((await fileDigest(file)) === original.sha256) return null;
  const stored = await objectSha256(options.client, options.bucket, key);
  return stored === original.sha256
    ? 'the downloaded file differs from the original (SHA-256)'
    : 'the uploaded object differs from the original (SHA-256)';
}

/** A folder of small random files in nested folders; returns relative path → MD5. */
function writeSmallFiles(folder: string): { md5s: Map<string, string>; bytes: number } {
  const md5s = new Map<string, string>();
  let bytes = 0;
  for (let i = 0; i < SMALL_FILES; i++) {
    // 5 × 10 folders two deep, 10 files in each.
    const relative = `d${Math.floor(i / 100)}/s${Math.floor(i / 10) % 10}/file-${i % 10}.bin`;
    const content = randomBytes(SMALL_MIN + Math.floor(Math.random() * (SMALL_MAX - SMALL_MIN + 1)));
    mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
    writeFileSync(path.join(folder, relative), content);
    md5s.set(relative, createHash('md5').update(content).digest('hex'));
    bytes += content.length;
  }
  return { md5s, bytes };
}

/** Checks an uploaded folder: exactly the local files, each ETag the MD5 of its file. */
async function checkFolder(
  options: TransferBenchOptions,
  prefix: string,
  md5s: ReadonlyMap<string, string>,
): Promise<string | null> {
  const found = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await options.client.send(
      new ListObjectsV2Command({
        Bucket: options.bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const object of page.Contents ?? []) {
      found.set((object.Key ?? '').slice(prefix.length), (object.ETag ?? '').replace(/"/g, ''));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (found.size !== md5s.size) return `${found.size} objects under ${prefix}, not ${md5s.size}`;
  const wrong = [...md5s].filter(([relative, md5]) => found.get(relative) !== md5);
  return wrong.length === 0 ? null : `${wrong.length} objects missing or not matching their file's MD5`;
}

/** Deletes every object under a prefix (the phase's objects would fill MinIO's drives). */
async function deletePrefix(options: TransferBenchOptions, prefix: string): Promise<void> {
  const page = await options.client.send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: prefix }));
  for (const object of page.Contents ?? []) {
    await options.client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: object.Key }));
  }
}

/** The items, starting at `by` (modulo their count) and wrapping around. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const start = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

const mibps = (bytes: number, ms: number | null) => (ms === null || ms <= 0 ? null : bytes / MiB / (ms / 1000));
const medianOf = (runs: readonly TransferRun[]) =>
  median(runs.filter((run) => run.failure === null && run.ms !== null).map((run) => run.ms as number));
const maxOf = (values: ReadonlyArray<number | null>) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.max(...known) : null;
};

/** Runs the phase: the single file, then the folder of small files, round by round. */
export async function runTransferBench(options: TransferBenchOptions): Promise<TransferBenchResult> {
  const started = performance.now();
  const { log, bucket } = options;
  const size = options.sizeMiB * MiB;
  const sourceDir = await mkdtemp(path.join(options.workDir, 'transfer-source-'));
  const fileName = `bench-${options.sizeMiB}MiB.bin`;
  const file = path.join(sourceDir, fileName);
  const sha256 = await writeRandomFile(file, size);
  const smallFolder = path.join(sourceDir, 'small-files');
  const small = writeSmallFiles(smallFolder);
  log(
    `Wrote ${formatMiB(size)} of random bytes and ${SMALL_FILES} small files (${formatMiB(small.bytes)}) in ${formatMs(performance.now() - started)}`,
  );
  const endpoint = {
    endpoint: options.target.endpoint,
    accessKeyId: options.target.accessKeyId,
    secretAccessKey: options.target.secretAccessKey,
    bucket,
  };

  // One file up and down.
  const settings = appSettings();
  const fileRows: FileRow[] = [
    ...settings.map(({ label, settings: s, isDefault }) => ({ tool: label, settings: s, isDefault })),
    ...options.peers.map((peer) => ({ tool: peer.name, settings: null, isDefault: false })),
  ].map((row) => ({
    ...row,
    uploadMs: null,
    downloadMs: null,
    uploadMiBps: null,
    downloadMiBps: null,
    peakRssBytes: null,
    runs: [],
    failure: null,
  }));
  // One unmeasured run first: MinIO's first multipart upload, the file in the page cache and
  // tsx's compile cache are then paid for by nobody that is measured.
  const warmDir = await mkdtemp(path.join(options.workDir, 'transfer-warm-'));
  const warm = await runAppChild(options, {
    ...endpoint,
    prefix: 'warm-up/',
    settings: defaultTransferSettings,
    kind: 'file',
    file,
    downloadDir: warmDir,
  });
  await rm(warmDir, { recursive: true, force: true });
  await deletePrefix(options, 'warm-up/');
  if (warm.failure) throw new Error(`the warm-up transfer failed: ${warm.failure}`);
  for (let round = 1; round <= options.rounds; round++) {
    log(`Transfers, round ${round} of ${options.rounds}: ${options.sizeMiB} MiB up and down…`);
    // Each round starts one row further on, so that a slow moment of the machine is spread out.
    for (const [index, row] of rotate([...fileRows.entries()], round - 1)) {
      const peer = options.peers[index - settings.length];
      if (!row.settings && !peer) continue;
      const prefix = `file-${index}-r${round}/`;
      const key = `${prefix}${fileName}`;
      const downloadDir = await mkdtemp(path.join(options.workDir, 'transfer-down-'));
      const downloaded = path.join(downloadDir, fileName);
      let upload: TransferRun;
      let download: TransferRun;
      if (row.settings) {
        const app = await runAppChild(options, {
          ...endpoint,
          prefix,
          settings: row.settings,
          kind: 'file',
          file,
          downloadDir,
        });
        upload = { ms: app.result?.uploadMs ?? null, peakRssBytes: app.peakRssBytes, failure: app.failure };
        download = { ms: app.result?.downloadMs ?? null, peakRssBytes: app.peakRssBytes, failure: app.failure };
      } else if (peer) {
        const up = await measureCommand(peer.command, peer.transfers.upload(file, bucket, key), {
          env: peer.env,
          timeoutMs: 300_000,
        });
        upload = { ms: up.totalMs, peakRssBytes: up.peakRssBytes, failure: commandFailure(up) };
        const down = await measureCommand(peer.command, peer.transfers.download(bucket, key, downloaded), {
          env: peer.env,
          timeoutMs: 300_000,
        });
        download = { ms: down.totalMs, peakRssBytes: down.peakRssBytes, failure: commandFailure(down) };
      } else {
        throw new Error(`no tool for row ${row.tool}`);
      }
      upload.failure ??= await checkObjectSize(options.client, bucket, key, size);
      if (upload.failure === null) download.failure ??= await checkDownload(options, downloaded, key, { size, sha256 });
      else download.failure ??= 'not measured: the upload failed';
      row.runs.push({ upload, download });
      await rm(downloadDir, { recursive: true, force: true });
      await deletePrefix(options, prefix);
    }
  }
  for (const row of fileRows) {
    row.uploadMs = medianOf(row.runs.map((run) => run.upload));
    row.downloadMs = medianOf(row.runs.map((run) => run.download));
    row.uploadMiBps = mibps(size, row.uploadMs);
    row.downloadMiBps = mibps(size, row.downloadMs);
    row.peakRssBytes = maxOf(row.runs.flatMap((run) => [run.upload.peakRssBytes, run.download.peakRssBytes]));
    row.failure = row.runs.flatMap((run) => [run.upload.failure, run.download.failure]).find((f) => f !== null) ?? null;
  }

  // A folder of small files up.
  const folderTools = [
    { tool: 'app: defaults', peer: null },
    ...options.peers.map((peer) => ({ tool: peer.name, peer })),
  ];
  const folderRuns = folderTools.map((): TransferRun[] => []);
  for (let round = 1; round <= options.rounds; round++) {
    log(`Transfers, round ${round} of ${options.rounds}: a folder of ${SMALL_FILES} small files up…`);
    for (const [index, { peer }] of rotate([...folderTools.entries()], round - 1)) {
      const prefix = `folder-${index}-r${round}/`;
      let run: TransferRun;
      if (peer) {
        const measured = await measureCommand(peer.command, peer.transfers.uploadFolder(smallFolder, bucket, prefix), {
          env: peer.env,
          timeoutMs: 300_000,
        });
        run = { ms: measured.totalMs, peakRssBytes: measured.peakRssBytes, failure: commandFailure(measured) };
      } else {
        const app = await runAppChild(options, {
          ...endpoint,
          prefix,
          settings: defaultTransferSettings,
          kind: 'folder',
          folder: smallFolder,
        });
        run = { ms: app.result?.uploadMs ?? null, peakRssBytes: app.peakRssBytes, failure: app.failure };
      }
      run.failure ??= await checkFolder(options, `${prefix}small-files/`, small.md5s);
      folderRuns[index]?.push(run);
    }
  }
  const folderRows: FolderRow[] = folderTools.map(({ tool }, index) => {
    const runs = folderRuns[index] ?? [];
    const ms = medianOf(runs);
    return {
      tool,
      ms,
      filesPerSecond: ms === null ? null : SMALL_FILES / (ms / 1000),
      peakRssBytes: maxOf(runs.map((run) => run.peakRssBytes)),
      runs,
      failure: runs.find((run) => run.failure !== null)?.failure ?? null,
    };
  });
  await rm(sourceDir, { recursive: true, force: true });

  return {
    sizeMiB: options.sizeMiB,
    smallFiles: { count: SMALL_FILES, bytes: small.bytes },
    rounds: options.rounds,
    file: fileRows,
    folder: folderRows,
    verdict: verdictOf(fileRows),
    totalMs: performance.now() - started,
  };
}

/** Which app settings were fastest each way, and whether the defaults are within 15% of them. */
function verdictOf(rows: readonly FileRow[]): string[] {
  const app = rows.filter((row) => row.settings !== null && row.failure === null);
  const defaults = app.find((row) => row.isDefault);
  const lines: string[] = [];
  for (const direction of ['upload', 'download'] as const) {
    const rate = (row: FileRow) => (direction === 'upload' ? row.uploadMiBps : row.downloadMiBps) ?? 0;
    const best = [...app].sort((a, b) => rate(b) - rate(a))[0];
    if (!best || !defaults) {
      lines.push(`${direction}: no app setting finished cleanly`);
      continue;
    }
    const behind = 1 - rate(defaults) / rate(best);
    const settingsOf = (row: FileRow) => `part ${row.settings?.partSizeMiB} MiB × ${row.settings?.partsInParallel}`;
    lines.push(
      `${direction}: fastest app settings ${settingsOf(best)} at ${rate(best).toFixed(0)} MiB/s; ` +
        (best === defaults
          ? 'that is the default.'
          : `the default (${settingsOf(defaults)}) ${rate(defaults).toFixed(0)} MiB/s, ${(behind * 100).toFixed(0)}% behind: ` +
            (behind <= GOOD_ENOUGH ? `within ${GOOD_ENOUGH * 100}%.` : `BEATEN by more than ${GOOD_ENOUGH * 100}%.`)),
    );
  }
  return lines;
}

const formatRate = (value: number | null, unit: string) => (value === null ? '–' : `${value.toFixed(0)} ${unit}`);

/** The phase's tables and verdict, as printed. */
export function transferReport(result: TransferBenchResult): string[] {
  return [
    `One file of ${result.sizeMiB} MiB up and down (MiB/s from the median of ${result.rounds} rounds; every download's size and SHA-256 checked):`,
    renderTable(
      ['tool / settings', 'upload', 'download', 'upload MiB/s', 'download MiB/s', 'peak RSS', 'runs', 'note'],
      result.file.map((row) => [
        row.tool,
        formatMs(row.uploadMs),
        formatMs(row.downloadMs),
        formatRate(row.uploadMiBps, 'MiB/s'),
        formatRate(row.downloadMiBps, 'MiB/s'),
        formatMiB(row.peakRssBytes),
        String(row.runs.length),
        row.failure ? `FAILED: ${row.failure}` : '',
      ]),
    ),
    ...result.verdict,
    '',
    `A folder of ${result.smallFiles.count} files of 4–64 KiB (${formatMiB(result.smallFiles.bytes)}) in nested folders, uploaded (every object's MD5 checked):`,
    renderTable(
      ['tool', 'upload', 'files/s', 'peak RSS', 'runs', 'note'],
      result.folder.map((row) => [
        row.tool,
        formatMs(row.ms),
        formatRate(row.filesPerSecond, 'files/s'),
        formatMiB(row.peakRssBytes),
        String(row.runs.length),
        row.failure ? `FAILED: ${row.failure}` : '',
      ]),
    ),
    "App: times from the request to the batch's end, inside its own process (start-up not counted); peak RSS of that process. " +
      'Peer tools: from process start to exit; peak RSS the larger of upload and download.',
  ];
}
