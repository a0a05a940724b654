import { describe, expect, it } from 'vitest';
import { uiVerdict } from './listing-bench';
import { firstRowsTimes, listingVerdict, missesTarget, pageTimes, summarizeTrace, type ScrollResult } from './ui-bench';

const frames = (p95Ms: number) => ({ frames: 300, p50Ms: 17, p95Ms, maxMs: p95Ms });
const tasks = (longestMs: number) => ({ count: longestMs > 0 ? 1 : 0, totalMs: longestMs, longestMs });

describe('the UI targets', () => {
  it('holds a scroll pass to a p95 frame of 34 ms and no task over 50 ms', () => {
    expect(missesTarget(frames(33.4), tasks(0))).toBe(false);
    expect(missesTarget(frames(50), tasks(0))).toBe(true);
    expect(missesTarget(frames(17), tasks(51))).toBe(true);
  });

  it('holds other phases to no task over 200 ms', () => {
    expect(missesTarget(null, tasks(120))).toBe(false);
    expect(missesTarget(null, tasks(201))).toBe(true);
  });

  it('judges the listing by its first rows and its time over the services', () => {
    expect(listingVerdict({ firstRowsMs: 280, allLoadedMs: 4800 }, 4000)).toEqual({
      firstRowsMet: true,
      ratio: 1.2,
      ratioMet: true,
    });
    expect(listingVerdict({ firstRowsMs: 320, allLoadedMs: 5000 }, 4000)).toMatchObject({
      firstRowsMet: false,
      ratioMet: false,
    });
    expect(listingVerdict({ firstRowsMs: null, allLoadedMs: null }, null)).toEqual({
      firstRowsMet: false,
      ratio: null,
      ratioMet: false,
    });
  });
});

describe("the UI's verdict", () => {
  const pass = (p95Ms: number, longestMs: number): ScrollResult => ({
    durationMs: 5000,
    frames: frames(p95Ms),
    longTasks: tasks(longestMs),
    blankFrames: 0,
    reachedLastRow: true,
    lastRowName: 'last',
    cpuMs: {},
  });
  const ui = (scrolling: ScrollResult) => ({
    firstRowsMs: 250,
    allLoadedMs: 6000,
    loading: { frames: frames(17), longTasks: tasks(0), pages: pageTimes([], 0, 0), cpuMs: {} },
    scrolling,
    scrollPasses: [scrolling],
    filter: { longTasks: tasks(0) },
    sorting: [{ longTasks: tasks(0) }, { longTasks: tasks(120) }],
  });

  it("prints issue #12's targets with each figure, and passes only when all are met", () => {
    const verdict = uiVerdict(ui(pass(33, 40)), 5000);
    expect(verdict).toMatch(/^PASS/);
    expect(verdict).toContain('first rows 250 ms after Enter (≤ 300 ms): met');
    expect(verdict).toContain('1.20× the services');
    expect(verdict).toContain('(≤ 1.2×): met');
    expect(verdict).toContain('p95 frame while scrolling 33 ms (≤ 34 ms): met');
    expect(verdict).toContain('(none over 50 ms): met');
    expect(verdict).toContain('filtering –, sorting 120 ms (none over 200 ms): met');
  });

  it('holds a click on a column header to no task over 200 ms', () => {
    const verdict = uiVerdict(
      { ...ui(pass(17, 0)), sorting: [{ longTasks: tasks(0) }, { longTasks: tasks(450) }] },
      5000,
    );
    expect(verdict).toMatch(/^MISSED 1 of 6/);
    expect(verdict).toContain('sorting 450 ms (none over 200 ms): MISSED');
  });

  it('names what was missed: a scroll task over 50 ms, a slow listing', () => {
    const verdict = uiVerdict(ui(pass(17, 60)), 4000);
    expect(verdict).toMatch(/^MISSED 2 of 6/);
    expect(verdict).toContain('longest task while scrolling 60 ms (none over 50 ms): MISSED');
    expect(verdict).toContain('1.50× the services');
  });
});

describe('where the listing time went', () => {
  // [sent, answered, characters, who]
  const lists: Array<[number, number, number, 'list' | 'other']> = [
    [90, 150, 10, 'list'],
    [105, 300, 1000, 'list'],
    [110, 200, 50, 'other'],
    [302, 380, 1000, 'list'],
  ];

  it('splits the first rows into the way to the request, the answer and the drawing', () => {
    expect(firstRowsTimes(lists, 100, 310)).toEqual({ enterToRequestMs: 5, serverMs: 195, answerToFrameMs: 10 });
    expect(firstRowsTimes(lists, 400, null)).toBeNull();
  });

  it("sums the list's round trips and the page's own work between them", () => {
    expect(pageTimes(lists, 100, 400)).toEqual({
      requests: 2,
      otherRequests: 1,
      serverTotalMs: 195 + 78,
      serverMedianMs: (195 + 78) / 2,
      pageTotalMs: 2,
      pageMedianMs: 2,
      slowAnswers: 0,
      receivedChars: 2000,
    });
  });

  it('counts the answers that took 200 ms or more apart (MinIO waiting for its own listing)', () => {
    const slow: typeof lists = [
      [100, 120, 10, 'list'],
      [121, 371, 10, 'list'],
      [372, 572, 10, 'list'],
      [573, 772, 10, 'list'],
    ];
    expect(pageTimes(slow, 100, 800).slowAnswers).toBe(2);
  });
});

describe("the renderer's main thread in a trace", () => {
  it('sums its events by name and splits each task over 50 ms into its parts', () => {
    const main = { pid: 1, tid: 2 };
    const other = { pid: 1, tid: 3 };
    const summary = summarizeTrace([
      { name: 'thread_name', ph: 'M', ts: 0, ...main, args: { name: 'CrRendererMain' } },
      { name: 'thread_name', ph: 'M', ts: 0, ...other, args: { name: 'Compositor' } },
      { name: 'RunTask', ph: 'X', ts: 0, dur: 80_000, ...main },
      { name: 'Layout', ph: 'X', ts: 1000, dur: 30_000, ...main },
      { name: 'Paint', ph: 'X', ts: 40_000, dur: 20_000, ...main },
      { name: 'RunTask', ph: 'X', ts: 100_000, dur: 10_000, ...main },
      { name: 'Paint', ph: 'X', ts: 100_000, dur: 5_000, ...main },
      { name: 'Paint', ph: 'X', ts: 0, dur: 99_000, ...other },
    ]);
    expect(summary.byName).toEqual([
      { name: 'Layout', ms: 30 },
      { name: 'Paint', ms: 25 },
    ]);
    expect(summary.longTasks).toEqual([
      {
        ms: 80,
        parts: [
          { name: 'Layout', ms: 30 },
          { name: 'Paint', ms: 20 },
        ],
      },
    ]);
  });
});
