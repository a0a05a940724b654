/**
 * Runs a listing command and measures what a person waits for: the time until its first
 * output (the first entries on screen), the time until it ends, how many lines it printed,
 * and its peak resident memory.
 *
 * Node cannot read a child's rusage, so the command runs under a few lines of Python that
 * wait for it and print `getrusage(RUSAGE_CHILDREN)`'s ru_maxrss (the largest peak RSS of the
 * waited-for processes, in KiB on Linux) and CPU time (ru_utime + ru_stime, and ru_stime alone)
 * to an extra pipe.
 * Without python3 both are unknown.
 */
import { existsSync } from 'node:fs';
import { spawnTracked, waitForExit } from './processes';

/** What one run of a command showed. */
export interface CommandMeasurement {
  /** Milliseconds from spawn to the first byte on stdout; null if it printed nothing. */
  firstOutputMs: number | null;
  /** Milliseconds from spawn to exit. */
  totalMs: number;
  /** Lines printed on stdout. */
  lines: number;
  /** Peak resident set size in bytes; null when it could not be measured. */
  peakRssBytes: number | null;
  /** CPU time (user and system, all threads) in milliseconds; null when it could not be measured. */
  cpuMs: number | null;
  /** The system (kernel) part of cpuMs: files written, bytes moved through sockets, memory mapped. */
  systemCpuMs: number | null;
  exitCode: number | null;
  timedOut: boolean;
  /** The last lines of stderr, for a failure. */
  stderrTail: string;
  /** The last stdout line (for children that report JSON). */
  lastLine: string;
}

const WRAPPER = [
  'import os, resource, subprocess, sys',
  'code = subprocess.call(sys.argv[1:])',
  'usage = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'cpu = round((usage.ru_utime + usage.ru_stime) * 1000)',
  'os.write(3, ("%d %d %d %d\\n" % (code, usage.ru_maxrss, cpu, round(usage.ru_stime * 1000))).encode())',
  'sys.exit(code)',
].join('\n');

const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));

/** Runs `command args` with `env` (added to this process's), measuring it; kills it after `timeoutMs`. */
export async function measureCommand(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<CommandMeasurement> {
  const [file, argv] = python ? [python, ['-c', WRAPPER, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawnTracked(file, argv, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let firstOutputMs: number | null = null;
  let lines = 0;
  let partial = '';
  let lastLine = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    firstOutputMs ??= performance.now() - started;
    // Count lines without keeping 100,000 of them; keep only the last one.
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines += parts.length;
    const last = parts.at(-1);
    if (last !== undefined && last.trim() !== '') lastLine = last;
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  let report = '';
  const reportPipe = child.stdio[3];
  if (reportPipe && 'on' in reportPipe) reportPipe.on('data', (chunk: Buffer) => (report += chunk.toString()));
  const { code, timedOut } = await waitForExit(child, options.timeoutMs ?? 180_000);
  const totalMs = performance.now() - started;
  // Let the pipes drain: 'exit' can come before the last 'data'.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (partial.trim() !== '') {
    lines += 1;
    lastLine = partial;
  }
  const reported = /^(-?\d+) (\d+) (\d+) (\d+)/.exec(report);
  return {
    firstOutputMs,
    totalMs,
    lines,
    peakRssBytes: reported ? Number(reported[2]) * 1024 : null,
    cpuMs: reported ? Number(reported[3]) : null,
    systemCpuMs: reported ? Number(reported[4]) : null,
    exitCode: reported ? Number(reported[1]) : code,
    timedOut,
    stderrTail: stderr.split('\n').slice(-8).join('\n').trim(),
    lastLine,
  };
}
