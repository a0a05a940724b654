import { describe, expect, it } from 'vitest';
import { fullRowWindow, maxWindowRows, rowSlot, rowWindow, scrollTopToShow } from './use-row-window';

describe('rowWindow', () => {
  it('covers the rows in view and the overscan on each side', () => {
    // 26 px rows, 260 px in view from 2,600 px: rows 100 to 109 in view.
    expect(rowWindow(2600, 260, 100_000, 26, 4)).toEqual({ start: 96, end: 114 });
  });

  it('starts on an even row, so zebra stripes do not move while scrolling', () => {
    const window = rowWindow(26 * 101, 260, 100_000, 26, 4);
    expect(window.start % 2).toBe(0);
    expect(window.start).toBeLessThanOrEqual(101);
  });

  it('stays within the list at both ends', () => {
    expect(rowWindow(0, 260, 100_000, 26, 4)).toEqual({ start: 0, end: 14 });
    expect(rowWindow(26 * 99_990, 260, 100_000, 26, 4)).toEqual({ start: 99_986, end: 100_000 });
    expect(rowWindow(0, 260, 3, 26, 4)).toEqual({ start: 0, end: 3 });
    expect(rowWindow(0, 260, 0, 26, 4)).toEqual({ start: 0, end: 0 });
  });

  it('renders the last rows when the list shrank under a scroll position not yet clamped', () => {
    const window = rowWindow(26 * 5000, 260, 10, 26, 4);
    expect(window.start).toBeLessThan(10);
    expect(window.end).toBe(10);
  });
});

describe('scrollTopToShow', () => {
  it('scrolls as little as possible, and not at all for a row in view', () => {
    expect(scrollTopToShow(10, 0, 260, 26)).toBe(26);
    expect(scrollTopToShow(5, 260, 260, 26)).toBe(130);
    expect(scrollTopToShow(12, 260, 260, 26)).toBeNull();
  });
});

describe('rowSlot', () => {
  const keysOf = (start: number, end: number, slots: number) =>
    Array.from({ length: end - start }, (_, i) => rowSlot(start + i, slots));

  it('never gives two rows of a window one key, wherever the window is', () => {
    for (const height of [0, 100, 260, 777, 1600]) {
      const slots = maxWindowRows(height, 26, 4);
      for (let top = 0; top < 26 * 300; top += 7) {
        const { start, end } = fullRowWindow(top, height, 100_000, 26, 4);
        const inner = rowWindow(top, height, 100_000, 26, 4);
        // It covers what rowWindow covers.
        expect(start).toBe(inner.start);
        expect(end).toBeGreaterThanOrEqual(inner.end);
        expect(end - start).toBeLessThanOrEqual(slots);
        expect(new Set(keysOf(start, end, slots)).size).toBe(end - start);
      }
    }
  });

  it('keeps the keys of the rows that stay, and gives the entering rows those of the rows that left', () => {
    const slots = maxWindowRows(260, 26, 4);
    const before = fullRowWindow(2600, 260, 100_000, 26, 4);
    const after = fullRowWindow(2600 + 26 * 4, 260, 100_000, 26, 4);
    const old = new Map(keysOf(before.start, before.end, slots).map((key, i) => [before.start + i, key]));
    const leftKeys = [...old].filter(([index]) => index < after.start).map(([, key]) => key);
    const entered = keysOf(before.end, after.end, slots);
    for (let index = after.start; index < before.end; index++) expect(rowSlot(index, slots)).toBe(old.get(index));
    // Every key of a row that entered was a key of a row that left: its element is reused.
    expect(entered.every((key) => leftKeys.includes(key))).toBe(true);
  });
});
