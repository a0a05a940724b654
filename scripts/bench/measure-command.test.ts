import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureCommand } from './measure-command';

const python = ['/usr/bin/python3', '/usr/local/bin/python3'].some((p) => existsSync(p));
if (!python) console.warn('SKIPPED: measure-command.test.ts needs python3 to read a child process rusage');

describe.skipIf(!python)('measuring a command', () => {
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
