/** Runs kill-loop-child.ts in a process of its own, and reads its JSON lines as they come. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { KillLoopChildRequest } from './kill-loop-child';

const childScript = fileURLToPath(new URL('./kill-loop-child.ts', import.meta.url));

/** Starts one run of the child: its lines as they come, and its end. */
export function startChild(request: KillLoopChildRequest) {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(request)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve(signal ?? code);
    }),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    child,
    lines,
    exited,
    /** Resolves with the first line of this event, or rejects when the child exits first or time runs out. */
    async line(event: string, timeoutMs: number): Promise<Record<string, unknown>> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find((line) => line.event === event);
        if (found) return found;
        const error = lines.find((line) => line.event === 'error');
        if (error) throw new Error(`the child failed: ${String(error.message)}`);
        if (gone) throw new Error(`the child exited before "${event}"`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${event}" from the child`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

/** One run of the child. */
export type ChildRun = ReturnType<typeof startChild>;
