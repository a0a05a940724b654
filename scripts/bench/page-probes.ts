/**
 * Code that runs inside the page, as source text: functions passed to page.evaluate from a
 * tsx-compiled module can carry compiler helpers (`__name`) that do not exist in the page.
 * Each probe records times on the page's own clock (performance.now, rAF timestamps, event
 * timeStamps), so the round trips of the automation protocol are not part of any figure.
 */

/**
 * Installed before the app loads: collects long tasks (main-thread tasks over 50 ms,
 * https://w3c.github.io/longtasks/) and slow input events (Event Timing, over 16 ms) into
 * `window.__bench`.
 */
export const INIT_SCRIPT = String.raw`(() => {
  const bench = { longTasks: [], events: [] };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.longTaskError = String(error);
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.events.push([e.name, e.startTime, e.duration]);
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch (error) {
    bench.eventError = String(error);
  }
  // When each objects.list request left and its answer came back over web mode's WebSocket:
  // splits the time between pages into the server's part and the page's own.
  const lists = new Map();
  bench.lists = [];
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const id = /^\{"id":(\d+)/.exec(event.data.slice(0, 24));
        const sent = id ? lists.get(Number(id[1])) : undefined;
        if (sent !== undefined) bench.lists.push([sent[0], performance.now(), event.data.length, sent[1]]);
      });
    }
    send(data) {
      if (typeof data === 'string' && data.length < 2000 && data.includes('"objects.list"')) {
        try {
          const frame = JSON.parse(data);
          // The file list asks with recursive set; the sidebar tree's folder listing leaves it out.
          const who = frame.input && frame.input.recursive === false ? 'list' : 'other';
          lists.set(frame.id, [performance.now(), who]);
        } catch (error) {
          // Not a request frame.
        }
      }
      return super.send(data);
    }
  };
})();`;

/** The page's `window.__bench` as the probes fill it. */
export interface PageBench {
  longTasks: Array<[number, number]>;
  /** objects.list requests: when sent, when answered, answer length (characters), and whether the file list sent it. */
  lists: Array<[number, number, number, 'list' | 'other']>;
  events: Array<[string, number, number]>;
  longTaskError?: string;
  open?: { enterAt: number | null; firstRowsAt: number | null; allAt: number | null; frames: number[] };
  filter?: { keys: number[]; shownAt: number | null; frames: number[] };
  sort?: { clickAt: number | null; shownAt: number | null };
}

/**
 * Watches the opening of a folder from the path bar: the Enter key's timestamp, the first
 * frame whose grid (named "Files in <prefix>") has rows, and the first frame whose status
 * says all `total` items are loaded; with every frame interval in between.
 */
export function watchOpen(args: { label: string; total: number }): string {
  return String.raw`((args) => {
  const open = { enterAt: null, firstRowsAt: null, allAt: null, frames: [] };
  window.__bench.open = open;
  const input = document.querySelector('main[aria-label="Files"] input[aria-label="Path"]');
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && open.enterAt === null) open.enterAt = e.timeStamp;
  }, true);
  const gridSelector = '[role="grid"][aria-label=' + JSON.stringify(args.label) + ']';
  let last = null;
  const tick = (ts) => {
    if (open.enterAt !== null) {
      if (last !== null) open.frames.push(ts - last);
      last = ts;
      const grid = document.querySelector(gridSelector);
      if (open.firstRowsAt === null && grid && grid.querySelector('.file-list__body [role="row"]')) open.firstRowsAt = ts;
      const status = document.querySelector('main[aria-label="Files"] [role="status"]');
      const text = status ? status.textContent || '' : '';
      if (grid && !/loaded/.test(text) && text.replace(/\D/g, '') === String(args.total)) {
        open.allAt = ts;
        return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})(${JSON.stringify(args)})`;
}

/** What one scroll pass saw. */
export interface ScrollPass {
  frames: number[];
  /** Frames whose rows did not cover the visible part of the list after the scroll step. */
  blank: number;
  maxScroll: number;
  start: number;
  end: number;
  /** The highest row index rendered during the pass (total - 1 when it reached the bottom). */
  lastRowIndex: number;
  /** The name in the last row at the end. */
  lastRowName: string;
}

/**
 * Scrolls the file list from top to bottom in `durationMs`: on every animation frame it sets
 * scrollTop to where the time says and dispatches the scroll event at once (as a wheel or
 * scrollbar drag delivers it before the frame is drawn), then checks that the rendered rows
 * cover the viewport. Resolves with the frame intervals and counts.
 */
