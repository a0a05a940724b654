import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

/** The rows a list renders: indexes [start, end) of its items. */
export interface RowWindow {
  start: number;
  end: number;
}

/**
 * The rows to render for a scroll position, every row `rowHeight` pixels high: the ones in
 * view and `overscan` more on each side. `start` is always even, so a row's place among its
 * rendered siblings has the parity of its index (zebra stripes by :nth-child stay put).
 */
export function rowWindow(
  scrollTop: number,
  viewportHeight: number,
  count: number,
  rowHeight: number,
  overscan: number,
): RowWindow {
  if (count <= 0) return { start: 0, end: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight));
  const last = Math.max(first, Math.ceil((scrollTop + viewportHeight) / rowHeight));
  const start = Math.min(Math.max(0, first - overscan), Math.max(0, count - 1)) & ~1;
  const end = Math.min(count, last + overscan);
  return { start, end: Math.max(start, end) };
}

/**
 * The most rows {@link rowWindow} gives for a viewport: the rows in view, one cut at each
 * edge, the overscan on both sides and one more for the even start.
 */
export function maxWindowRows(viewportHeight: number, rowHeight: number, overscan: number): number {
  return Math.ceil(viewportHeight / rowHeight) + 2 * overscan + 2;
}

/**
 * {@link rowWindow} made {@link maxWindowRows} long (fewer only at the list's end): a window of
 * one length scrolled by n rows loses n rows and gains n, whose keys ({@link rowSlot}) are then
 * the same n keys.
 */
export function fullRowWindow(
  scrollTop: number,
  viewportHeight: number,
  count: number,
  rowHeight: number,
  overscan: number,
): RowWindow {
  const { start } = rowWindow(scrollTop, viewportHeight, count, rowHeight, overscan);
  return { start, end: Math.min(count, start + maxWindowRows(viewportHeight, rowHeight, overscan)) };
}

/**
 * The key of row `index`'s element: its index modulo {@link maxWindowRows}. No two rows of a
 * window share one, a row keeps its key while it stays in the window, and a row that enters
 * takes the key of the one that left (a window's length apart). Rendered with these keys, a
 * scroll by a few rows moves those rows' elements to the other end with their new text and
 * leaves the others untouched; keyed by their place in the window, every row element changed
 * its text on every step, and keyed by the entry, elements were made and removed.
 */
export function rowSlot(index: number, slots: number): number {
  return index % Math.max(1, slots);
}

/** The scroll position that brings row `index` into view, moving as little as possible; null when it is in view. */
export function scrollTopToShow(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return null;
}

/**
 * Windowing for a list of rows of one fixed height, in place of a general virtualizer: the
 * rows in view follow from the scroll position by arithmetic, with no per-row measuring and
 * no per-row layout reads (a general virtualizer kept measurements of all 100,000 rows, rebuilt
 * on every render). The window is recomputed on every scroll event and rendered at once
 * (flushSync), so a frame never shows the rows of the previous position; a scroll that stays
 * within the same rows renders nothing.
 */
export function useRowWindow(
  scrollRef: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
): { window: RowWindow; scrollToIndex: (index: number) => void; slots: number } {
  const [view, setView] = useState({ scrollTop: 0, height: 0 });

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    let last = { scrollTop: element.scrollTop, height: element.clientHeight };
    setView(last);
    const update = (sync: boolean): void => {
      const next = { scrollTop: element.scrollTop, height: element.clientHeight };
      const before = rowWindow(last.scrollTop, last.height, Number.MAX_SAFE_INTEGER, rowHeight, overscan);
      const after = rowWindow(next.scrollTop, next.height, Number.MAX_SAFE_INTEGER, rowHeight, overscan);
      last = next;
      if (before.start === after.start && before.end === after.end) return;
      if (sync) flushSync(() => setView(next));
      else setView(next);
    };
    const onScroll = (): void => update(true);
    const resize = new ResizeObserver(() => update(false));
    element.addEventListener('scroll', onScroll, { passive: true });
    resize.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [scrollRef, rowHeight, overscan]);

  const scrollToIndex = useCallback(
    (index: number): void => {
      const element = scrollRef.current;
      if (!element || index < 0) return;
      const top = scrollTopToShow(index, element.scrollTop, element.clientHeight, rowHeight);
      if (top !== null) element.scrollTop = top;
    },
    [scrollRef, rowHeight],
  );

  return {
    window: fullRowWindow(view.scrollTop, view.height, count, rowHeight, overscan),
    scrollToIndex,
    slots: maxWindowRows(view.height, rowHeight, overscan),
  };
}
