/**
 * `npm run bench`: a folder of 100,000 keys, listed by the app's services, by its UI (web
 * mode in Chromium) and by peer tools (AWS CLI, rclone, s5cmd) in the same run against the
 * same MinIO, printed side by side; then how the UI scrolls and filters it (issue #4: "A
 * folder of 100,000 keys scrolls smoothly and never freezes the UI"). Then transfers
 * (issue #5): one file up and down and a folder of small files up, by the app's queue with
 * several part sizes and parallelisms and by the same peer tools (scripts/bench/transfer-bench.ts).
 *
 * Options:
 *   --keys N          keys in the folder (default 100000; a smaller number for a quick try)
 *   --rounds N        listings and transfers per tool; the tables show the median (default 3)
 *   --scroll-ms N     how long the top-to-bottom scroll takes (default 5000)
 *   --scroll-passes N how many times to scroll; the verdict uses the median pass (default 3)
 *   --no-ui           skip the UI measurements (and the build)
 *   --no-build        reuse the last build in .cache/bench-app
 *   --no-peers        skip the peer tools
 *   --no-install      do not try to install a missing s5cmd
 *   --profile         always profile a second scroll pass (by default only when the target is missed)
 *   --no-transfers    skip the transfers phase
 *   --transfer-mib N  size of the file moved up and down (default 256)
 *   --only P          run one phase: listing (with the UI) or transfers
 *
 * Everything it starts (MinIO, web mode, Chromium, the peer tools) is stopped by pid at the
 * end, also on failure or Ctrl+C. Results go to bench-results/bench-<time>.json.
 */
import { statfsSync, mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { MINIO_MODULE_VERSION, startMinio } from '../minio';
import { s3ClientFor } from '../../test/s3-fixtures';
import type { AppListingResult } from './list-app-child';
import { runTransferBench, transferReport, type TransferBenchResult } from './transfer-bench';
import { measureCommand } from './measure-command';
import { findPeerTools, isFound, type ListingTarget, type MissingPeer, type PeerCommand } from './peer-tools';
import { atCleanup, cleanupAll } from './processes';
import { fileName, seedFolder } from './seed-folder';
import { formatMiB, formatMs, median, renderTable } from './stats';
import { buildApp, missesTarget, runUiBench, TARGET, type UiResult } from './ui-bench';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Options {
  keys: number;
  /** How many times each tool lists the folder (the table shows the median). */
  rounds: number;
  scrollMs: number;
  /** Top-to-bottom scroll passes; the verdict uses the median one. */
  scrollPasses: number;
  ui: boolean;
  build: boolean;
  peers: boolean;
  install: boolean;
  profile: 'always' | 'auto';
  /** The listing phase (with the UI). */
  listing: boolean;
  /** The transfers phase. */
  transfers: boolean;
  transferMiB: number;
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    const value = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
    return value;
  };
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '') : null;
  if (only !== null && only !== 'listing' && only !== 'transfers') {
    throw new Error('--only takes "listing" or "transfers"');
  }
  return {
    keys: valueOf('--keys', 100_000),
    rounds: valueOf('--rounds', 3),
    scrollMs: valueOf('--scroll-ms', 5000),
    scrollPasses: valueOf('--scroll-passes', 3),
    ui: !argv.includes('--no-ui'),
    build: !argv.includes('--no-build'),
    peers: !argv.includes('--no-peers'),
    install: !argv.includes('--no-install'),
    profile: argv.includes('--profile') ? 'always' : 'auto',
    listing: only === null || only === 'listing',
    transfers: only === 'transfers' || (only === null && !argv.includes('--no-transfers')),
    transferMiB: valueOf('--transfer-mib', 256),
  };
}

/** One row of the listing table. */
interface ListingRow {
  tool: string;
  firstEntriesMs: number | null;
  allMs: number | null;
  peakMemory: string;
  /** Entries it listed (to catch a tool that stopped early). */
  entries: number | null;
  note: string;
  /** How many runs the figures are the median of. */
  runs: number;
}

