/**
 * The transfers phase of `npm run bench` (issue #12: "at least as fast as s5cmd on the same
 * server, in memory that does not grow with file size"): the app at its default settings and
 * the peer tools move, one at a time against the same MinIO,
 *   - one file up and down at each size (256 MiB, 1 GiB, 5 GiB by default),
 *   - a folder of small files (500 of 4–64 KiB) up and down,
 *   - a folder of mixed sizes (5,000 files, about 1.5 GiB) up and down,
 * and, with `--grid`, the app at several part sizes × parts in parallel on the smallest file.
 * Every transfer is checked (sizes, SHA-256 or MD5), so a fast but wrong tool never wins.
 *
 * The app's queue runs in a child process per upload and per download (transfer-app-child.ts),
 * so each one's peak memory is its own; its times are taken inside it, from the request to
 * the batch's end (the app is already running when a person starts a transfer). Peer tools
 * are timed from process start to exit (their start-up is part of what a person waits for).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { TransferSettings } from '../../src/shared/transfers';
import { fileDigest, objectSha256, writeRandomFile } from '../../test/transfer-files';
import {
  checkLocalFolder,
  describeFolder,
  folderBytes,
  planFolder,
  writeFolder,
  type FolderContents,
  type FolderSpec,
} from './bench-folders';
import type { ChildCommand } from './build-children';
import { deletePrefix, emptyTrash, waitForRoom, type Places } from './bucket-space';
import { measureCommand, type CommandMeasurement } from './measure-command';
import type { ListingTarget, PeerCommand, PeerKind } from './peer-tools';
import type { AppTransferJob, AppTransferResult } from './transfer-app-child';
import { aOrAn, formatMiB, formatMs, formatRateNumber, median, perSecond, renderTable } from './stats';

const MiB = 1024 * 1024;

/** The columns of the tables: the app at its defaults and the peers (the grid's rows are extra). */
export type ToolColumn = 'app' | PeerKind;

/** What the transfers phase needs from the run. */
export interface TransferBenchOptions {
  repoRoot: string;
  /** How to start transfer-app-child.ts (bundled, see build-children.ts). */
  appChild: ChildCommand;
  target: Omit<ListingTarget, 'bucket' | 'prefix'>;
  client: S3Client;
  bucket: string;
  peers: readonly PeerCommand[];
  /** Rounds of the smallest file and of the small files. */
  rounds: number;
  /** Rounds of bigger files and of the folder of mixed sizes. */
  bigRounds: number;
  sizesMiB: readonly number[];
  smallFiles: FolderSpec;
  mixed: FolderSpec;
  grid: boolean;
  /**
   * The small files again for each link, every tool through a relay that adds a round trip to
   * each exchange (test/delay-proxy.ts): as a service a person uses answers, not a MinIO on the
   * same machine.
   */
  delayed: readonly DelayedLink[];
  /** Where files are written and downloaded (on the disk), and where MinIO keeps its drives. */
  places: Places;
  log: (line: string) => void;
}

/** Every tool's way to the service through a relay that adds `rttMs` to each round trip. */
export interface DelayedLink {
  rttMs: number;
  /** The relay's endpoint in place of MinIO's (the rest as the direct target). */
  target: Omit<ListingTarget, 'bucket' | 'prefix'>;
  /** The peer tools, pointed at the relay. */
  peers: readonly PeerCommand[];
}

/** One transfer by one tool in one round. */
export interface TransferRun {
  ms: number | null;
  peakRssBytes: number | null;
  /** CPU time of the tool's process (the app: from the request to the batch's end; peers: start to exit). */
  cpuMs: number | null;
  /** The system (kernel) part of cpuMs: writing files, sockets, memory. */
  systemCpuMs: number | null;
  failure: string | null;
}

/** One direction of one tool in one case: its runs, their median time and highest peak memory. */
export interface Leg {
  runs: TransferRun[];
  ms: number | null;
  peakRssBytes: number | null;
  /** The median CPU time of the runs that passed. */
  cpuMs: number | null;
  /** The median system part of it (of the same runs). */
  systemCpuMs: number | null;
  failure: string | null;
}

