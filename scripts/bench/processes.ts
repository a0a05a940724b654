/**
 * The benchmark's child processes: each one it starts is remembered by pid and stopped when
 * the benchmark ends, however it ends (a failure, Ctrl+C, an uncaught error). Only those pids
 * (and the process groups they lead) are signalled, never processes found by name.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Work to undo at the end, newest first. */
const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];
/** Process groups this benchmark leads: killed synchronously if the process exits abruptly. */
const groups = new Set<number>();

/** Registers an undo step (a server to stop, a folder to delete) to run at the end, newest first. */
export function atCleanup(name: string, run: () => Promise<void> | void): void {
  cleanups.push({ name, run });
}

/** Runs every undo step once; errors are reported and do not stop the others. */
export async function cleanupAll(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    if (!step) break;
    try {
      await step.run();
    } catch (error) {
      console.error(`cleanup "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Kills a process group this benchmark started (negative pid: the whole group, grandchildren too). */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
  groups.delete(pid);
}

/**
 * Kills every process group the benchmark started and has not seen exit (the tool being
 * measured, web mode). On Ctrl+C this comes before the undo steps: a peer tool still running
 * when MinIO stops would retry against it for half a minute before the benchmark could end.
 */
export function stopTrackedProcesses(): void {
  for (const pid of [...groups]) killGroup(pid);
}

process.on('exit', () => {
  // Last resort: 'exit' handlers must be synchronous, so no graceful stop here.
  stopTrackedProcesses();
});

/**
 * Spawns a command as the leader of a new process group, so that it and anything it starts
 * can be stopped together by its pid; the group is killed when the benchmark exits.
 */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    groups.add(pid);
    child.once('exit', () => groups.delete(pid));
  }
  return child;
}

/** Waits for a child to exit, killing its group after `timeoutMs`; resolves with its exit code (null when killed). */
export function waitForExit(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, timedOut: false });
      return;
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killGroup(child.pid);
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut });
    });
  });
}

/** Runs a command to its end and returns its output (for builds and version probes). */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  let child: ChildProcess;
  try {
    child = spawnTracked(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return { code: null, output: error instanceof Error ? error.message : String(error), timedOut: false };
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const spawnFailed = new Promise<{ code: null; timedOut: false }>((resolve) =>
    child.once('error', (error) => {
      output += error.message;
      resolve({ code: null, timedOut: false });
    }),
  );
  const result = await Promise.race([waitForExit(child, options.timeoutMs ?? 120_000), spawnFailed]);
  return { ...result, output };
}

/** Runs a probe script's `main` (node-floor.ts, range-read-floor.ts): its error printed (exit code 1), what it started cleaned up at its end or on Ctrl-C. */
export function runProbe(main: () => Promise<void>): void {
  process.once('SIGINT', () => {
    stopTrackedProcesses();
    void cleanupAll().finally(() => process.exit(130));
  });
  main()
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    .finally(() => cleanupAll());
}
