/**
 * The UI part of the benchmark: the real renderer in web mode (node <build>/main/web.js, the
 * same services as the desktop app) in Debian's Chromium, driven by Playwright as a person
 * would drive it: open the bucket, type the folder into the path bar, wait for it to load,
 * scroll the list from top to bottom, type in the filter box.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type CDPSession, type Locator, type Page } from '@playwright/test';
import {
  HEAP_USED,
  INIT_SCRIPT,
  SCROLL_TO_TOP,
  scrollPass,
  watchFilter,
  watchSort,
  watchOpen,
  type PageBench,
  type ScrollPass,
} from './page-probes';
import type { ListingTarget } from './peer-tools';
import { profileArguments } from './build-children';
import { atCleanup, killGroup, runToEnd, spawnTracked, waitForExit } from './processes';
import {
  median,
  SLOW_ANSWER_MS,
  summarizeFrames,
  summarizeLongTasks,
  type FrameSummary,
  type LongTaskSummary,
} from './stats';
import { webModeUrl } from '../web-mode-url';

/** Row height of the file list in pixels (ROW_HEIGHT in src/renderer/features/browser/file-list.tsx). */
const ROW_HEIGHT = 26;

/** The same Chromium and flags as playwright.config.ts. */
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((file) => existsSync(file));
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Exact (not bucketed) performance.memory figures.
  '--enable-precise-memory-info',
];

/** Builds the app (main, preload, renderer) into `outDir` with electron-vite; throws with its output on failure. */
export async function buildApp(repoRoot: string, outDir: string): Promise<number> {
  const started = performance.now();
  const electronVite = path.join(repoRoot, 'node_modules', '.bin', 'electron-vite');
  // An absolute outDir: electron-vite resolves a relative one against each target's root (src/renderer for the renderer).
  const result = await runToEnd(electronVite, ['build', '--outDir', outDir], { cwd: repoRoot, timeoutMs: 300_000 });
  if (result.code !== 0) throw new Error(`electron-vite build failed:\n${result.output.slice(-3000)}`);
  return performance.now() - started;
}

