/**
 * The listing phase of `npm run bench` (issue #4, kept in the summary of issue #12): one folder
 * of 100,000 keys listed by the app's services and by the peer tools in the same run against
 * the same MinIO; then the real UI opens, scrolls and filters it (scripts/bench/ui-bench.ts).
 */
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ChildCommand } from './build-children';
import type { AppListingResult } from './list-app-child';
import { measureCommand } from './measure-command';
import type { BenchOptions } from './options';
import type { ListingTarget, MissingPeer, PeerCommand, PeerKind } from './peer-tools';
import { fileName, seedFolder } from './seed-folder';
import { formatMiB, formatMs, median, renderTable, SLOW_ANSWER_MS } from './stats';
import {
  buildApp,
  listingVerdict,
  missesTarget,
  runUiBench,
  TARGET,
  type ScrollResult,
  type SortResult,
  type UiResult,
} from './ui-bench';

/** Who listed: the app's services, its UI, or a peer tool (the summary's columns). */
export type ListingColumn = 'app' | 'ui' | PeerKind;

/** One row of the listing table. */
export interface ListingRow {
  column: ListingColumn;
  tool: string;
  firstEntriesMs: number | null;
  allMs: number | null;
  /** Peak resident memory of the process that listed (for the UI: the web-mode server's). */
  peakRssBytes: number | null;
  peakMemory: string;
  /** Entries it listed (to catch a tool that stopped early). */
  entries: number | null;
  note: string;
  /** How many runs the figures are the median of. */
  runs: number;
}

/**
 * The UI's verdict against issue #12's targets, each with its figure: the first rows within
 * 300 ms of Enter; everything shown in at most 1.2 times the services' listing; while
 * scrolling (the median pass) a p95 frame of at most 34 ms and no task over 50 ms; no task
 * over 200 ms while loading, filtering or sorting; every pass reaching the last row.
 */
