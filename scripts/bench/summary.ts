/**
 * The one table a reader of `npm run bench` looks at first (issue #12): every piece of work,
 * the app at its defaults beside s5cmd, rclone and the AWS CLI, each as a ratio to s5cmd;
 * and the issue's goals, met or missed. Pure: built from the phases' results, tested alone.
 */
import type { ListingPhaseResult } from './listing-bench';
import { aOrAn, formatRateNumber, perSecond } from './stats';
import type { CaseResult, Leg, ToolColumn, TransferBenchResult } from './transfer-bench';

/** The summary's tool columns, in order; s5cmd is the reference of every ratio. */
export const COLUMNS: readonly ToolColumn[] = ['app', 's5cmd', 'rclone', 'aws-cli'];

/** One row: a piece of work and each tool's figure (null: not measured or failed). */
export interface SummaryRow {
  work: string;
  unit: 'MiB/s' | 'files/s' | 's' | 'ms' | 'MiB';
  /** Whether more is better (a rate) or less (a time, memory). */
  better: 'higher' | 'lower';
  /** Speed rows count toward "as fast as s5cmd"; memory rows do not. */
  speed: boolean;
  values: Partial<Record<ToolColumn, number | null>>;
  /** Tools whose run failed a check (shown as FAILED instead of a figure). */
  failed?: Partial<Record<ToolColumn, boolean>>;
}

const MiB = 1024 * 1024;