/** A folder on tmpfs for MinIO's drives when there is room: the benchmark measures listing, not this disk. */
function fastTmpDir(): string | undefined {
  try {
    const stats = statfsSync('/dev/shm');
    return stats.bavail * stats.bsize > 3 * 1024 ** 3 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}

function uiFrameTable(ui: UiResult): string {
  const row = (
    phase: string,
    frames: UiResult['loading']['frames'] | null,
    longTasks: UiResult['loading']['longTasks'],
    extra: string,
  ) => [
    phase,
    frames ? String(frames.frames) : '–',
    formatMs(frames?.p50Ms),
    formatMs(frames?.p95Ms),
    formatMs(frames?.maxMs),
    `${longTasks.count} / ${formatMs(longTasks.totalMs)}`,
    formatMs(longTasks.longestMs || null),
    missesTarget(phase.startsWith('scrolling') ? frames : null, longTasks) ? 'MISSED' : 'ok',
    extra,
  ];
  return renderTable(
    [
      'UI phase',
      'frames',
      'p50 frame',
      'p95 frame',
      'max frame',
      'long tasks (n / total)',
      'longest task',
      'target',
      '',
    ],
    [
      row('loading', ui.loading.frames, ui.loading.longTasks, ''),
      ...ui.scrollPasses.map((pass, i) =>
        row(
          `scrolling #${i + 1}${pass === ui.scrolling ? ' (median)' : ''}`,
          pass.frames,
          pass.longTasks,
          `${formatMs(pass.durationMs)} top to bottom; ${pass.blankFrames} frames with rows missing; ` +
            (pass.reachedLastRow ? `reached the last row (${pass.lastRowName})` : 'did NOT reach the last row'),
        ),
      ),
      row(
        'filter typing',
        ui.filter.frames,
        ui.filter.longTasks,
        `"${ui.filter.text}": ${ui.filter.expectedCount.toLocaleString('en-US')} rows shown ${formatMs(ui.filter.afterLastKeyMs)} after the last key; slowest key event ${formatMs(ui.filter.slowestInputEventMs)}`,
      ),
    ],
  );
}

/** One listing by one tool. */
interface ToolRun {
  firstEntriesMs: number | null;
  allMs: number | null;
  peakRssBytes: number | null;
  /** The app's resident memory before it listed (start-up and libraries). */
  rssBeforeBytes?: number;
  entries: number | null;
  failure: string | null;
}

/** Lists the folder through the app's services, in a process of its own (scripts/bench/list-app-child.ts). */
async function runAppServices(target: ListingTarget): Promise<ToolRun> {
  const measured = await measureCommand(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'scripts', 'bench', 'list-app-child.ts')],
    { env: { BENCH_TARGET: JSON.stringify(target) }, cwd: repoRoot, timeoutMs: 240_000 },
  );
  try {
    const app = JSON.parse(measured.lastLine) as AppListingResult;
    return {
      firstEntriesMs: app.firstPageMs,
      allMs: app.allMs,
      peakRssBytes: app.peakRssBytes,
      rssBeforeBytes: app.rssBeforeBytes,
      entries: app.entries,
      failure: null,
    };
  } catch {
    return {
      firstEntriesMs: null,
      allMs: null,
      peakRssBytes: null,
      entries: null,
      failure: `failed: ${measured.stderrTail.split('\n').at(-1) ?? ''}`,
    };
  }
}

/** Lists the folder with a peer tool. */
async function runPeer(peer: PeerCommand, total: number): Promise<ToolRun> {
  const measured = await measureCommand(peer.command, peer.args, { env: peer.env, timeoutMs: 240_000 });
  const failed = measured.timedOut || measured.exitCode !== 0;
  return {
    firstEntriesMs: measured.firstOutputMs,
    allMs: failed ? null : measured.totalMs,
    peakRssBytes: measured.peakRssBytes,
    entries: measured.lines,
    failure: measured.timedOut
      ? 'timed out'
      : failed
        ? `failed (exit ${measured.exitCode}): ${measured.stderrTail.split('\n').at(-1) ?? ''}`
        : measured.lines === total
          ? null
          : `listed ${measured.lines.toLocaleString('en-US')} lines, not ${total.toLocaleString('en-US')}`,
  };
}

/** The median of a tool's runs (times), its highest peak memory, and any failure. */
function summarizeRuns(tool: string, runs: readonly ToolRun[], total: number): ListingRow {
  const times = (pick: (run: ToolRun) => number | null) =>
    median(runs.map(pick).filter((v): v is number => v !== null));
  const peaks = runs.map((run) => run.peakRssBytes).filter((v): v is number => v !== null);
  const before = runs.map((run) => run.rssBeforeBytes).filter((v): v is number => v !== undefined);
  const failure = runs.find((run) => run.failure !== null)?.failure ?? null;
  const entries = runs.at(-1)?.entries ?? null;
  return {
    tool,
    firstEntriesMs: times((run) => run.firstEntriesMs),
    allMs: times((run) => run.allMs),
    peakMemory:
      (peaks.length > 0 ? `${formatMiB(Math.max(...peaks))} RSS` : '–') +
      (before.length > 0 ? ` (${formatMiB(Math.min(...before))} before listing)` : ''),
    entries,
    note: failure ?? (entries !== null && entries !== total ? `listed ${entries}` : ''),
    runs: runs.length,
  };
}

