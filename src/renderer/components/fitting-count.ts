import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * How many items of a row fit in `available` pixels, from the left: all of them when they fit
 * together, else as many as fit beside an overflow button `reserve` pixels wide (which then holds
 * the rest). `gap` is the space between neighbours.
 */
export function countThatFits(widths: readonly number[], available: number, reserve: number, gap: number): number {
  const total = widths.reduce((sum, width) => sum + width, 0) + gap * Math.max(0, widths.length - 1);
  if (total <= available) return widths.length;
  let used = reserve;
  for (const [index, width] of widths.entries()) {
    used += width + gap;
    if (used > available) return index;
  }
  return widths.length;
}

/**
 * Keeps `countThatFits` up to date for a row: `rowRef` is the row whose inner width is shared
 * out, `measureRef` a hidden copy of every item (its children, in order, then the overflow button
 * last) laid out with the same styles, so that each is measured as it would show. Measured again
 * whenever the row's width changes, and whenever `contentKey` does (a label that changed).
 */
export function useFittingCount(
  rowRef: RefObject<HTMLElement | null>,
  measureRef: RefObject<HTMLElement | null>,
  contentKey: string,
): number {
  const [count, setCount] = useState(Number.POSITIVE_INFINITY);
  useLayoutEffect(() => {
    const row = rowRef.current;
    const measure = measureRef.current;
    if (!row || !measure) return;
    const update = (): void => {
      const style = getComputedStyle(row);
      const available = row.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const gap = parseFloat(style.columnGap) || 0;
      const children = [...measure.children] as HTMLElement[];
      const more = children.pop();
      const widths = children.map((child) => child.getBoundingClientRect().width);
      setCount(countThatFits(widths, available, (more?.getBoundingClientRect().width ?? 0) + gap, gap));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(row);
    return () => observer.disconnect();
  }, [rowRef, measureRef, contentKey]);
  return count;
}
