import { describe, expect, it } from 'vitest';
import type { ListingPhaseResult } from './listing-bench';
import { describeRatio, goalLines, markdownTable, renderSummary, summaryRows, type SummaryRow } from './summary';
import type { CaseResult, Leg, ToolResult, TransferBenchResult } from './transfer-bench';

const MiB = 1024 * 1024;

const leg = (ms: number | null, peakMiB: number | null, failure: string | null = null): Leg => ({
  runs: [{ ms, peakRssBytes: peakMiB === null ? null : peakMiB * MiB, cpuMs: null, systemCpuMs: null, failure }],
  ms: failure ? null : ms,
  peakRssBytes: peakMiB === null ? null : peakMiB * MiB,
  cpuMs: null,
  systemCpuMs: null,
  failure,
});

const tool = (column: ToolResult['column'], up: Leg, down: Leg): ToolResult => ({
  column,
  tool: column,
  settings: null,
  up,
  down,
});

const fileCase = (sizeMiB: number, tools: ToolResult[]): CaseResult => ({
  id: `file-${sizeMiB}`,
  title: sizeMiB >= 1024 ? `${sizeMiB / 1024} GiB file` : `${sizeMiB} MiB file`,
  kind: 'file',
  bytes: sizeMiB * MiB,
  files: 1,
  rounds: 1,
  tools,
  skipped: null,
});

const folderCase = (id: string, files: number, tools: ToolResult[]): CaseResult => ({
  id,
  title: `${files} files`,
  kind: 'folder',
  bytes: files * 32 * 1024,
  files,
  rounds: 1,
  tools,
  skipped: null,
});

const transfers: TransferBenchResult = {
  appDefaults: null,
  files: [
    // 256 MiB: the app 2 s up (128 MiB/s), s5cmd 2.56 s (100 MiB/s); down 1 s against 0.5 s.
    fileCase(256, [
      tool('app', leg(2000, 150), leg(1000, 120)),
      tool('s5cmd', leg(2560, 20), leg(500, 18)),
      tool('rclone', leg(2560, 60), leg(1000, 60, 'downloaded 3 bytes, not 268435456')),
    ]),
    fileCase(5120, [tool('app', leg(40_000, 200), leg(20_000, 260)), tool('s5cmd', leg(40_000, 20), leg(20_000, 20))]),
  ],
  small: folderCase('small', 500, [
    tool('app', leg(1000, 100), leg(2000, 100)),
    tool('s5cmd', leg(500, 30), leg(500, 30)),
  ]),
  // Over a 20 ms round trip: the app 800 ms up and 1,000 down, s5cmd 1,000 ms each way.
  smallDelayed: [
    {
      rttMs: 20,
      result: folderCase('small-rtt-20', 500, [
        tool('app', leg(800, 110), leg(1000, 120)),
        tool('s5cmd', leg(1000, 30), leg(1000, 30)),
      ]),
    },
  ],
  mixed: { ...folderCase('mixed', 5000, []), skipped: 'no room' },
  grid: null,
  totalMs: 0,
};

const listing: ListingPhaseResult = {
  keys: 100_000,
  seedMs: 0,
  buildMs: null,
  rows: [
    {
      column: 'app',
      tool: 'app',
      firstEntriesMs: 200,
      allMs: 4000,
      peakRssBytes: 150 * MiB,
      peakMemory: '',
      entries: 100_000,
      note: '',
      runs: 3,
    },
    {
      column: 's5cmd',
      tool: 's5cmd',
      firstEntriesMs: 250,
      allMs: 5000,
      peakRssBytes: 40 * MiB,
      peakMemory: '',
      entries: 100_000,
      note: '',
      runs: 3,
    },
    {
      column: 'aws-cli',
      tool: 'aws',
      firstEntriesMs: null,
      allMs: null,
      peakRssBytes: null,
      peakMemory: '',
      entries: 0,
      note: 'timed out',
      runs: 3,
    },
    {
      column: 'ui',
      tool: 'UI',
      firstEntriesMs: 600,
      allMs: 10_000,
      peakRssBytes: 140 * MiB,
      peakMemory: '',
      entries: 100_000,
      note: '',
      runs: 1,
    },
  ],
  ui: null,
  uiError: null,
  verdict: null,
  report: [],
};