/** One tool's row in one case. */
export interface ToolResult {
  column: ToolColumn | 'grid';
  tool: string;
  settings: TransferSettings | null;
  up: Leg;
  down: Leg;
}

/** One piece of work (a file of one size, or a folder), moved up and down by every tool. */
export interface CaseResult {
  id: string;
  /** "256 MiB file", "500 small files", … */
  title: string;
  kind: 'file' | 'folder';
  bytes: number;
  files: number;
  rounds: number;
  tools: ToolResult[];
  /** Why it was not run (no room), or null. */
  skipped: string | null;
}

/** Everything the phase measured, for the report, the summary and the JSON. */
export interface TransferBenchResult {
  /** The settings the app ran with by default (read back from it). */
  appDefaults: TransferSettings | null;
  files: CaseResult[];
  small: CaseResult;
  /** The small files through each delayed link, with its round trip (ms). */
  smallDelayed: Array<{ rttMs: number; result: CaseResult }>;
  mixed: CaseResult;
  grid: CaseResult | null;
  totalMs: number;
}

/** One tool as the phase drives it. */
interface TransferTool {
  column: ToolColumn | 'grid';
  name: string;
  settings: TransferSettings | null;
  uploadFile(file: string, key: string): Promise<TransferRun>;
  downloadFile(key: string, file: string): Promise<TransferRun>;
  /** The folder (of `bytes` in all) up as `<prefix><folder's name>/…`. */
  uploadFolder(folder: string, prefix: string, bytes: number): Promise<TransferRun>;
  /** Everything under `prefix` (a folder's key, ending in '/'; `bytes` in all) into the local `folder`. */
  downloadFolder(prefix: string, folder: string, bytes: number): Promise<TransferRun>;
}

/** How long one transfer may take: at least 5 minutes, and 4 MiB/s for big ones. */
function timeoutFor(bytes: number): number {
  return Math.max(300_000, Math.ceil(bytes / (4 * MiB)) * 1000);
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

/** The app's queue, in a child process per transfer; `settings` null: its defaults. */
function appTool(
  options: TransferBenchOptions,
  name: string,
  settings: TransferSettings | null,
  column: ToolColumn | 'grid',
  onDefaults: (settings: TransferSettings) => void,
  target: Omit<ListingTarget, 'bucket' | 'prefix'> = options.target,
): TransferTool {
  const { bucket } = options;
  const run = async (job: AppTransferJob): Promise<TransferRun> => {
    const measured = await measureCommand(options.appChild.command, options.appChild.args, {
      // NODE_NO_WARNINGS: the AWS SDK's warning about Node's version would be the last line of a failure.
      env: { ...options.appChild.env, BENCH_TRANSFER: JSON.stringify(job), NODE_NO_WARNINGS: '1' },
      cwd: options.repoRoot,
      timeoutMs: job.timeoutMs + 60_000,
    });
    const failure = commandFailure(measured);
    if (failure) return { ms: null, peakRssBytes: measured.peakRssBytes, cpuMs: null, systemCpuMs: null, failure };
    try {
      const result = JSON.parse(measured.lastLine) as AppTransferResult;
      if (settings === null) onDefaults(result.settings);
      return {
        ms: result.ms,
        peakRssBytes: result.peakRssBytes,
        cpuMs: result.cpuMs,
        systemCpuMs: result.cpuMs - result.userCpuMs,
        failure: null,
      };
    } catch {
      return {
        ms: null,
        peakRssBytes: null,
        cpuMs: null,
        systemCpuMs: null,
        failure: `no result: ${lastLine(measured.stderrTail)}`,
      };
    }
  };
  const base = {
    endpoint: target.endpoint,
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    ...(target.caFile ? { caFile: target.caFile } : {}),
    bucket,
    settings,
  };
  const prefixOf = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);
  return {
    column,
    name,
    settings,
    // The file keeps its name: the key must end in it.
    uploadFile: async (file, key) => {
      const bytes = (await stat(file)).size;
      return run({ ...base, timeoutMs: timeoutFor(bytes), kind: 'upload', paths: [file], prefix: prefixOf(key) });
    },
    downloadFile: async (key, file) => {
      const size = await options.client
        .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        .then((head) => head.ContentLength ?? 0);
      return run({
        ...base,
        timeoutMs: timeoutFor(size),
        kind: 'download',
        items: [key],
        targetDir: path.dirname(file),
      });
    },
    uploadFolder: (folder, prefix, bytes) =>
      run({ ...base, timeoutMs: timeoutFor(bytes), kind: 'upload', paths: [folder], prefix }),
    // A folder's key downloads into `<targetDir>/<folder's name>/`.
    downloadFolder: (prefix, folder, bytes) =>
      run({
        ...base,
        timeoutMs: timeoutFor(bytes),
        kind: 'download',
        items: [prefix],
        targetDir: path.dirname(folder),
      }),
  };
}

