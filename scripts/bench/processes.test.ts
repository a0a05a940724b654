import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnTracked, stopTrackedProcesses, waitForExit } from './processes';

/** Whether a process still exists (a zombie not yet reaped counts as gone: it cannot run). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const settle = async (check: () => boolean) => {
  for (let i = 0; i < 100 && check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe("the benchmark's child processes", () => {
  it('are stopped at once with what they started, and nothing else is, when the benchmark stops', async () => {
    // A tool that starts a process of its own (as aws-cli and the app's children do).
    const tool = spawnTracked('bash', ['-c', 'sleep 60 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = await new Promise<number>((resolve) =>
      tool.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
    );
    // A process the benchmark did not start through spawnTracked.
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      expect(running(grandchild)).toBe(true);
      const started = Date.now();
      stopTrackedProcesses();
      const { code } = await waitForExit(tool, 5_000);
      expect(code).toBeNull();
      expect(Date.now() - started).toBeLessThan(2_000);
      await settle(() => running(grandchild));
      expect(running(grandchild)).toBe(false);
      expect(other.pid !== undefined && running(other.pid)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