export function scrollPass(args: { durationMs: number; rowHeight: number }): string {
  return String.raw`(async (args) => {
  const body = document.querySelector('main[aria-label="Files"] .file-list__body');
  const setTop = (top) => {
    body.scrollTop = top;
    body.dispatchEvent(new Event('scroll'));
  };
  setTop(0);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const viewport = body.clientHeight;
  const max = body.scrollHeight - viewport;
  const frames = [];
  let blank = 0;
  let start = null;
  let last = null;
  let lastRowIndex = -1;
  await new Promise((resolve) => {
    const step = (ts) => {
      if (start === null) start = ts;
      else frames.push(ts - last);
      last = ts;
      const progress = Math.min(1, (ts - start) / args.durationMs);
      const top = Math.round(progress * max);
      setTop(top);
      let lo = Infinity;
      let hi = -Infinity;
      for (const row of body.querySelectorAll('[role="row"]')) {
        const index = Number(row.getAttribute('aria-rowindex')) - 2;
        if (index < lo) lo = index;
        if (index > hi) hi = index;
      }
      if (hi > lastRowIndex) lastRowIndex = hi;
      const covered = lo * args.rowHeight <= top && (hi + 1) * args.rowHeight >= Math.min(top + viewport, max + viewport);
      if (!covered) blank += 1;
      if (progress < 1) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  const rows = [...body.querySelectorAll('[role="row"]')];
  rows.sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')));
  const lastRow = rows[rows.length - 1];
  const lastRowName = lastRow ? (lastRow.querySelector('.file-cell--name') || lastRow).textContent || '' : '';
  return { frames, blank, maxScroll: max, start, end: last, lastRowIndex, lastRowName };
})(${JSON.stringify(args)})`;
}

/**
 * Watches typing in "Filter this folder": every keydown's timestamp, and the first frame after
 * the last of `keyCount` keys whose status line reads `expectedStatus` (the filtered count),
 * with the frame intervals meanwhile.
 */
export function watchFilter(args: { expectedStatus: string; keyCount: number }): string {
  return String.raw`((args) => {
  const filter = { keys: [], shownAt: null, frames: [] };
  window.__bench.filter = filter;
  const input = document.querySelector('main[aria-label="Files"] input[aria-label="Filter this folder"]');
  input.addEventListener('keydown', (e) => filter.keys.push(e.timeStamp), true);
  let last = null;
  const tick = (ts) => {
    if (filter.keys.length > 0) {
      if (last !== null) filter.frames.push(ts - last);
      last = ts;
    }
    const status = document.querySelector('main[aria-label="Files"] [role="status"]');
    // Only after the last key: a shorter prefix of the text may match as many names.
    if (filter.keys.length >= args.keyCount && status && (status.textContent || '').trim() === args.expectedStatus) {
      filter.shownAt = ts;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})(${JSON.stringify(args)})`;
}

/**
 * Watches a click on the file list's column header `label`: the click's timestamp, and when the
 * first animation frame after it finds the header saying the list is sorted by that column
 * (`aria-sort`, set in the same render as the sorted rows).
 */
export function watchSort(args: { label: string; direction: 'ascending' | 'descending' }): string {
  return String.raw`((args) => {
  const sort = { clickAt: null, shownAt: null };
  window.__bench.sort = sort;
  const headers = [...document.querySelectorAll('main[aria-label="Files"] [role="columnheader"]')];
  const header = headers.find((h) => (h.textContent || '').trim() === args.label);
  header.addEventListener('click', (e) => {
    if (sort.clickAt === null) sort.clickAt = e.timeStamp;
  }, true);
  const tick = () => {
    // The callback's own time, not the frame's: a frame that began while the click's task
    // still ran has a timestamp from before the task ended.
    if (sort.clickAt !== null && header.getAttribute('aria-sort') === args.direction) {
      sort.shownAt = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})(${JSON.stringify(args)})`;
}

/** Scrolls the file list back to the top and waits for two frames. */
export const SCROLL_TO_TOP = String.raw`(async () => {
  const body = document.querySelector('main[aria-label="Files"] .file-list__body');
  body.scrollTop = 0;
  body.dispatchEvent(new Event('scroll'));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
})()`;

/** The page's JS heap in use, in bytes (Chromium's performance.memory; precise with --enable-precise-memory-info). */
export const HEAP_USED = 'performance.memory ? performance.memory.usedJSHeapSize : null';