/** A peer tool, timed from process start to exit. */
function peerTool(options: TransferBenchOptions, peer: PeerCommand): TransferTool {
  const { bucket } = options;
  const run = async (args: string[], timeoutMs: number): Promise<TransferRun> => {
    const measured = await measureCommand(peer.command, args, { env: peer.env, timeoutMs });
    return {
      ms: measured.totalMs,
      peakRssBytes: measured.peakRssBytes,
      cpuMs: measured.cpuMs,
      systemCpuMs: measured.systemCpuMs,
      failure: commandFailure(measured),
    };
  };
  return {
    column: peer.kind,
    name: peer.name,
    settings: null,
    uploadFile: async (file, key) => run(peer.transfers.upload(file, bucket, key), timeoutFor((await stat(file)).size)),
    downloadFile: async (key, file) => {
      const head = await options.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return run(peer.transfers.download(bucket, key, file), timeoutFor(head.ContentLength ?? 0));
    },
    uploadFolder: (folder, prefix, bytes) =>
      run(peer.transfers.uploadFolder(folder, bucket, prefix), timeoutFor(bytes)),
    downloadFolder: async (prefix, folder, bytes) => {
      await mkdir(folder, { recursive: true });
      return run(peer.transfers.downloadFolder(bucket, prefix, folder), timeoutFor(bytes));
    },
  };
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

/**
 * Checks an uploaded folder: exactly the local files, each of its size, and each single-part
 * ETag the MD5 of its file (a multipart ETag depends on the tool's part size: the download's
 * MD5 check covers those files).
 */
async function checkUploadedFolder(
  options: TransferBenchOptions,
  prefix: string,
  contents: FolderContents,
): Promise<string | null> {
  const found = new Map<string, { size: number; etag: string }>();
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
      found.set((object.Key ?? '').slice(prefix.length), {
        size: object.Size ?? -1,
        etag: (object.ETag ?? '').replace(/"/g, ''),
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (found.size !== contents.size) return `${found.size} objects under ${prefix}, not ${contents.size}`;
  const wrong = [...contents].filter(([relative, { size, md5 }]) => {
    const object = found.get(relative);
    return !object || object.size !== size || (!object.etag.includes('-') && object.etag !== md5);
  });
  return wrong.length === 0 ? null : `${wrong.length} objects missing or not matching their file (size or MD5)`;
}

/** The items, starting at `by` (modulo their count) and wrapping around. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const start = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/**
 * A leg's CPU time with its system part ("9.50 s (5.94 s sys)"): a download's is mostly the
 * kernel's (pages of the files written, bytes through the sockets), which every tool pays alike.
 */
function formatCpu(leg: Leg): string {
  if (leg.cpuMs === null || leg.systemCpuMs === null) return formatMs(leg.cpuMs);
  return `${formatMs(leg.cpuMs)} (${formatMs(leg.systemCpuMs)} sys)`;
}

/** A leg's median time (of runs that passed), highest peak memory and first failure. */
function legOf(runs: TransferRun[]): Leg {
  const peaks = runs.map((run) => run.peakRssBytes).filter((v): v is number => v !== null);
  const passed = runs.filter((run) => run.failure === null);
  return {
    runs,
    ms: median(passed.filter((run) => run.ms !== null).map((run) => run.ms as number)),
    peakRssBytes: peaks.length > 0 ? Math.max(...peaks) : null,
    cpuMs: median(passed.filter((run) => run.cpuMs !== null).map((run) => run.cpuMs as number)),
    systemCpuMs: median(passed.filter((run) => run.systemCpuMs !== null).map((run) => run.systemCpuMs as number)),
    failure: runs.find((run) => run.failure !== null)?.failure ?? null,
  };
}

const NOT_UPLOADED: TransferRun = {
  ms: null,
  peakRssBytes: null,
  cpuMs: null,
  systemCpuMs: null,
  failure: 'not measured: the upload failed',
};

/**
 * Writes every dirty page to disk (`sync`), unmeasured, before a tool's run: otherwise a run
 * pays for the write-back of the files the run before it (or the source's writing) left in
 * memory. Where there is no `sync`, nothing.
 */
function settleDisk(): Promise<void> {
  // Its outcome does not matter: a missing `sync` only leaves the pages to the kernel.
  return new Promise((resolve) => execFile('sync', () => resolve()));
}

/**
 * Runs one case, round by round, one tool at a time; each round starts one tool further on,
 * so that a slow moment of the machine does not always hit the same tool. `once` moves the
 * work up and down with one tool and checks it; its objects are deleted right after, and its
 * downloads too unless `keptDownloads` is given: a folder's downloads go there, to be deleted
 * when the phase ends (see runTransferBench).
 */
async function runCase(
  options: TransferBenchOptions,
  tools: readonly TransferTool[],
  rounds: number,
  what: string,
  once: (tool: TransferTool, prefix: string, downloadDir: string) => Promise<{ up: TransferRun; down: TransferRun }>,
  roomFor: () => Promise<string | null>,
  keptDownloads: string[] | null = null,
): Promise<ToolResult[]> {
  const runs = tools.map(() => ({ up: [] as TransferRun[], down: [] as TransferRun[] }));
  for (let round = 1; round <= rounds; round++) {
    options.log(`  ${what}, round ${round} of ${rounds}…`);
    for (const [index, tool] of rotate([...tools.entries()], round - 1)) {
      const lack = await roomFor();
      let result: { up: TransferRun; down: TransferRun };
      if (lack !== null) {
        const failure = `not run: no room (${lack})`;
        const notRun = { ms: null, peakRssBytes: null, cpuMs: null, systemCpuMs: null, failure };
        result = { up: notRun, down: notRun };
      } else {
        const prefix = `${what.replace(/[^\w]+/g, '-')}-${index}-r${round}/`;
        const downloadDir = await mkdtemp(path.join(options.places.workDir, 'down-'));
        try {
          await settleDisk();
          result = await once(tool, prefix, downloadDir);
        } finally {
          if (keptDownloads) keptDownloads.push(downloadDir);
          else await rm(downloadDir, { recursive: true, force: true });
          await deletePrefix(options.client, options.bucket, prefix);
          await emptyTrash(options.places.drives);
        }
      }
      runs[index]?.up.push(result.up);
      runs[index]?.down.push(result.down);
      const failed = result.up.failure ?? result.down.failure;
      if (failed) options.log(`    ${tool.name}: FAILED: ${failed}`);
    }
  }
  return tools.map((tool, index) => ({
    column: tool.column,
    tool: tool.name,
    settings: tool.settings,
    up: legOf(runs[index]?.up ?? []),
    down: legOf(runs[index]?.down ?? []),
  }));
}

/** One file of `sizeMiB` up and down by every tool; the source is written first and deleted after. */
async function runFileCase(
  options: TransferBenchOptions,
  tools: readonly TransferTool[],
  sizeMiB: number,
  rounds: number,
  id: string,
): Promise<CaseResult> {
  const size = sizeMiB * MiB;
  const title = `${sizeLabel(sizeMiB)} file`;
  const result: CaseResult = { id, title, kind: 'file', bytes: size, files: 1, rounds, tools: [], skipped: null };
  const lack = await waitForRoom(size, options.places, false, options.log);
  if (lack !== null) {
    options.log(`  ${title}: skipped, ${lack}`);
    return { ...result, skipped: lack };
  }
  const sourceDir = await mkdtemp(path.join(options.places.workDir, `source-${sizeMiB}-`));
  try {
    const fileName = `bench-${sizeMiB}MiB.bin`;
    const file = path.join(sourceDir, fileName);
    const written = performance.now();
    const sha256 = await writeRandomFile(file, size);
    options.log(`  Wrote ${title} of random bytes in ${formatMs(performance.now() - written)}`);
    result.tools = await runCase(
      options,
      tools,
      rounds,
      id === 'grid' ? `${title}, grid` : title,
      async (tool, prefix, downloadDir) => {
        const key = `${prefix}${fileName}`;
        const downloaded = path.join(downloadDir, fileName);
        const up = await tool.uploadFile(file, key);
        up.failure ??= await checkObjectSize(options.client, options.bucket, key, size);
        if (up.failure !== null) return { up, down: NOT_UPLOADED };
        const down = await tool.downloadFile(key, downloaded);
        down.failure ??= await checkDownload(options, downloaded, key, { size, sha256 });
        return { up, down };
      },
      () => waitForRoom(size, options.places, true, options.log),
    );
  } finally {
    await rm(sourceDir, { recursive: true, force: true });
  }
  return result;
}

/** A folder up and down by every tool; written once, checked file by file each way. */
async function runFolderCase(
  options: TransferBenchOptions,
  tools: readonly TransferTool[],
  spec: FolderSpec,
  rounds: number,
  id: string,
  folderName: string,
  kept: string[],
  /** Said after the folder's name in its title and progress lines (" over a 20 ms round trip"), or ''. */
  how = '',
): Promise<CaseResult> {
  const planned = planFolder(spec);
  const bytes = folderBytes(planned);
  const title = `${describeFolder(spec, planned)}${how}`;
  const result: CaseResult = {
    id,
    title,
    kind: 'folder',
    bytes,
    files: planned.length,
    rounds,
    tools: [],
    skipped: null,
  };
  const lack = await waitForRoom(bytes, options.places, false, options.log);
  if (lack !== null) {
    options.log(`  ${title}: skipped, ${lack}`);
    return { ...result, skipped: lack };
  }
  const sourceDir = await mkdtemp(path.join(options.places.workDir, `source-${id}-`));
  try {
    const folder = path.join(sourceDir, folderName);
    const written = performance.now();
    const contents = await writeFolder(folder, planned);
    options.log(`  Wrote a folder of ${describeFolder(spec, planned)} in ${formatMs(performance.now() - written)}`);
    result.tools = await runCase(
      options,
      tools,
      rounds,
      `${planned.length} files${how}`,
      async (tool, prefix, downloadDir) => {
        // Time allowed: as for a file of the folder's size, and a quarter of a second a file.
        const budget = bytes + planned.length * MiB;
        const up = await tool.uploadFolder(folder, prefix, budget);
        up.failure ??= await checkUploadedFolder(options, `${prefix}${folderName}/`, contents);
        if (up.failure !== null) return { up, down: NOT_UPLOADED };
        const downloaded = path.join(downloadDir, folderName);
        const down = await tool.downloadFolder(`${prefix}${folderName}/`, downloaded, budget);
        down.failure ??= await checkLocalFolder(downloaded, contents);
        return { up, down };
      },
      () => waitForRoom(bytes, options.places, true, options.log),
      kept,
    );
  } finally {
    kept.push(sourceDir);
  }
  return result;
}

/**
 * One unmeasured multipart upload (two 5 MiB parts) with the SDK, so that no tool measured
 * pays for MinIO's first multipart upload.
 */
async function warmUp(options: TransferBenchOptions): Promise<void> {
  const { client, bucket } = options;
  const key = 'warm-up/multipart.bin';
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const part = Buffer.alloc(5 * MiB, 1);
  const parts = [];
  for (const PartNumber of [1, 2]) {
    const { ETag } = await client.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber, Body: part }),
    );
    parts.push({ ETag, PartNumber });
  }
  await client.send(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }),
  );
  await deletePrefix(client, bucket, 'warm-up/');
}