/** Peak resident memory of a process (VmHWM), in bytes; null when it cannot be read. */
function peakRss(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Starts web mode from a build and resolves with its URL once it prints it; stopped at cleanup. */
async function startWebMode(appDir: string, target: ListingTarget, node: string) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 's3fm-bench-'));
  // With BENCH_CPU_PROF, web mode leaves a CPU profile there too, as the app's other processes do.
  const child = spawnTracked(node, [...profileArguments(), path.join(appDir, 'main', 'web.js')], {
    env: {
      ...process.env,
      S3FM_ENDPOINT: target.endpoint,
      S3FM_ACCESS_KEY_ID: target.accessKeyId,
      S3FM_SECRET_ACCESS_KEY: target.secretAccessKey,
      S3FM_REGION: target.region,
      ...(target.caFile ? { S3FM_CA_CERT_FILE: target.caFile } : {}),
      S3FM_ACCOUNT_NAME: 'Benchmark MinIO',
      S3FM_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const { code, timedOut } = await waitForExit(child, 5000);
      if (timedOut || code === null) killGroup(child.pid);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  atCleanup('web mode', stop);
  const url = await webModeUrl(child, 30_000);
  return { url, pid: child.pid ?? -1, stop };
}

/** One top-to-bottom scroll pass of the file list. */
export interface ScrollResult {
  durationMs: number;
  frames: FrameSummary;
  longTasks: LongTaskSummary;
  /** Frames whose rendered rows did not cover the visible part of the list. */
  blankFrames: number;
  reachedLastRow: boolean;
  lastRowName: string;
  /** CPU time Chromium's processes used during the pass, in ms, by the type Chromium gives them. */
  cpuMs: Record<string, number>;
}

/** What the UI benchmark measured. */
export interface UiResult {
  /** Milliseconds from Enter in the path bar to the first frame with rows of the folder. */
  firstRowsMs: number | null;
  /** Milliseconds from Enter to the first frame whose status line says all items are loaded. */
  allLoadedMs: number | null;
  /** Where the wait for the first rows went. */
  firstRows: FirstRowsTimes | null;
  loading: {
    frames: FrameSummary;
    longTasks: LongTaskSummary;
    pages: PageTimes;
    /**
     * CPU time used from just before Enter until everything was loaded, in ms: Chromium's
     * processes by the type it gives them (browser, renderer, GPU, network…) and the web-mode
     * server's ("server"). On a machine of two cores, what the page uses is taken from MinIO and
     * the server.
     */
    cpuMs: Record<string, number>;
  };
  /** Each top-to-bottom scroll pass, in order. */
  scrollPasses: ScrollResult[];
  /** The pass with the median p95 frame interval: the figure the verdict uses. */
  scrolling: ScrollResult;
  /** The machine's load average (1 min) when the UI measurements started and ended: other work slows frames. */
  loadAverage: [number, number];
  filter: {
    text: string;
    expectedCount: number;
    /** From the last keystroke to the first frame showing the filtered count. */
    afterLastKeyMs: number | null;
    /** From the first keystroke to that frame. */
    afterFirstKeyMs: number | null;
    /** The slowest key or input event (Event Timing: from the key to the next frame drawn). */
    slowestInputEventMs: number | null;
    frames: FrameSummary;
    longTasks: LongTaskSummary;
    firstRowName: string;
  };
  /** Clicks on column headers over everything loaded: by size, then by name again. */
  sorting: SortResult[];
  memory: {
    /** JS heap in use in the page after loading, after scrolling and after filtering (max). */
    jsHeapUsedBytes: number | null;
    /** Peak RSS of the page's renderer process(es). */
    rendererPeakRssBytes: number | null;
    /** Peak RSS of the web-mode server (main: services, S3 client, WebSocket host). */
    serverPeakRssBytes: number | null;
  };
  /** Top self-time entries of a profiled second scroll pass (when profiling was asked for). */
  profile: ProfileLine[] | null;
  /** The renderer's main thread in that pass, from a Chrome trace: by event, and each task over 50 ms. */
  trace: TraceSummary | null;
  /** The same for the loading, traced with --profile (which slows it). */
  loadingTrace: TraceSummary | null;
  profileFile: string | null;
  longTaskError: string | null;
}

/** One click on a column header of the file list, over every row loaded. */
export interface SortResult {
  /** The header's label ("Size", "Name"). */
  column: string;
  /** From the click to the first frame whose header says the list is sorted by it. */
  clickToFrameMs: number | null;
  longTasks: LongTaskSummary;
  /** The name in the first row afterwards. */
  firstRowName: string;
}

/** The column headers the benchmark clicks after filtering, in order: each sorts ascending. */
export const SORT_CLICKS = ['Size', 'Name'] as const;

/**
 * Where the time between the folder's pages went in the UI: waiting for the server (a request
 * sent until its answer arrived: the main process, S3 and the WebSocket) and the page's own
 * work (an answer arrived until the next request left: parsing, storing, sorting, rendering).
 */
export interface PageTimes {
  /** The file list's requests. */
  requests: number;
  /** Other objects.list requests meanwhile (the sidebar tree listing the same folder). */
  otherRequests: number;
  serverTotalMs: number;
  serverMedianMs: number | null;
  pageTotalMs: number;
  pageMedianMs: number | null;
  /** Answers that took SLOW_ANSWER_MS or more (MinIO waiting on its own listing: see docs/benchmarks.md). */
  slowAnswers: number;
  /** Characters of JSON received for the listing. */
  receivedChars: number;
}

/**
 * Where the wait for the first rows went: from Enter to the file list's first request, that
 * request's round trip (main process, S3, WebSocket), and from its answer to the frame that
 * showed rows.
 */
export interface FirstRowsTimes {
  enterToRequestMs: number;
  serverMs: number;
  answerToFrameMs: number | null;
}

/** Splits the time to the first rows (see {@link FirstRowsTimes}); null when no request of the list was seen. */
export function firstRowsTimes(
  lists: ReadonlyArray<readonly [number, number, number, 'list' | 'other']>,
  enterAt: number,
  firstRowsAt: number | null,
): FirstRowsTimes | null {
  const first = lists.filter(([sent, , , who]) => who === 'list' && sent >= enterAt).sort((a, b) => a[0] - b[0])[0];
  if (!first) return null;
  const [sent, received] = first;
  return {
    enterToRequestMs: sent - enterAt,
    serverMs: received - sent,
    answerToFrameMs: firstRowsAt === null ? null : firstRowsAt - received,
  };
}

/** Sums the file list's objects.list round trips that started within [from, to]. */
export function pageTimes(
  lists: ReadonlyArray<readonly [number, number, number, 'list' | 'other']>,
  from: number,
  to: number,
): PageTimes {
  const during = lists.filter(([sent]) => sent >= from && sent <= to);
  const inside = during.filter(([, , , who]) => who === 'list').sort((a, b) => a[0] - b[0]);
  const server = inside.map(([sent, received]) => received - sent);
  const page = inside.slice(1).map(([sent], i) => sent - (inside[i]?.[1] ?? sent));
  return {
    requests: inside.length,
    otherRequests: during.length - inside.length,
    serverTotalMs: server.reduce((a, b) => a + b, 0),
    serverMedianMs: median(server),
    pageTotalMs: page.reduce((a, b) => a + b, 0),
    pageMedianMs: median(page),
    slowAnswers: server.filter((ms) => ms >= SLOW_ANSWER_MS).length,
    receivedChars: inside.reduce((sum, [, , chars]) => sum + chars, 0),
  };
}

/** One line of a CPU profile summary. */
export interface ProfileLine {
  what: string;
  selfMs: number;
  share: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

/** Sums self time per function (name, file:line:column) over a CDP CPU profile, largest first. */
export function summarizeProfile(profile: {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}): ProfileLine[] {
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / totalHits;
  const byWhat = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const where = url ? ` ${url.split('/').pop() ?? url}:${lineNumber + 1}:${columnNumber + 1}` : '';
    const what = `${functionName || '(anonymous)'}${where}`;
    byWhat.set(what, (byWhat.get(what) ?? 0) + (node.hitCount ?? 0) * msPerHit);
  }
  const total = [...byWhat.values()].reduce((a, b) => a + b, 0) || 1;
  return [...byWhat.entries()]
    .map(([what, selfMs]) => ({ what, selfMs, share: selfMs / total }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, 20);
}

/** One event of a Chrome trace (the fields used here). */
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** What the renderer's main thread did in a traced scroll pass, by trace event. */
export interface TraceSummary {
  /** Main-thread time by event name (nested events are counted in their own line too), largest first. */
  byName: Array<{ name: string; ms: number }>;
  /** Each task over 50 ms: its length and its largest parts. */
  longTasks: Array<{ ms: number; parts: Array<{ name: string; ms: number }> }>;
}

/**
 * Sums a Chrome trace's complete events on the page renderer's main thread (CrRendererMain)
 * by name, and splits each task over 50 ms (RunTask) into the events inside it: what the CPU
 * profile calls "(program)" (style, layout, paint, garbage collection) by name.
 */
export function summarizeTrace(events: readonly TraceEvent[]): TraceSummary {
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const main = events.filter((e) => e.ph === 'X' && e.dur !== undefined && mains.has(`${e.pid}:${e.tid}`));
  const sum = (list: readonly TraceEvent[]) => {
    const byName = new Map<string, number>();
    for (const e of list) byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    return [...byName.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  };
  const isTask = (e: TraceEvent) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';
  const tasks = main.filter((e) => isTask(e) && (e.dur ?? 0) > 50_000);
  return {
    byName: sum(main.filter((e) => !isTask(e))).slice(0, 15),
    longTasks: tasks.map((task) => ({
      ms: (task.dur ?? 0) / 1000,
      parts: sum(
        main.filter((e) => !isTask(e) && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0)),
      ).slice(0, 6),
    })),
  };
}

/** Summarizes a trace Playwright returns; null when it cannot be read. */
function parseTrace(traced: Buffer): TraceSummary | null {
  try {
    return summarizeTrace((JSON.parse(traced.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
  } catch {
    return null;
  }
}

/**
 * Polls an expression in the page until it is truthy. (Playwright's waitForFunction compiles
 * its predicate with eval, which the app's Content-Security-Policy forbids, rightly.)
 */
async function waitUntil(page: Page, expression: string, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function bench(page: Page): Promise<PageBench> {
  return (await page.evaluate('window.__bench')) as PageBench;
}

async function heapUsed(page: Page): Promise<number | null> {
  return (await page.evaluate(HEAP_USED)) as number | null;
}

/** CPU time (user + system) a process has used so far, in ms; null when it cannot be read. */
function cpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    // Clock ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** CPU time used so far by each kind of Chromium process (browser, renderer, gpu, utility), in ms. */
async function browserCpuMs(browser: Browser): Promise<Record<string, number>> {
  const byType: Record<string, number> = {};
  try {
    const session = await browser.newBrowserCDPSession();
    const info = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: Array<{ type: string; id: number }>;
    };
    await session.detach();
    for (const { type, id } of info.processInfo) {
      const used = cpuMs(id);
      if (used !== null) byType[type] = (byType[type] ?? 0) + used;
    }
  } catch {
    // No figures: the difference is left out.
  }
  return byType;
}

/** CPU time used between two readings, per process kind, in ms. */
function cpuUsedBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([type, ms]) => [type, ms - (before[type] ?? 0)]));
}

/** Peak RSS of the browser's renderer processes, found through CDP (SystemInfo.getProcessInfo). */
async function rendererPeakRss(browser: Browser): Promise<number | null> {
  try {
    const session = await browser.newBrowserCDPSession();
    const info = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: Array<{ type: string; id: number }>;
    };
    await session.detach();
    const peaks = info.processInfo
      .filter((p) => p.type === 'renderer')
      .map((p) => peakRss(p.id))
      .filter((v): v is number => v !== null);
    return peaks.length > 0 ? Math.max(...peaks) : null;
  } catch {
    return null;
  }
}

/**
 * The UI's targets. Issue #4: no task over 200 ms in any phase. Issue #12, while scrolling 100,000
 * rows: a p95 frame interval of at most 34 ms (two frames at 60 Hz) and no task over 50 ms (no
 * long task at all); the first rows at most 300 ms after Enter; everything shown in at most 1.2
 * times the services' own listing time.
 */
export const TARGET = {
  longestTaskMs: 200,
  p95FrameMs: 34,
  scrollLongestTaskMs: 50,
  firstRowsMs: 300,
  allLoadedOverServices: 1.2,
};

/** True when a phase's figures miss {@link TARGET}; `frames` are given for a scroll pass only. */
export function missesTarget(frames: FrameSummary | null, longTasks: LongTaskSummary): boolean {
  const longest = frames === null ? TARGET.longestTaskMs : TARGET.scrollLongestTaskMs;
  return longTasks.longestMs > longest || (frames !== null && (frames.p95Ms ?? 0) > TARGET.p95FrameMs);
}

/** The listing targets of issue #12 for the UI, against the services' own listing of the same folder. */
export function listingVerdict(
  ui: Pick<UiResult, 'firstRowsMs' | 'allLoadedMs'>,
  servicesAllMs: number | null,
): { firstRowsMet: boolean; ratio: number | null; ratioMet: boolean } {
  const ratio = ui.allLoadedMs !== null && servicesAllMs ? ui.allLoadedMs / servicesAllMs : null;
  return {
    firstRowsMet: ui.firstRowsMs !== null && ui.firstRowsMs <= TARGET.firstRowsMs,
    ratio,
    ratioMet: ratio !== null && ratio <= TARGET.allLoadedOverServices,
  };
}

/** Options for {@link runUiBench}. */
export interface UiBenchOptions {
  appDir: string;
  /**
   * The Node binary that runs web mode (the app's main process): Electron's, as the app's main
   * process runs and as the app's other benchmark processes run.
   */
  node: string;
  target: ListingTarget;
  total: number;
  filterText: string;
  expectedFilterCount: number;
  scrollMs: number;
  /** How many top-to-bottom passes to make (the verdict uses the median one). */
  scrollPasses: number;
  /** Where a profiled second scroll pass writes its .cpuprofile. */
  profileTo: string;
  /** When to run that pass: always, never, or when the first pass missed the target. */
  profile: 'always' | 'never' | 'auto';
  log: (line: string) => void;
}

/** The name in the file list's first row. */
async function firstRowNameOf(files: Locator): Promise<string> {
  return (await files.locator('.file-list__body [role="row"][aria-rowindex="2"] .file-cell--name').textContent()) ?? '';
}

/** Runs the UI measurements; the browser and web mode are stopped before it returns (or at cleanup). */
export async function runUiBench(options: UiBenchOptions): Promise<UiResult> {
  const { target, total, log } = options;
  // The status line once the filter is cleared over everything loaded.
  const everyItemShown = `(document.querySelector('main[aria-label="Files"] [role="status"]')?.textContent || '').trim() === ${JSON.stringify(`${total.toLocaleString('en-US')} items`)}`;
  if (!CHROMIUM) throw new Error('Chromium is not installed: apt-get install chromium');
  const loadAtStart = os.loadavg()[0] ?? 0;
  const web = await startWebMode(options.appDir, target, options.node);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  atCleanup('browser', () => browser.close());
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await context.addInitScript({ content: INIT_SCRIPT });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(web.url);

    // Open the bucket from the sidebar, then the folder from the path bar, as a person would.
    const files = page.getByRole('main', { name: 'Files' });
    await page
      .getByRole('navigation', { name: 'Accounts and buckets' })
      .getByRole('treeitem', { name: target.bucket, exact: true })
      .click();
    await files.getByRole('heading', { name: target.bucket }).waitFor();
    const pathField = files.getByLabel('Path');
    await pathField.fill(`s3://${target.bucket}/${target.prefix}`);
    await page.evaluate(watchOpen({ label: `Files in ${target.prefix}`, total }));
    const cpuBefore = { ...(await browserCpuMs(browser)), server: cpuMs(web.pid) ?? 0 };
    log(`  UI: opening s3://${target.bucket}/${target.prefix} from the path bar…`);
    // With --profile, the loading is traced too (which slows it: its times are then not comparable).
    const traceLoading = options.profile === 'always';
    if (traceLoading) await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel', 'v8'] });
    // With BENCH_CPU_PROF, the page's loading leaves a CPU profile there too, beside the server's.
    const profileDir = process.env.BENCH_CPU_PROF;
    const loadingProfiler = profileDir ? await context.newCDPSession(page) : null;
    if (loadingProfiler) {
      await loadingProfiler.send('Profiler.enable');
      await loadingProfiler.send('Profiler.start');
    }
    await pathField.press('Enter');
    await waitUntil(page, 'window.__bench.open.allAt !== null', 240_000, 500);
    if (loadingProfiler && profileDir) {
      const { profile: loadingProfile } = (await loadingProfiler.send('Profiler.stop')) as { profile: unknown };
      const to = path.join(profileDir, `ui-loading-${Date.now()}.cpuprofile`);
      writeFileSync(to, JSON.stringify(loadingProfile));
      log(`  UI: the page's CPU profile while loading: ${to}`);
      await loadingProfiler.detach();
    }
    const loadingCpu = cpuUsedBetween(cpuBefore, { ...(await browserCpuMs(browser)), server: cpuMs(web.pid) ?? 0 });
    const loadingTrace = traceLoading ? parseTrace(await browser.stopTracing()) : null;
    let state = await bench(page);
    const open = state.open;
    if (!open || open.enterAt === null) throw new Error('the Enter key in the path bar was not seen');
    const loadedAt = open.allAt ?? open.enterAt;
    const heapAfterLoad = await heapUsed(page);
    const firstRows = firstRowsTimes(state.lists, open.enterAt, open.firstRowsAt);
    if (firstRows) {
      log(
        `  UI: first rows ${Math.round((open.firstRowsAt ?? open.enterAt) - open.enterAt)} ms after Enter: the request left after ` +
          `${Math.round(firstRows.enterToRequestMs)} ms, its answer took ${Math.round(firstRows.serverMs)} ms, ` +
          `rows were drawn ${firstRows.answerToFrameMs === null ? '–' : Math.round(firstRows.answerToFrameMs)} ms after it ` +
          `(target ≤ ${TARGET.firstRowsMs} ms: ${(open.firstRowsAt ?? Infinity) - open.enterAt <= TARGET.firstRowsMs ? 'met' : 'MISSED'})`,
      );
    }
    log(
      `  UI: CPU time while loading (ms): ${Object.entries(loadingCpu)
        .map(([type, ms]) => `${type} ${Math.round(ms)}`)
        .join(', ')}`,
    );
    log(
      `  UI: all ${total.toLocaleString('en-US')} loaded; scrolling top to bottom in ${options.scrollMs / 1000} s, ${options.scrollPasses} times…`,
    );

    // Let the last page's work settle before scrolling: the list is idle when a person scrolls.
    await page.waitForTimeout(1000);
    const passes: ScrollPass[] = [];
    const scrollCpu: Array<Record<string, number>> = [];
    for (let i = 0; i < options.scrollPasses; i++) {
      const before = await browserCpuMs(browser);
      passes.push(
        (await page.evaluate(scrollPass({ durationMs: options.scrollMs, rowHeight: ROW_HEIGHT }))) as ScrollPass,
      );
      scrollCpu.push(cpuUsedBetween(before, await browserCpuMs(browser)));
      await page.waitForTimeout(500);
    }
    const heapAfterScroll = await heapUsed(page);
    await page.waitForTimeout(300);

    // Typing in the filter box over everything loaded, from the top of the list.
    await page.evaluate(SCROLL_TO_TOP);
    const expectedStatus = `${options.expectedFilterCount.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} items`;
    const filterField = files.getByLabel('Filter this folder');
    await filterField.click();
    await page.evaluate(watchFilter({ expectedStatus, keyCount: options.filterText.length }));
    log(`  UI: typing "${options.filterText}" in the filter box…`);
    // About 8 keys a second, a quick typist.
    await filterField.pressSequentially(options.filterText, { delay: 120 });
    await waitUntil(page, 'window.__bench.filter.shownAt !== null', 60_000, 200);
    const heapAfterFilter = await heapUsed(page);
    const firstRowName = await firstRowNameOf(files);

    state = await bench(page);
    const filter = state.filter;
    const firstKey = filter?.keys[0] ?? null;
    const lastKey = filter?.keys.at(-1) ?? null;
    const shownAt = filter?.shownAt ?? null;
    const keyEvents = state.events.filter(
      ([name, start]) =>
        firstKey !== null && start >= firstKey - 1 && /^(keydown|keypress|keyup|beforeinput|input)$/.test(name),
    );

    const scrollPasses = passes.map((pass, i): ScrollResult => ({
      durationMs: pass.end - pass.start,
      cpuMs: scrollCpu[i] ?? {},
      frames: summarizeFrames(pass.frames),
      longTasks: summarizeLongTasks(state.longTasks, pass.start, pass.end),
      blankFrames: pass.blank,
      reachedLastRow: pass.lastRowIndex === total - 1,
      lastRowName: pass.lastRowName,
    }));
    const byP95 = [...scrollPasses].sort((a, b) => (a.frames.p95Ms ?? 0) - (b.frames.p95Ms ?? 0));
    const scrolling = byP95[Math.floor((byP95.length - 1) / 2)];
    if (!scrolling) throw new Error('no scroll pass was made');

    // Sorting everything loaded by another column and back, as a person clicks the headers.
    await filterField.fill('');
    await waitUntil(page, everyItemShown, 30_000);
    await page.waitForTimeout(300);
    const sorting: SortResult[] = [];
    for (const column of SORT_CLICKS) {
      log(`  UI: sorting by ${column}…`);
      await page.evaluate(watchSort({ label: column, direction: 'ascending' }));
      await files.getByRole('columnheader', { name: column, exact: true }).getByRole('button').click();
      await waitUntil(page, 'window.__bench.sort.shownAt !== null', 60_000, 100);
      const sortState = await bench(page);
      const sort = sortState.sort;
      const clickAt = sort?.clickAt ?? null;
      const sortShownAt = sort?.shownAt ?? null;
      sorting.push({
        column,
        clickToFrameMs: clickAt !== null && sortShownAt !== null ? sortShownAt - clickAt : null,
        // A long task can start a little before the click's timestamp is taken: 5 ms of slack.
        longTasks: summarizeLongTasks(sortState.longTasks, (clickAt ?? 0) - 5, sortShownAt ?? 0),
        firstRowName: await firstRowNameOf(files),
      });
      await page.waitForTimeout(300);
    }

    let profile: ProfileLine[] | null = null;
    let trace: TraceSummary | null = null;
    let profileFile: string | null = null;
    const missed = missesTarget(scrolling.frames, scrolling.longTasks);
    if (options.profile === 'always' || (options.profile === 'auto' && missed)) {
      log('  UI: profiling a second scroll pass…');
      await filterField.fill('');
      await waitUntil(page, everyItemShown, 30_000);
      const cdp: CDPSession = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
      await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel', 'v8'] });
      await page.evaluate(scrollPass({ durationMs: options.scrollMs, rowHeight: ROW_HEIGHT }));
      const traced = await browser.stopTracing();
      const { profile: cpuProfile } = (await cdp.send('Profiler.stop')) as {
        profile: Parameters<typeof summarizeProfile>[0];
      };
      trace = parseTrace(traced);
      writeFileSync(options.profileTo, JSON.stringify(cpuProfile));
      profile = summarizeProfile(cpuProfile);
      profileFile = options.profileTo;
    }

    const heaps = [heapAfterLoad, heapAfterScroll, heapAfterFilter].filter((v): v is number => v !== null);
    const result: UiResult = {
      firstRowsMs: open.firstRowsAt === null ? null : open.firstRowsAt - open.enterAt,
      allLoadedMs: open.allAt === null ? null : open.allAt - open.enterAt,
      firstRows,
      loading: {
        frames: summarizeFrames(open.frames),
        longTasks: summarizeLongTasks(state.longTasks, open.enterAt, loadedAt),
        pages: pageTimes(state.lists, open.enterAt, loadedAt),
        cpuMs: loadingCpu,
      },
      scrollPasses,
      scrolling,
      loadAverage: [loadAtStart, os.loadavg()[0] ?? 0],
      filter: {
        text: options.filterText,
        expectedCount: options.expectedFilterCount,
        afterLastKeyMs: shownAt !== null && lastKey !== null ? shownAt - lastKey : null,
        afterFirstKeyMs: shownAt !== null && firstKey !== null ? shownAt - firstKey : null,
        slowestInputEventMs: keyEvents.length > 0 ? Math.max(...keyEvents.map(([, , duration]) => duration)) : null,
        frames: summarizeFrames(filter?.frames ?? []),
        longTasks: summarizeLongTasks(state.longTasks, firstKey ?? 0, shownAt ?? 0),
        firstRowName,
      },
      sorting,
      memory: {
        jsHeapUsedBytes: heaps.length > 0 ? Math.max(...heaps) : null,
        rendererPeakRssBytes: await rendererPeakRss(browser),
        serverPeakRssBytes: peakRss(web.pid),
      },
      profile,
      trace,
      loadingTrace,
      profileFile,
      longTaskError: state.longTaskError ?? null,
    };
    return result;
  } finally {
    await browser.close();
    await web.stop();
  }
}