export function uiVerdict(
  ui: Pick<UiResult, 'firstRowsMs' | 'allLoadedMs' | 'scrolling'> & {
    loading: Pick<UiResult['loading'], 'longTasks'>;
    filter: Pick<UiResult['filter'], 'longTasks'>;
    sorting: ReadonlyArray<Pick<SortResult, 'longTasks'>>;
    scrollPasses: ReadonlyArray<Pick<ScrollResult, 'reachedLastRow'>>;
  },
  servicesAllMs: number | null,
): string {
  const listing = listingVerdict(ui, servicesAllMs);
  const scroll = ui.scrolling;
  const checks: Array<[boolean, string]> = [
    [listing.firstRowsMet, `first rows ${formatMs(ui.firstRowsMs)} after Enter (≤ ${TARGET.firstRowsMs} ms)`],
    [
      listing.ratioMet,
      `all shown in ${formatMs(ui.allLoadedMs)} = ${listing.ratio === null ? '–' : listing.ratio.toFixed(2)}× the services' ${formatMs(servicesAllMs)} (≤ ${TARGET.allLoadedOverServices}×)`,
    ],
    [
      (scroll.frames.p95Ms ?? Infinity) <= TARGET.p95FrameMs,
      `p95 frame while scrolling ${formatMs(scroll.frames.p95Ms)} (≤ ${TARGET.p95FrameMs} ms)`,
    ],
    [
      scroll.longTasks.longestMs <= TARGET.scrollLongestTaskMs,
      `longest task while scrolling ${formatMs(scroll.longTasks.longestMs || null)} (none over ${TARGET.scrollLongestTaskMs} ms)`,
    ],
    [
      !missesTarget(null, ui.loading.longTasks) &&
        !missesTarget(null, ui.filter.longTasks) &&
        ui.sorting.every((sort) => !missesTarget(null, sort.longTasks)),
      `longest task while loading ${formatMs(ui.loading.longTasks.longestMs || null)}, filtering ${formatMs(ui.filter.longTasks.longestMs || null)}, sorting ${formatMs(Math.max(0, ...ui.sorting.map((sort) => sort.longTasks.longestMs)) || null)} (none over ${TARGET.longestTaskMs} ms)`,
    ],
    [ui.scrollPasses.every((pass) => pass.reachedLastRow), 'every scroll pass reached the last row'],
  ];
  const missed = checks.filter(([met]) => !met).length;
  return (
    `${missed === 0 ? 'PASS' : `MISSED ${missed} of ${checks.length}`} (issue #12's UI targets, scrolling judged on the median pass): ` +
    checks.map(([met, what]) => `${what}: ${met ? 'met' : 'MISSED'}`).join('; ')
  );
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
      ...ui.sorting.map((sort) =>
        row(
          `sort by ${sort.column}`,
          null,
          sort.longTasks,
          `shown ${formatMs(sort.clickToFrameMs)} after the click; first row ${sort.firstRowName}`,
        ),
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
  /** The app's pages whose answer took SLOW_ANSWER_MS or more. */
  slowPages?: number;
  entries: number | null;
  failure: string | null;
}

/** Lists the folder through the app's services, in a process of its own (scripts/bench/list-app-child.ts). */
async function runAppServices(repoRoot: string, child: ChildCommand, target: ListingTarget): Promise<ToolRun> {
  const measured = await measureCommand(child.command, child.args, {
    env: { ...child.env, BENCH_TARGET: JSON.stringify(target) },
    cwd: repoRoot,
    timeoutMs: 240_000,
  });
  try {
    const app = JSON.parse(measured.lastLine) as AppListingResult;
    return {
      firstEntriesMs: app.firstPageMs,
      allMs: app.allMs,
      peakRssBytes: app.peakRssBytes,
      rssBeforeBytes: app.rssBeforeBytes,
      slowPages: app.slowPages,
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
function summarizeRuns(column: ListingColumn, tool: string, runs: readonly ToolRun[], total: number): ListingRow {
  const times = (pick: (run: ToolRun) => number | null) =>
    median(runs.map(pick).filter((v): v is number => v !== null));
  const peaks = runs.map((run) => run.peakRssBytes).filter((v): v is number => v !== null);
  const before = runs.map((run) => run.rssBeforeBytes).filter((v): v is number => v !== undefined);
  const failure = runs.find((run) => run.failure !== null)?.failure ?? null;
  const entries = runs.at(-1)?.entries ?? null;
  return {
    column,
    tool,
    firstEntriesMs: times((run) => run.firstEntriesMs),
    allMs: times((run) => run.allMs),
    peakRssBytes: peaks.length > 0 ? Math.max(...peaks) : null,
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

/** What the listing phase measured, for the summary and the JSON. */
export interface ListingPhaseResult {
  keys: number;
  seedMs: number;
  buildMs: number | null;
  rows: ListingRow[];
  ui: UiResult | null;
  uiError: string | null;
  verdict: string | null;
  /** The phase's tables and verdict, as printed. */
  report: string[];
}

/** The listing phase: seeds the folder, lists it with every tool, then measures the UI. */
export async function runListingPhase(phase: {
  repoRoot: string;
  /** How to start list-app-child.ts (bundled, see build-children.ts). */
  child: ChildCommand;
  options: BenchOptions;
  target: ListingTarget;
  client: S3Client;
  peers: readonly PeerCommand[];
  missing: readonly MissingPeer[];
  appDir: string;
  resultsDir: string;
  stamp: string;
  log: (line: string) => void;
}): Promise<ListingPhaseResult> {
  const { repoRoot, child, options, target, client, peers, missing, appDir, resultsDir, stamp, log } = phase;
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

  const tools: Array<{ column: ListingColumn; name: string; run: () => Promise<ToolRun> }> = [
    {
      column: 'app',
      name: 'S3 File Manager services (objects.list)',
      run: () => runAppServices(repoRoot, child, target),
    },
    ...peers.map((peer) => ({ column: peer.kind, name: peer.name, run: () => runPeer(peer, total) })),
  ];
  // Round by round, one tool at a time (two cores: never two listings at once).
  const runs = new Map<string, ToolRun[]>(tools.map((tool) => [tool.name, []]));
  for (let round = 1; round <= options.rounds; round++) {
    log(`Listing, round ${round} of ${options.rounds}: ${tools.map((tool) => tool.name).join(', ')}…`);
    for (const tool of tools) runs.get(tool.name)?.push(await tool.run());
  }
  const rows: ListingRow[] = tools.map((tool) =>
    summarizeRuns(tool.column, tool.name, runs.get(tool.name) ?? [], total),
  );

  // 3. The UI.
  let ui: UiResult | null = null;
  let uiError: string | null = null;
  if (options.ui) {
    log("Measuring the UI (web mode in Chromium, its server on the Node of the app's processes)…");
    const filterText = total >= 50_000 ? 'scan-04' : 'scan-00';
    const expectedFilterCount = Array.from({ length: total }, (_, i) => fileName(i)).filter((name) =>
      name.toLocaleLowerCase().includes(filterText),
    ).length;
    try {
      ui = await runUiBench({
        appDir,
        // The Node of the app's processes (Electron's where it could be had).
        node: child.command,
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
        column: 'ui',
        tool: 'S3 File Manager UI (web mode, Chromium)',
        firstEntriesMs: ui.firstRowsMs,
        allMs: ui.allLoadedMs,
        peakRssBytes: ui.memory.serverPeakRssBytes,
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

  // The report, printed by run.ts after the summary.
  const reportLines: string[] = [];
  const report = (line: string): void => {
    reportLines.push(line);
  };
  report(`Listing one folder of ${total.toLocaleString('en-US')} keys (MinIO on 127.0.0.1, same run):`);
  report(
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
  report(
    "App services: from the folder's first request, client already made. UI: from Enter in the path bar to the frame that shows it. " +
      'Peer tools: from process start (their start-up is part of what a person waits for) to first output and exit.',
  );
  let verdict: string | null = null;
  if (ui) {
    report('');
    report(uiFrameTable(ui));
    const servicesAllMs = rows.find((r) => r.column === 'app')?.allMs ?? null;
    verdict = uiVerdict(ui, servicesAllMs);
    report(verdict);
    const missedPasses = ui.scrollPasses.filter((pass) => missesTarget(pass.frames, pass.longTasks)).length;
    if (missedPasses > 0) report(`${missedPasses} of ${ui.scrollPasses.length} scroll passes missed the target.`);
    report(
      `Load average (1 min) while measuring the UI: ${ui.loadAverage.map((l) => l.toFixed(1)).join(' → ')} on ${os.cpus().length} cores (other work on the machine slows frames).`,
    );
    const pages = ui.loading.pages;
    report(
      `Loading in the UI: the file list made ${pages.requests} objects.list requests (${formatMiB(pages.receivedChars)} of JSON)` +
        (pages.otherRequests > 0
          ? `, and ${pages.otherRequests} other objects.list requests ran meanwhile (the sidebar tree listing the same folder)`
          : '') +
        '; ' +
        `waiting for the server ${formatMs(pages.serverTotalMs)} (median ${formatMs(pages.serverMedianMs)} a page), ` +
        `the page's own work between an answer and the next request ${formatMs(pages.pageTotalMs)} (median ${formatMs(pages.pageMedianMs)})`,
    );
    const services = tools.find((tool) => tool.column === 'app');
    const servicesSlow = (services ? (runs.get(services.name) ?? []) : []).map((run) => run.slowPages ?? '–');
    report(
      `Answers of ${SLOW_ANSWER_MS} ms or more (MinIO waiting for its own listing, 250 ms each time a reader catches up with it): ` +
        `${pages.slowAnswers} in the UI's loading, ${servicesSlow.join(' / ')} in the services' rounds`,
    );
    report(
      `JS heap in use ${formatMiB(ui.memory.jsHeapUsedBytes)}; page renderer peak ${formatMiB(ui.memory.rendererPeakRssBytes)} RSS; web-mode server peak ${formatMiB(ui.memory.serverPeakRssBytes)} RSS`,
    );
    if (ui.longTaskError) report(`(long tasks could not be observed: ${ui.longTaskError})`);
    if (ui.profile) {
      report('');
      report(`Where the time goes while scrolling (CPU profile, self time; ${ui.profileFile ?? ''}):`);
      report(
        renderTable(
          ['self time', 'share', 'function and place (minified bundle)'],
          ui.profile.slice(0, 15).map((p) => [formatMs(p.selfMs), `${Math.round(p.share * 100)}%`, p.what]),
        ),
      );
    }
  }
  for (const [what, trace] of [
    ['that scroll pass', ui?.trace],
    ['the loading (traced, so slower than measured above)', ui?.loadingTrace],
  ] as const) {
    if (!trace) continue;
    report('');
    report(`The renderer's main thread in ${what} (Chrome trace; nested events counted in their own line too):`);
    report(trace.byName.map((e) => `${e.name} ${formatMs(e.ms)}`).join(', '));
    for (const task of trace.longTasks.slice(0, 12)) {
      report(`  a task of ${formatMs(task.ms)}: ${task.parts.map((e) => `${e.name} ${formatMs(e.ms)}`).join(', ')}`);
    }
  }
  if (uiError) report(`UI: failed: ${uiError}`);

  return { keys: total, seedMs, buildMs, rows, ui, uiError, verdict, report: reportLines };
}