/** The app's settings of the grid: part size 8/16/32 MiB × 4/8 parts at once, other settings at the defaults. */
function gridSettings(defaults: TransferSettings): TransferSettings[] {
  return [8, 16, 32].flatMap((partSizeMiB) =>
    [4, 8].map((partsInParallel) => ({ ...defaults, partSizeMiB, partsInParallel })),
  );
}

/** "256 MiB", "1 GiB", "5 GiB". */
export function sizeLabel(sizeMiB: number): string {
  return sizeMiB >= 1024 && sizeMiB % 1024 === 0 ? `${sizeMiB / 1024} GiB` : `${sizeMiB} MiB`;
}

/** The app at its defaults (reached at `target`) and the peers, s5cmd first: the columns' order. */
function toolsAt(
  options: TransferBenchOptions,
  target: Omit<ListingTarget, 'bucket' | 'prefix'>,
  peers: readonly PeerCommand[],
  onDefaults: (settings: TransferSettings) => void,
): TransferTool[] {
  return [
    ...peers.filter((peer) => peer.kind === 's5cmd').map((peer) => peerTool(options, peer)),
    appTool(options, 'S3 File Manager (defaults)', null, 'app', onDefaults, target),
    ...peers.filter((peer) => peer.kind !== 's5cmd').map((peer) => peerTool(options, peer)),
  ];
}