describe('the summary of issue #12', () => {
  const rows = summaryRows(transfers, listing);
  const byWork = (work: string) => rows.find((row) => row.work === work) as SummaryRow;

  it('has a row for each way of each piece of work, speed first then memory, and skips what did not run', () => {
    expect(rows.map((row) => row.work)).toEqual([
      '256 MiB file up',
      '256 MiB file down',
      '256 MiB file up: peak RSS',
      '256 MiB file down: peak RSS',
      '5 GiB file up',
      '5 GiB file down',
      '5 GiB file up: peak RSS',
      '5 GiB file down: peak RSS',
      '500 small files up',
      '500 small files down',
      '500 small files up: peak RSS',
      '500 small files down: peak RSS',
      '500 small files up, over a 20 ms round trip',
      '500 small files down, over a 20 ms round trip',
      '500 small files up, over a 20 ms round trip: peak RSS',
      '500 small files down, over a 20 ms round trip: peak RSS',
      'list 100,000 keys: first entries',
      'list 100,000 keys: all',
      'list 100,000 keys: peak RSS',
      'list 100,000 keys: all, in the UI (web mode)',
    ]);
    expect(byWork('256 MiB file up').values).toEqual({ app: 128, s5cmd: 100, rclone: 100 });
    expect(byWork('500 small files down').values).toMatchObject({ app: 250, s5cmd: 1000 });
    expect(byWork('500 small files up, over a 20 ms round trip').values).toEqual({ app: 625, s5cmd: 500 });
    expect(byWork('256 MiB file down').failed).toMatchObject({ rclone: true, app: false });
    expect(byWork('list 100,000 keys: all').failed).toMatchObject({ 'aws-cli': true });
  });

  it('puts each peer beside its ratio to s5cmd, and says which way the app goes', () => {
    const table = renderSummary(rows, { s5cmd: 's5cmd v2.3.0' });
    const line = (work: string) => table.split('\n').find((l) => l.startsWith(`| ${work} `)) ?? '';
    expect(table.split('\n')[0]).toMatch(
      /^\| work +\| app \(defaults\) \| s5cmd v2\.3\.0 \| rclone +\| aws-cli +\| app vs s5cmd +\|$/,
    );
    expect(line('256 MiB file up')).toMatch(
      /\| 128 MiB\/s +\| 100 MiB\/s +\| 100 MiB\/s \(1\.00×\) \| – +\| 1\.28× \(faster\) +\|/,
    );
    expect(line('256 MiB file down')).toMatch(/\| FAILED +\|.*\| 0\.50× \(slower\) +\|/);
    expect(line('256 MiB file up: peak RSS')).toMatch(/\| 150 MiB +\| 20 MiB .*\| 7\.50× \(more memory\) +\|/);
    expect(line('list 100,000 keys: all')).toMatch(/\| 4\.00 s +\| 5\.00 s .*\| FAILED +\| 0\.80× \(faster\) +\|/);
    expect(describeRatio(byWork('256 MiB file up'), 1)).toBe('1.00×');
  });

  it('judges the goals: as fast as s5cmd on every speed row, ≤ 250 MB at the largest file, and the growth with size', () => {
    expect(goalLines(rows, transfers)).toEqual([
      'As fast as s5cmd: 7 of 10 rows; behind on 256 MiB file down (0.50×), 500 small files up (0.50×), 500 small files down (0.25×).',
      'Memory at 5 GiB file: the app peaked at 260 MiB (273 MB); target ≤ 250 MB: MISSED.',
      "The app's highest peak RSS in this run: 260 MiB (273 MB), 5 GiB file down.",
      "Memory against file size: the app's peak RSS from 256 MiB file to 5 GiB file: up 150 → 200 MiB (+33%), down 120 → 260 MiB (+117%).",
    ]);
  });

  it('writes Markdown tables with padded columns', () => {
    expect(markdownTable(['a', 'bb'], [['1', '22222']])).toBe(
      ['| a   | bb    |', '| --- | ----- |', '| 1   | 22222 |'].join('\n'),
    );
  });
});
