import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AddressInUseError,
  freePorts,
  OutputTail,
  retryOnAddressInUse,
  stopperFor,
  superviseStart,
  waitForExit,
} from './launcher';

/** A Node child running `code`, with its output collected. */
function nodeChild(code: string) {
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new OutputTail();
  child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
  return { child, tail };
}

/**
 * True while `pid` runs. A killed orphan stays a zombie until PID 1 reaps it (some container
 * inits never do), and signal 0 still reaches a zombie, so Linux's /proc state is read first.
 */
function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('freePorts', () => {
  it('picks distinct ports', async () => {
    const ports = await freePorts(8);
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});

describe('retryOnAddressInUse', () => {
  it('tries again after a taken port, up to the limit', async () => {
    let calls = 0;
    await expect(
      retryOnAddressInUse(async () => {
        calls++;
        if (calls < 3) throw new AddressInUseError('taken');
        return 'up';
      }),
    ).resolves.toBe('up');
    expect(calls).toBe(3);

    calls = 0;
    const alwaysTaken = retryOnAddressInUse(async () => {
      calls++;
      throw new AddressInUseError('taken');
    }, 2);
    await expect(alwaysTaken).rejects.toBeInstanceOf(AddressInUseError);
    expect(calls).toBe(2);
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    const failing = retryOnAddressInUse(async () => {
      calls++;
      throw new Error('broken');
    });
    await expect(failing).rejects.toThrow('broken');
    expect(calls).toBe(1);
  });
});

describe('superviseStart', () => {
  it('reports a server that died on a taken port as AddressInUseError', async () => {
    const { child, tail } = nodeChild(
      'console.error("listen tcp 127.0.0.1:9000: bind: address already in use"); process.exit(1)',
    );
    const start = superviseStart({ label: 'test', child, tail, isReady: async () => false, timeoutMs: 10_000 });
    await expect(start).rejects.toBeInstanceOf(AddressInUseError);
  });

  it('kills a server that never answers', async () => {
    const { child, tail } = nodeChild('setInterval(() => {}, 1000)');
    const start = superviseStart({ label: 'test', child, tail, isReady: async () => false, timeoutMs: 300 });
    await expect(start).rejects.toThrow(/did not answer/);
    expect(child.signalCode).toBe('SIGKILL');
  });
});

describe('stopperFor', () => {
  it('stops the child by its pid and removes its leftovers, once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 's3fm-launcher-test-'));
    const { child } = nodeChild('setInterval(() => {}, 1000)');
    const stop = stopperFor(child, [dir]);
    expect(stop()).toBe(stop());
    await stop();
    expect(child.signalCode).toBe('SIGTERM');
    expect(existsSync(dir)).toBe(false);
  });

  it('kills the child when the parent exits without stopping it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 's3fm-launcher-test-'));
    const launcher = pathToFileURL(path.join(import.meta.dirname, 'launcher.ts')).href;
    // A parent that starts a long-running child, prints its pid, and exits at once.
    const parent = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { spawn } from 'node:child_process';
         const { stopperFor } = await import(${JSON.stringify(launcher)});
         const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
         stopperFor(child, [${JSON.stringify(dir)}]);
         console.log(child.pid);
         process.exit(0);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForExit(parent, 20_000);
    const pid = Number(output.trim());
    expect(pid).toBeGreaterThan(0);
    expect(existsSync(dir)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isRunning(pid)).toBe(false);
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const { child } = nodeChild('process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)');
    // Wait until the child has installed its SIGTERM handler.
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await stopperFor(child, [], 200)();
    expect(child.signalCode).toBe('SIGKILL');
    expect(await waitForExit(child, 0)).toBe(true);
  });
});