/** Runs the phase: each file size, the small files, the folder of mixed sizes, and the grid when asked. */
export async function runTransferBench(options: TransferBenchOptions): Promise<TransferBenchResult> {
  const started = performance.now();
  let appDefaults: TransferSettings | null = null;
  const tools = toolsAt(options, options.target, options.peers, (settings) => (appDefaults ??= settings));
  await warmUp(options);

  const files: CaseResult[] = [];
  for (const sizeMiB of options.sizesMiB) {
    const rounds = sizeMiB < 1024 ? options.rounds : options.bigRounds;
    options.log(`Transfers: one ${sizeLabel(sizeMiB)} file up and down, ${rounds} round(s)…`);
    files.push(await runFileCase(options, tools, sizeMiB, rounds, `file-${sizeMiB}`));
  }
  // The folders' files (sources and every tool's downloads) stay until both folders are done:
  // deleting thousands of files right before a tool's run made its own files slower to create
  // (ext4's allocator looks past inodes freed in the last minutes), a cost of the order of runs.
  const kept: string[] = [];
  let small: CaseResult;
  const smallDelayed: TransferBenchResult['smallDelayed'] = [];
  let mixed: CaseResult;
  try {
    options.log(`Transfers: a folder of ${options.smallFiles.small} small files up and down…`);
    small = await runFolderCase(options, tools, options.smallFiles, options.rounds, 'small', 'small-files', kept);
    for (const { rttMs, target, peers } of options.delayed) {
      const how = ` over ${aOrAn(rttMs)} ${rttMs} ms round trip`;
      // The same tools in the same order, each pointed at the relay.
      const delayedTools = toolsAt(options, target, peers, () => undefined);
      options.log(`Transfers: the folder of ${options.smallFiles.small} small files${how}, up and down…`);
      const result = await runFolderCase(
        options,
        delayedTools,
        options.smallFiles,
        options.rounds,
        `small-rtt-${rttMs}`,
        'small-files',
        kept,
        how,
      );
      smallDelayed.push({ rttMs, result });
    }
    options.log('Transfers: a folder of mixed sizes up and down…');
    mixed = await runFolderCase(options, tools, options.mixed, options.bigRounds, 'mixed', 'mixed-folder', kept);
  } finally {
    for (const dir of kept) await rm(dir, { recursive: true, force: true });
  }

  let grid: CaseResult | null = null;
  const smallest = options.sizesMiB[0];
  if (options.grid && smallest !== undefined && appDefaults !== null) {
    const defaults: TransferSettings = appDefaults;
    const gridTools = gridSettings(defaults).map((settings) =>
      appTool(
        options,
        `app: part ${settings.partSizeMiB} MiB × ${settings.partsInParallel}` +
          (settings.partSizeMiB === defaults.partSizeMiB && settings.partsInParallel === defaults.partsInParallel
            ? ' (the defaults)'
            : ''),
        settings,
        'grid',
        () => undefined,
      ),
    );
    options.log(`Transfers (--grid): the app's part size × parts in parallel on the ${sizeLabel(smallest)} file…`);
    grid = await runFileCase(options, gridTools, smallest, options.rounds, 'grid');
  }
  return {
    appDefaults,
    files,
    small,
    smallDelayed,
    mixed,
    grid,
    totalMs: performance.now() - started,
  };
}

