import { describe, expect, it } from 'vitest';
import { firstRowsTimes, listingVerdict, missesTarget, pageTimes } from './ui-bench';

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
      receivedChars: 2000,
    });
  });
});
