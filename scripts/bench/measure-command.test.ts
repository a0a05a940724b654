import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureCommand } from './measure-command';

const python = ['/usr/bin/python3', '/usr/local/bin/python3'].some((p) => existsSync(p));
if (!python) console.warn('SKIPPED: measure-command.test.ts needs python3 to read a child process rusage');

describe.skipIf(!python)('measuring a command', () => {
  it("tells the kernel's part of the CPU time: a loop of system calls shows it, a loop of arithmetic hardly any", async () => {
    // /dev/zero read 1 MiB at a time until the process has had 400 ms of CPU: the time is the
    // kernel's (clearing the buffer). 4 KiB reads were mostly the JavaScript loop's own time (the CI
    // machine's: 92 ms of the kernel's), and a loop timed by the clock gets less CPU when the
    // machine is busy, so each loop counts its own CPU time.
    const calls = await measureCommand(process.execPath, [
      '-e',
      "const fs = require('node:fs'); const fd = fs.openSync('/dev/zero', 'r'); const b = Buffer.alloc(1 << 20); const spent = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (spent() < 400) fs.readSync(fd, b, 0, b.length, null);",
    ]);
    const arithmetic = await measureCommand(process.execPath, [
      '-e',
      'let x = 0; while (process.cpuUsage().user < 400_000) for (let i = 0; i < 1e5; i++) x += i % 7;',
    ]);
    expect(calls.exitCode).toBe(0);
    expect(arithmetic.exitCode).toBe(0);
    expect(calls.systemCpuMs).toBeGreaterThanOrEqual(150);
    expect(calls.systemCpuMs!).toBeGreaterThan(calls.cpuMs! / 3);
    expect(calls.systemCpuMs!).toBeLessThanOrEqual(calls.cpuMs!);
    // Node's start-up makes some system calls; the loop none.
    expect(arithmetic.systemCpuMs!).toBeLessThan(arithmetic.cpuMs! / 3);
  }, 30_000);

  it('reads its CPU time and peak memory: a busy process shows its CPU, a sleeping one none', async () => {
    const busy = await measureCommand(process.execPath, [
      '-e',
      'const keep = Buffer.alloc(64 * 1024 * 1024, 1); while (process.cpuUsage().user < 400_000);',
    ]);
    const sleeping = await measureCommand(process.execPath, ['-e', 'setTimeout(() => {}, 400)']);
    expect(busy.exitCode).toBe(0);
    expect(busy.cpuMs).toBeGreaterThanOrEqual(400);
    expect(busy.peakRssBytes).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(sleeping.exitCode).toBe(0);
    expect(sleeping.totalMs).toBeGreaterThanOrEqual(400);
    // Node's own start-up only.
    expect(sleeping.cpuMs).toBeLessThan(250);
  }, 30_000);
});
