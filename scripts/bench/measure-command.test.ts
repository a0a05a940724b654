import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureCommand } from './measure-command';

const python = ['/usr/bin/python3', '/usr/local/bin/python3'].some((p) => existsSync(p));
if (!python) console.warn('SKIPPED: measure-command.test.ts needs python3 to read a child process rusage');

describe.skipIf(!python)('measuring a command', () => {
  it("tells the kernel's part of the CPU time: a loop of system calls shows it, a loop of arithmetic hardly any", async () => {
    // /dev/zero read 1 MiB at a time for 400 ms: the time is the kernel's (clearing the buffer).
    // 4 KiB reads were mostly the JavaScript loop's own time: 92-115 ms of the kernel's in 540.
    const calls = await measureCommand(process.execPath, [
      '-e',
      "const fs = require('node:fs'); const fd = fs.openSync('/dev/zero', 'r'); const b = Buffer.alloc(1 << 20); const end = Date.now() + 400; while (Date.now() < end) fs.readSync(fd, b, 0, b.length, null);",
    ]);
    const arithmetic = await measureCommand(process.execPath, [
      '-e',
      'let x = 0; const end = Date.now() + 400; while (Date.now() < end) for (let i = 0; i < 1e5; i++) x += i % 7;',
    ]);
    expect(calls.exitCode).toBe(0);
    expect(arithmetic.exitCode).toBe(0);
    // Shares, not absolute times: a loaded machine gives the loop less of its 400 ms.
    expect(calls.systemCpuMs).toBeGreaterThanOrEqual(50);
    expect(calls.systemCpuMs!).toBeGreaterThan(calls.cpuMs! / 3);
    expect(calls.systemCpuMs!).toBeLessThanOrEqual(calls.cpuMs!);
    // Node's start-up makes some system calls; the loop none.
    expect(arithmetic.systemCpuMs!).toBeLessThan(arithmetic.cpuMs! / 3);
  }, 30_000);

  it('reads its CPU time and peak memory: a busy process shows its CPU, a sleeping one none', async () => {
    const busy = await measureCommand(process.execPath, [
      '-e',
      'const end = Date.now() + 400; const keep = Buffer.alloc(64 * 1024 * 1024, 1); while (Date.now() < end);',
    ]);
    const sleeping = await measureCommand(process.execPath, ['-e', 'setTimeout(() => {}, 400)']);
    expect(busy.exitCode).toBe(0);
    expect(busy.cpuMs).toBeGreaterThanOrEqual(300);
    expect(busy.peakRssBytes).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(sleeping.exitCode).toBe(0);
    expect(sleeping.totalMs).toBeGreaterThanOrEqual(400);
    // Node's own start-up only.
    expect(sleeping.cpuMs).toBeLessThan(250);
  }, 30_000);
});