/** Counts the keys under a prefix with the SDK directly (ListObjectsV2, 1,000 a page). */
async function countKeys(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    count += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return count;
}

/** What the listing phase measured, for the JSON. */
interface ListingPhaseResult {
  seedMs: number;
  buildMs: number | null;
  rows: ListingRow[];
  ui: UiResult | null;
  uiError: string | null;
  verdict: string | null;
}

/** The listing phase: seeds the folder, lists it with every tool, then measures the UI. */
async function runListingPhase(phase: {
  options: Options;
  target: ListingTarget;
  client: S3Client;
  peers: readonly PeerCommand[];
  missing: readonly MissingPeer[];
  appDir: string;
  resultsDir: string;
  stamp: string;
  log: (line: string) => void;
}): Promise<ListingPhaseResult> {
  const { options, target, client, peers, missing, appDir, resultsDir, stamp, log } = phase;
  const total = options.keys;
  const { bucket, prefix } = target;
  // Seeding and the app's build at once: the build waits on the disk, seeding on MinIO.
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const seedStart = performance.now();
  const [buildMs] = await Promise.all([
    options.ui && options.build ? buildApp(repoRoot, appDir) : Promise.resolve(null),
    seedFolder({ client, bucket, prefix, count: total }).then(() => {
      log(
        `Seeded s3://${bucket}/${prefix} with ${total.toLocaleString('en-US')} keys in ${formatMs(performance.now() - seedStart)} (snowball tar uploads)`,
      );
    }),
  ]);
  const seedMs = performance.now() - seedStart;
  if (buildMs !== null) log(`Built the app (electron-vite) in ${formatMs(buildMs)}`);

  // One unmeasured listing first: it checks the folder holds every key, and warms MinIO's
  // listing cache (its "metacache"), so that no tool pays for listing the folder first.
  const present = await countKeys(client, bucket, prefix);
  if (present !== total) throw new Error(`the folder holds ${present} keys, not ${total}: seeding failed`);
  log(`Checked: ${present.toLocaleString('en-US')} keys listed (this also warms MinIO's listing cache)`);

  const tools: Array<{ name: string; run: () => Promise<ToolRun> }> = [
    {
      name: 'S3 File Manager services (objects.list)',
      run: () => runAppServices(target),
    },
    ...peers.map((peer) => ({ name: peer.name, run: () => runPeer(peer, total) })),
  ];
  // Round by round, one tool at a time (two cores: never two listings at once).
  const runs = new Map<string, ToolRun[]>(tools.map((tool) => [tool.name, []]));
  for (let round = 1; round <= options.rounds; round++) {
    log(`Listing, round ${round} of ${options.rounds}: ${tools.map((tool) => tool.name).join(', ')}…`);
    for (const tool of tools) runs.get(tool.name)?.push(await tool.run());
  }
  const rows: ListingRow[] = tools.map((tool) => summarizeRuns(tool.name, runs.get(tool.name) ?? [], total));

  // 3. The UI.
  let ui: UiResult | null = null;
  let uiError: string | null = null;
  if (options.ui) {
    log('Measuring the UI (web mode in Chromium)…');
    const filterText = total >= 50_000 ? 'scan-04' : 'scan-00';
    const expectedFilterCount = Array.from({ length: total }, (_, i) => fileName(i)).filter((name) =>
      name.toLocaleLowerCase().includes(filterText),
    ).length;
    try {
      ui = await runUiBench({
        appDir,
        target,
        total,
        filterText,
        expectedFilterCount,
        scrollMs: options.scrollMs,
        scrollPasses: options.scrollPasses,
        profileTo: path.join(resultsDir, `ui-scroll-${stamp}.cpuprofile`),
        profile: options.profile,
        log,
      });
      rows.push({
        tool: 'S3 File Manager UI (web mode, Chromium)',
        firstEntriesMs: ui.firstRowsMs,
        allMs: ui.allLoadedMs,
        peakMemory:
          `JS heap ${formatMiB(ui.memory.jsHeapUsedBytes)}; page ${formatMiB(ui.memory.rendererPeakRssBytes)} RSS; ` +
          `server ${formatMiB(ui.memory.serverPeakRssBytes)} RSS`,
        entries: total,
        note: '',
        runs: 1,
      });
    } catch (error) {
      uiError = error instanceof Error ? error.message : String(error);
      log(`  the UI measurement failed: ${uiError}`);
    }
  }

  // The report.
  log('');
  log(`Listing one folder of ${total.toLocaleString('en-US')} keys (MinIO on 127.0.0.1, same run):`);
  log(
    renderTable(
      ['tool', 'first entries visible', `all ${total.toLocaleString('en-US')}`, 'peak memory', 'runs', 'note'],
      [
        ...rows.map((r) => [
          r.tool,
          formatMs(r.firstEntriesMs),
          formatMs(r.allMs),
          r.peakMemory,
          String(r.runs),
          r.note,
        ]),
        ...missing.map((m) => [m.name, 'not installed', '', '', '', `${m.installHint} (${m.reason})`]),
      ],
    ),
  );
  log(
    "App services: from the folder's first request, client already made. UI: from Enter in the path bar to the frame that shows it. " +
      'Peer tools: from process start (their start-up is part of what a person waits for) to first output and exit.',
  );
  let verdict: string | null = null;
  if (ui) {
    log('');
    log(uiFrameTable(ui));
    const failed = [
      missesTarget(null, ui.loading.longTasks) ? 'a long task while loading' : '',
      missesTarget(ui.scrolling.frames, ui.scrolling.longTasks) ? 'scrolling' : '',
      missesTarget(null, ui.filter.longTasks) ? 'a long task while filtering' : '',
      ui.scrollPasses.every((pass) => pass.reachedLastRow) ? '' : 'a scroll did not reach the last row',
    ].filter(Boolean);
    verdict =
      failed.length === 0
        ? `PASS: no task over ${TARGET.longestTaskMs} ms, p95 frame while scrolling ${formatMs(ui.scrolling.frames.p95Ms)} (target ≤ ${TARGET.p95FrameMs} ms)`
        : `MISSED: ${failed.join(', ')} (target: no task over ${TARGET.longestTaskMs} ms, p95 frame while scrolling ≤ ${TARGET.p95FrameMs} ms)`;
    log(verdict);
    const missedPasses = ui.scrollPasses.filter((pass) => missesTarget(pass.frames, pass.longTasks)).length;
    if (missedPasses > 0) log(`${missedPasses} of ${ui.scrollPasses.length} scroll passes missed the target.`);
    log(
      `Load average (1 min) while measuring the UI: ${ui.loadAverage.map((l) => l.toFixed(1)).join(' → ')} on ${os.cpus().length} cores (other work on the machine slows frames).`,
    );
    const pages = ui.loading.pages;
    log(
      `Loading in the UI: the file list made ${pages.requests} objects.list requests (${formatMiB(pages.receivedChars)} of JSON)` +
        (pages.otherRequests > 0
          ? `, and ${pages.otherRequests} other objects.list requests ran meanwhile (the sidebar tree listing the same folder)`
          : '') +
        '; ' +
        `waiting for the server ${formatMs(pages.serverTotalMs)} (median ${formatMs(pages.serverMedianMs)} a page), ` +
        `the page's own work between an answer and the next request ${formatMs(pages.pageTotalMs)} (median ${formatMs(pages.pageMedianMs)})`,
    );
    log(
      `JS heap in use ${formatMiB(ui.memory.jsHeapUsedBytes)}; page renderer peak ${formatMiB(ui.memory.rendererPeakRssBytes)} RSS; web-mode server peak ${formatMiB(ui.memory.serverPeakRssBytes)} RSS`,
    );
    if (ui.longTaskError) log(`(long tasks could not be observed: ${ui.longTaskError})`);
    if (ui.profile) {
      log('');
      log(`Where the time goes while scrolling (CPU profile, self time; ${ui.profileFile ?? ''}):`);
      log(
        renderTable(
          ['self time', 'share', 'function and place (minified bundle)'],
          ui.profile.slice(0, 15).map((p) => [formatMs(p.selfMs), `${Math.round(p.share * 100)}%`, p.what]),
        ),
      );
    }
  }
  if (uiError) log(`UI: failed: ${uiError}`);

  return { seedMs, buildMs, rows, ui, uiError, verdict };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const total = options.keys;
  const started = performance.now();
  const log = (line: string): void => console.log(line);
  const bucket = 'bench-100k';
  const prefix = 'big-folder/';
  const resultsDir = path.join(repoRoot, 'bench-results');
  const cacheDir = path.join(repoRoot, '.cache', 'bench');
  const appDir = path.join(repoRoot, '.cache', 'bench-app');
  mkdirSync(resultsDir, { recursive: true });
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), 's3fm-bench-scratch-'));
  atCleanup('scratch folder', () => rmSync(scratchDir, { recursive: true, force: true }));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');

  log(
    `S3 File Manager benchmark: ${[
      options.listing ? `one folder of ${total.toLocaleString('en-US')} keys` : '',
      options.transfers ? `transfers of ${options.transferMiB} MiB and of small files` : '',
    ]
      .filter(Boolean)
      .join('; ')}. ` +
      `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, Node ${process.version}`,
  );

  // MinIO on tmpfs when there is room: os.tmpdir() is read when startMinio makes its folder.
  const fastTmp = fastTmpDir();
  const savedTmp = process.env.TMPDIR;
  if (fastTmp) process.env.TMPDIR = fastTmp;
  const minio = await startMinio().finally(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  atCleanup('MinIO', () => minio.stop());
  log(`MinIO ${MINIO_MODULE_VERSION} at ${minio.endpoint}${fastTmp ? ` (drives on ${fastTmp})` : ''}`);
  const target: ListingTarget = {
    endpoint: minio.endpoint,
    region: minio.region,
    accessKeyId: minio.accessKeyId,
    secretAccessKey: minio.secretAccessKey,
    bucket,
    prefix,
  };

  const client = s3ClientFor(minio);
  atCleanup('S3 client', () => client.destroy());
  const peers: PeerCommand[] = [];
  const missing: MissingPeer[] = [];
  if (options.peers) {
    for (const peer of await findPeerTools(target, { cacheDir, scratchDir, install: options.install })) {
      if (isFound(peer)) peers.push(peer);
      else missing.push(peer);
    }
  }
  const listing = options.listing
    ? await runListingPhase({ options, target, client, peers, missing, appDir, resultsDir, stamp, log })
    : null;

  let transfers: TransferBenchResult | null = null;
  if (options.transfers) {
    const transferBucket = 'bench-transfers';
    await client.send(new CreateBucketCommand({ Bucket: transferBucket }));
    log('');
    log(
      `Transfers (issue #5): the app's queue (part size × parts in parallel) and ${peers.length} peer tools, ` +
        `${options.rounds} rounds, one at a time…`,
    );
    transfers = await runTransferBench({
      repoRoot,
      target,
      client,
      bucket: transferBucket,
      peers,
      rounds: options.rounds,
      sizeMiB: options.transferMiB,
      // Files on the disk (os.tmpdir()), as a person's files are; MinIO's drives may be on tmpfs.
      workDir: scratchDir,
      log,
    });
    log('');
    for (const line of transferReport(transfers)) log(line);
    for (const m of missing) log(`${m.name}: not installed: ${m.installHint} (${m.reason})`);
    log(`Load average (1 min) after the transfers: ${os.loadavg()[0]?.toFixed(1) ?? '?'} on ${os.cpus().length} cores`);
  }

  const resultFile = path.join(resultsDir, `bench-${stamp}.json`);
  writeFileSync(
    resultFile,
    `${JSON.stringify(
      {
        when: new Date().toISOString(),
        machine: {
          cpus: os.cpus().length,
          model: os.cpus()[0]?.model ?? null,
          loadavg: os.loadavg(),
          node: process.version,
        },
        minio: MINIO_MODULE_VERSION,
        keys: listing ? total : null,
        seedMs: listing?.seedMs ?? null,
        buildMs: listing?.buildMs ?? null,
        listing: listing?.rows ?? null,
        missingPeers: missing,
        ui: listing?.ui ?? null,
        uiError: listing?.uiError ?? null,
        verdict: listing?.verdict ?? null,
        transfers,
        totalMs: performance.now() - started,
      },
      null,
      2,
    )}\n`,
  );
  log('');
  log(`Results: ${path.relative(repoRoot, resultFile)} (whole run ${formatMs(performance.now() - started)})`);
}

let stopping = false;
const stopOnSignal = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.error(`\n${signal}: stopping what the benchmark started…`);
  void cleanupAll().finally(() => process.exit(130));
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

main()
  .catch((error: unknown) => {
    // After Ctrl+C, the requests that were cut off fail: that is not news.
    if (stopping) return;
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanupAll();
  });
