import { describe, expect, it } from 'vitest';
import {
  aOrAn,
  formatMiB,
  formatMs,
  formatRateNumber,
  median,
  percentile,
  renderTable,
  summarizeFrames,
  summarizeLongTasks,
} from './stats';

describe('benchmark figures', () => {
  it('says "an 80 ms" and "a 20 ms"', () => {
    expect([8, 11, 18, 20, 80, 100, 110, 800, 11_000, 1_800].map(aOrAn)).toEqual([
      'an',
      'an',
      'an',
      'a',
      'an',
      'a',
      'a',
      'an',
      'an',
      'a',
    ]);
  });

  it('takes percentiles by nearest rank and medians', () => {
    const values = [16.7, 16.6, 33.3, 16.7, 100, 16.8, 16.6, 16.7, 16.7, 50];
    expect(percentile(values, 50)).toBe(16.7);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile([], 50)).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('sums frames and the long tasks inside a window', () => {
    expect(summarizeFrames([16, 17, 33])).toEqual({ frames: 3, p50Ms: 17, p95Ms: 33, maxMs: 33 });
    const tasks: Array<[number, number]> = [
      [10, 60],
      [500, 250],
      [900, 70],
      [2000, 80],
    ];
    expect(summarizeLongTasks(tasks, 400, 1000)).toEqual({ count: 2, totalMs: 320, longestMs: 250 });
    expect(summarizeLongTasks(tasks, 3000, 4000)).toEqual({ count: 0, totalMs: 0, longestMs: 0 });
  });

  it('formats times, sizes and tables for people', () => {
    expect(formatMs(840.4)).toBe('840 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(23_400)).toBe('23.4 s');
    expect(formatMs(null)).toBe('–');
    // Two significant digits, whole from 99.5 up: 99.97 MiB/s once printed as "1.0e+2".
    expect([9.04, 71.2, 99.4, 99.5, 99.97, 1234.5].map(formatRateNumber)).toEqual([
      '9.0',
      '71',
      '99',
      '100',
      '100',
      '1235',
    ]);
    expect(formatMiB(180 * 1024 ** 2)).toBe('180 MiB');
    expect(
      renderTable(
        ['tool', 'all'],
        [
          ['s5cmd', '6.5 s'],
          ['aws-cli 2.9.19', '17 s'],
        ],
      ),
    ).toBe(
      ['tool           | all', '---------------|------', 's5cmd          | 6.5 s', 'aws-cli 2.9.19 | 17 s'].join('\n'),
    );
  });
});
