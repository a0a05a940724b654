import { describe, expect, it } from 'vitest';
import { commandLine, FULL_SIZES_MIB, parseOptions } from './options';

describe('the benchmark options', () => {
  it('runs everything of issue #12 by default: three file sizes, 500 small files, 5,000 mixed, 100,000 keys, the UI', () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({
      quick: false,
      keys: 100_000,
      rounds: 3,
      bigRounds: 3,
      sizesMiB: FULL_SIZES_MIB,
      smallFiles: 500,
      mixed: { small: 4900, medium: 95, large: 5 },
      grid: false,
      ui: true,
      listing: true,
      transfers: true,
      tls: false,
      rttsMs: [20, 80],
    });
  });

  it('makes --quick small: one round, a 64 MiB file, fewer files and keys, one short scroll pass', () => {
    expect(parseOptions(['--quick'])).toMatchObject({
      keys: 5_000,
      rounds: 1,
      sizesMiB: [64],
      smallFiles: 100,
      mixed: { small: 244, medium: 5, large: 1 },
      ui: true,
      scrollMs: 2000,
      scrollPasses: 1,
    });
    expect(parseOptions(['--quick', '--no-ui']).ui).toBe(false);
    expect(parseOptions(['--quick', '--keys', '2000', '--sizes', '32']).keys).toBe(2000);
  });

  it('reads sizes (sorted, once each), phases and the grid', () => {
    expect(parseOptions(['--sizes', '1024, 256,256']).sizesMiB).toEqual([256, 1024]);
    expect(parseOptions(['--only', 'transfers'])).toMatchObject({ listing: false, transfers: true });
    expect(parseOptions(['--no-listing'])).toMatchObject({ listing: false, transfers: true });
    expect(parseOptions(['--grid']).grid).toBe(true);
    expect(parseOptions(['--quick', '--tls']).tls).toBe(true);
  });

  it('runs the small files over a 20 and an 80 ms round trip too, unless told others or --no-rtt', () => {
    expect(parseOptions(['--quick']).rttsMs).toEqual([20, 80]);
    expect(parseOptions(['--rtt-ms', '150, 40,40']).rttsMs).toEqual([40, 150]);
    expect(parseOptions(['--no-rtt']).rttsMs).toEqual([]);
    expect(() => parseOptions(['--rtt-ms', '0'])).toThrow(/round trips in ms/);
  });

  it('refuses what it does not know, and values that are not positive whole numbers', () => {
    expect(() => parseOptions(['--transfer-mib', '64'])).toThrow(/unknown option --transfer-mib/);
    expect(() => parseOptions(['--rounds', '0'])).toThrow(/positive whole number/);
    expect(() => parseOptions(['--rounds'])).toThrow(/needs a value/);
    expect(() => parseOptions(['--sizes', '64,x'])).toThrow(/sizes in MiB/);
    expect(() => parseOptions(['--only', 'ui'])).toThrow(/listing" or "transfers/);
  });

  it('prints the command as typed', () => {
    expect(commandLine([])).toBe('npm run bench');
    expect(commandLine(['--quick', '--sizes', '64,128'])).toBe('npm run bench -- --quick --sizes 64,128');
  });
});
