/** Small numeric and text helpers for the benchmark's figures and tables. */

/** The p-th percentile (0–100) by nearest rank; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

/** The median (the mean of the middle two for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Frame intervals summed up: how many, and their p50, p95 and max in ms. */
export interface FrameSummary {
  frames: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** Summarizes requestAnimationFrame intervals (ms between consecutive frames). */
export function summarizeFrames(intervals: readonly number[]): FrameSummary {
  return {
    frames: intervals.length,
    p50Ms: percentile(intervals, 50),
    p95Ms: percentile(intervals, 95),
    maxMs: intervals.length === 0 ? null : Math.max(...intervals),
  };
}

/** Long tasks (start, duration in ms) summed up: how many, their total time and the longest. */
export interface LongTaskSummary {
  count: number;
  totalMs: number;
  longestMs: number;
}

/** Summarizes the long tasks that started within [from, to] (ms on the page's clock). */
export function summarizeLongTasks(tasks: ReadonlyArray<readonly [number, number]>, from: number, to: number) {
  const inside = tasks.filter(([start]) => start >= from && start <= to);
  const summary: LongTaskSummary = {
    count: inside.length,
    totalMs: inside.reduce((sum, [, duration]) => sum + duration, 0),
    longestMs: inside.reduce((max, [, duration]) => Math.max(max, duration), 0),
  };
  return summary;
}

/** An amount (MiB, files) per second over `ms` milliseconds; null when the time is unknown. */
export function perSecond(amount: number, ms: number | null): number | null {
  return ms === null || ms <= 0 ? null : amount / (ms / 1000);
}

/** A rate with two significant digits ("71", "9.0"), whole from 99.5 up ("100", never "1.0e+2"). */
export function formatRateNumber(value: number): string {
  return value >= 99.5 ? value.toFixed(0) : value.toPrecision(2);
}

/** Milliseconds as a person reads them: "840 ms", "12.3 s"; "–" for none. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Bytes in MiB, "123 MiB"; "–" for none. */
export function formatMiB(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** A plain-text table: a header row, a rule, and rows, columns padded to their widest cell. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/**
 * A listing page's answer this slow is MinIO waiting for its own listing (a reader that catches
 * up with the walk that fills its listing cache sleeps 250 ms), not the app: counted apart.
 */
export const SLOW_ANSWER_MS = 200;

/** "a" or "an" before a number said aloud: an 8, an 80, an 11, an 18 (and their thousands). */
export function aOrAn(value: number): 'a' | 'an' {
  const digits = String(value);
  const leading = digits.length % 3 === 2 ? digits.slice(0, 2) : digits.slice(0, 1);
  return digits.startsWith('8') || leading === '11' || leading === '18' ? 'an' : 'a';
}