/** A figure in its unit, as a person reads it. */
export function formatValue(value: number, unit: SummaryRow['unit']): string {
  switch (unit) {
    case 'MiB/s':
    case 'files/s':
      return `${formatRateNumber(value)} ${unit}`;
    case 's':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} s`;
    case 'ms':
      return `${Math.round(value)} ms`;
    case 'MiB':
      return `${Math.round(value)} MiB`;
  }
}

/** A tool's figure over s5cmd's ("1.25×"), or null when either is missing. */
export function ratioToS5cmd(row: SummaryRow, column: ToolColumn): number | null {
  const value = row.values[column];
  const reference = row.values.s5cmd;
  if (value === null || value === undefined || reference === null || reference === undefined || reference <= 0) {
    return null;
  }
  return value / reference;
}

/** Whether a ratio to s5cmd is at least as good as s5cmd (≥ 1 for rates, ≤ 1 for times and memory). */
export function atLeastAsGood(row: SummaryRow, ratio: number): boolean {
  return row.better === 'higher' ? ratio >= 1 : ratio <= 1;
}

/** The last column: "1.25× (faster)", "0.80× (slower)", "6.1× (more memory)". */
export function describeRatio(row: SummaryRow, ratio: number): string {
  const good = atLeastAsGood(row, ratio);
  const word = row.speed ? (good ? 'faster' : 'slower') : good ? 'less memory' : 'more memory';
  const same = Math.abs(ratio - 1) < 0.005;
  return `${ratio.toFixed(2)}×${same ? '' : ` (${word})`}`;
}

function cell(row: SummaryRow, column: ToolColumn, withRatio: boolean): string {
  if (row.failed?.[column]) return 'FAILED';
  const value = row.values[column];
  if (value === null || value === undefined) return '–';
  const ratio = withRatio ? ratioToS5cmd(row, column) : null;
  return formatValue(value, row.unit) + (ratio === null ? '' : ` (${ratio.toFixed(2)}×)`);
}

/** A Markdown table, columns padded to their widest cell (pasteable into docs/benchmarks.md). */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, i) => Math.max(3, title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The summary table: the app's and the peers' figures (peers with their ratio to s5cmd), and the app's ratio last. */
export function renderSummary(rows: readonly SummaryRow[], names: Partial<Record<ToolColumn, string>>): string {
  return markdownTable(
    [
      'work',
      names.app ?? 'app (defaults)',
      names.s5cmd ?? 's5cmd',
      names.rclone ?? 'rclone',
      names['aws-cli'] ?? 'aws-cli',
      'app vs s5cmd',
    ],
    rows.map((row) => {
      const ratio = row.failed?.app ? null : ratioToS5cmd(row, 'app');
      return [
        row.work,
        cell(row, 'app', false),
        cell(row, 's5cmd', false),
        cell(row, 'rclone', true),
        cell(row, 'aws-cli', true),
        ratio === null ? '–' : describeRatio(row, ratio),
      ];
    }),
  );
}

/** "100,000". */
const count = (n: number) => n.toLocaleString('en-US');

/** The rows of the listing phase: first entries, the whole folder, peak memory (and the UI's whole folder). */
function listingRows(listing: ListingPhaseResult): SummaryRow[] {
  const pick = (get: (row: ListingPhaseResult['rows'][number]) => number | null) => {
    const values: SummaryRow['values'] = {};
    const failed: SummaryRow['failed'] = {};
    for (const row of listing.rows) {
      if (row.column === 'ui') continue;
      values[row.column] = get(row);
      // A note on a listing row is a failure: an error, a time-out, or fewer entries than keys.
      if (row.note !== '') failed[row.column] = true;
    }
    return { values, failed };
  };
  const keys = count(listing.keys);
  const rows: SummaryRow[] = [
    {
      work: `list ${keys} keys: first entries`,
      unit: 'ms',
      better: 'lower',
      speed: true,
      ...pick((row) => row.firstEntriesMs),
    },
    {
      work: `list ${keys} keys: all`,
      unit: 's',
      better: 'lower',
      speed: true,
      ...pick((row) => (row.allMs === null ? null : row.allMs / 1000)),
    },
    {
      work: `list ${keys} keys: peak RSS`,
      unit: 'MiB',
      better: 'lower',
      speed: false,
      ...pick((row) => (row.peakRssBytes === null ? null : row.peakRssBytes / MiB)),
    },
  ];
  const ui = listing.rows.find((row) => row.column === 'ui');
  if (ui && ui.allMs !== null) {
    // The UI against the peers' listings: what a person waits for either way.
    const all = rows[1];
    rows.push({
      work: `list ${keys} keys: all, in the UI (web mode)`,
      unit: 's',
      better: 'lower',
      speed: true,
      values: { ...all?.values, app: ui.allMs / 1000 },
      failed: { ...all?.failed, app: false },
    });
  }
  return rows;
}

/** The rows of one transfer case: up and down (MiB/s for a file, files/s for small files, seconds for the mixed folder), then peak memory each way. */
function caseRows(one: CaseResult, label: string, measure: 'MiB/s' | 'files/s' | 's', after = ''): SummaryRow[] {
  if (one.skipped) return [];
  const rows: SummaryRow[] = [];
  for (const direction of ['up', 'down'] as const) {
    const values: SummaryRow['values'] = {};
    const failed: SummaryRow['failed'] = {};
    const memory: SummaryRow['values'] = {};
    for (const tool of one.tools) {
      if (tool.column === 'grid') continue;
      const leg: Leg = tool[direction];
      values[tool.column] =
        measure === 'MiB/s'
          ? perSecond(one.bytes / MiB, leg.ms)
          : measure === 'files/s'
            ? perSecond(one.files, leg.ms)
            : leg.ms === null
              ? null
              : leg.ms / 1000;
      failed[tool.column] = leg.failure !== null;
      memory[tool.column] = leg.peakRssBytes === null ? null : leg.peakRssBytes / MiB;
    }
    rows.push({
      work: `${label} ${direction}${after}`,
      unit: measure,
      better: measure === 's' ? 'lower' : 'higher',
      speed: true,
      values,
      failed,
    });
    rows.push({
      work: `${label} ${direction}${after}: peak RSS`,
      unit: 'MiB',
      better: 'lower',
      speed: false,
      values: memory,
    });
  }
  // Speed rows first, then memory: up, down, peak up, peak down.
  return [rows[0], rows[2], rows[1], rows[3]].filter((row): row is SummaryRow => row !== undefined);
}

/** Every row of the summary, in the issue's order: files by size, small files, the mixed folder, listing. */
export function summaryRows(transfers: TransferBenchResult | null, listing: ListingPhaseResult | null): SummaryRow[] {
  const rows: SummaryRow[] = [];
  if (transfers) {
    for (const one of transfers.files) rows.push(...caseRows(one, one.title, 'MiB/s'));
    rows.push(...caseRows(transfers.small, `${count(transfers.small.files)} small files`, 'files/s'));
    for (const { rttMs, result } of transfers.smallDelayed) {
      rows.push(
        ...caseRows(
          result,
          `${count(result.files)} small files`,
          'files/s',
          `, over ${aOrAn(rttMs)} ${rttMs} ms round trip`,
        ),
      );
    }
    rows.push(...caseRows(transfers.mixed, `${count(transfers.mixed.files)} files of mixed sizes`, 's'));
  }
  if (listing) rows.push(...listingRows(listing));
  return rows;
}

/** The app's memory target at the largest file (issue #12): 250 MB. */
export const MEMORY_TARGET_BYTES = 250 * 1000 * 1000;

/** The issue's goals, one line each: as fast as s5cmd, memory within target, memory not growing with size. */
export function goalLines(rows: readonly SummaryRow[], transfers: TransferBenchResult | null): string[] {
  const lines: string[] = [];
  const speed = rows.filter((row) => row.speed && !row.work.includes('in the UI'));
  const judged = speed
    .map((row) => ({ row, ratio: row.failed?.app ? null : ratioToS5cmd(row, 'app') }))
    .filter((entry): entry is { row: SummaryRow; ratio: number } => entry.ratio !== null);
  const behind = judged.filter(({ row, ratio }) => !atLeastAsGood(row, ratio));
  const appFailed = rows.filter((row) => row.failed?.app).map((row) => row.work);
  lines.push(
    `As fast as s5cmd: ${judged.length - behind.length} of ${judged.length} rows` +
      (behind.length === 0
        ? ' (all met).'
        : `; behind on ${behind.map(({ row, ratio }) => `${row.work} (${ratio.toFixed(2)}×)`).join(', ')}.`) +
      (appFailed.length > 0 ? ` The app FAILED: ${appFailed.join(', ')}.` : ''),
  );
  const files = (transfers?.files ?? []).filter((one) => !one.skipped);
  const appLeg = (one: CaseResult, direction: 'up' | 'down') =>
    one.tools.find((tool) => tool.column === 'app')?.[direction].peakRssBytes ?? null;
  const largest = files.at(-1);
  if (largest) {
    const peaks = [appLeg(largest, 'up'), appLeg(largest, 'down')].filter((v): v is number => v !== null);
    const peak = peaks.length > 0 ? Math.max(...peaks) : null;
    lines.push(
      peak === null
        ? `Memory at ${largest.title}: not measured.`
        : `Memory at ${largest.title}: the app peaked at ${Math.round(peak / MiB)} MiB (${Math.round(peak / 1e6)} MB); ` +
            `target ≤ 250 MB: ${peak <= MEMORY_TARGET_BYTES ? 'met' : 'MISSED'}.`,
    );
  }
  const memoryRows = rows.filter((row) => !row.speed && typeof row.values.app === 'number');
  const highest = memoryRows.reduce<SummaryRow | null>(
    (best, row) => (best === null || (row.values.app ?? 0) > (best.values.app ?? 0) ? row : best),
    null,
  );
  if (highest) {
    const mib = highest.values.app ?? 0;
    lines.push(
      `The app's highest peak RSS in this run: ${Math.round(mib)} MiB (${Math.round((mib * MiB) / 1e6)} MB), ${highest.work.replace(/: peak RSS$/, '')}.`,
    );
  }
  const smallest = files[0];
  if (smallest && largest && smallest !== largest) {
    const growth = (direction: 'up' | 'down') => {
      const from = appLeg(smallest, direction);
      const to = appLeg(largest, direction);
      if (from === null || to === null) return `${direction} not measured`;
      return `${direction} ${Math.round(from / MiB)} → ${Math.round(to / MiB)} MiB (${to >= from ? '+' : ''}${Math.round((to / from - 1) * 100)}%)`;
    };
    lines.push(
      `Memory against file size: the app's peak RSS from ${smallest.title} to ${largest.title}: ${growth('up')}, ${growth('down')}.`,
    );
  }
  return lines;
}