const formatRate = (value: number | null, unit: string) =>
  value === null ? '–' : `${formatRateNumber(value)} ${unit}`;

/** MiB/s of a leg, or null. */
export function mibPerSecond(bytes: number, leg: Leg): number | null {
  return perSecond(bytes / MiB, leg.ms);
}

/** Files/s of a leg, or null. */
export function filesPerSecond(files: number, leg: Leg): number | null {
  return perSecond(files, leg.ms);
}

/** One case's table, as printed. */
function caseTable(result: CaseResult): string {
  const folder = result.kind === 'folder';
  return renderTable(
    [
      'tool',
      'upload',
      'download',
      'upload MiB/s',
      'download MiB/s',
      ...(folder ? ['upload files/s', 'download files/s'] : []),
      'peak RSS up',
      'peak RSS down',
      'CPU up',
      'CPU down',
      'runs',
      'note',
    ],
    result.tools.map((row) => [
      row.tool,
      formatMs(row.up.ms),
      formatMs(row.down.ms),
      formatRate(mibPerSecond(result.bytes, row.up), 'MiB/s'),
      formatRate(mibPerSecond(result.bytes, row.down), 'MiB/s'),
      ...(folder
        ? [
            formatRate(filesPerSecond(result.files, row.up), 'files/s'),
            formatRate(filesPerSecond(result.files, row.down), 'files/s'),
          ]
        : []),
      formatMiB(row.up.peakRssBytes),
      formatMiB(row.down.peakRssBytes),
      formatCpu(row.up),
      formatCpu(row.down),
      String(row.up.runs.length),
      [row.up.failure, row.down.failure]
        .filter((failure, i, all) => failure !== null && all.indexOf(failure) === i)
        .map((failure) => `FAILED: ${failure}`)
        .join('; '),
    ]),
  );
}

/** The phase's detailed tables, as printed. */
export function transferReport(result: TransferBenchResult): string[] {
  const lines: string[] = [];
  const defaults = result.appDefaults;
  if (defaults) {
    lines.push(
      `The app's defaults (read back from it): parts of ${defaults.partSizeMiB} MiB, ${defaults.partsInParallel} parts of a file at once, ` +
        `${defaults.filesInParallel} files at once, multipart above ${defaults.multipartThresholdMiB} MiB.`,
    );
  }
  for (const one of [
    ...result.files,
    result.small,
    ...result.smallDelayed.map((one) => one.result),
    result.mixed,
    ...(result.grid ? [result.grid] : []),
  ]) {
    lines.push('');
    const checks =
      one.kind === 'file'
        ? "the object's size, the download's size and SHA-256 checked"
        : "every object listed and its size (and single-part MD5) checked; every downloaded file's size and MD5 checked";
    const what = one.id === 'grid' ? `${one.title} with the app's settings grid (--grid)` : one.title;
    lines.push(`${what}, up and down (median of ${one.rounds} round(s); ${checks}):`);
    lines.push(one.skipped ? `  skipped: ${one.skipped}` : caseTable(one));
  }
  lines.push(
    "App: times from the request to the batch's end, inside its own process (start-up and opening the bucket, whose capabilities the file list probes once a session, not counted); peak RSS of that process (one process per upload and per download); CPU: that process's CPU time (user and system, all its threads) over the same span, with its system (kernel) part. " +
      'Peer tools: from process start to exit; peak RSS and CPU time of the process. ' +
      "CPU time hardly moves with the machine's load, where the times do: on a shared machine it is the steadier comparison.",
  );
  return lines;
}
