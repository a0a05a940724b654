import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClientOrThrow, rawHttp, type TestServerAddress } from './host/ws-test-client';

// Web mode's entry, run as `npm run web` runs it (from source here, through tsx): one instance
// per data folder, and a killed instance does not keep the folder locked.

const started: ChildProcess[] = [];
let dataDir: string;
const dataDirs: string[] = [];

/** A new, empty data folder for the next instances, removed after the tests. */
async function freshDataDir(): Promise<string> {
  dataDir = await mkdtemp(join(tmpdir(), 's3fm-web-main-'));
  dataDirs.push(dataDir);
  return dataDir;
}

interface Outcome {
  child: ChildProcess;
  /** The printed address, once it listens. */
  url?: string;
  /** Its port, token and origin, once it listens. */
  address?: TestServerAddress;
  /** The exit code and what it printed, when it exits instead. */
  exitCode?: number | null;
  output: string;
}

/** Starts web mode on `dataDir` and resolves once it listens or exits. */
function startWebMode(): Promise<Outcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/web-main.ts'], {
    env: { ...process.env, S3FM_DATA_DIR: dataDir, S3FM_PORT: '0', S3FM_ENDPOINT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web mode neither started nor exited in 30 s:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /is at (http:\/\/127\.0\.0\.1:(\d+)\/)#token=(\S+)/.exec(output);
      if (match?.[1] && match[2] && match[3]) {
        clearTimeout(timer);
        const address = { port: Number(match[2]), token: match[3], origin: match[1].slice(0, -1) };
        resolve({ child, url: match[1], address, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ child, exitCode, output });
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGKILL');
      await exited(child);
    }
  }
  for (const folder of dataDirs) await rm(folder, { recursive: true, force: true });
});

describe('web mode survives bad frames', () => {
  it('keeps running (and serving) after frames that used to end the process', async () => {
    await freshDataDir();
    const web = await startWebMode();
    const address = web.address as TestServerAddress;
    expect(address, web.output).toBeDefined();
    let died = false;
    web.child.once('exit', () => (died = true));

    // A valid 5 MB request: 10,000 keys of 512 characters (over the old 4 MiB limit).
    const big = await openClientOrThrow(address);
    const keys = Array.from({ length: 10_000 }, (_, i) => `${String(i).padStart(5, '0')}${'k'.repeat(507)}`);
    expect(await big.call('objects.delete', { accountId: 'nobody', bucket: 'b', keys })).toMatchObject({ ok: false });
    // Three bytes of invalid UTF-8 in a text frame.
    const utf8 = await openClientOrThrow(address);
    expect(await utf8.sendRaw(Buffer.from([0xff, 0xfe, 0xfd]))).toMatchObject({ code: 1007 });
    // An unmasked frame.
    const unmasked = await openClientOrThrow(address);
    (unmasked.socket as unknown as { _socket: { write(data: Buffer): void } })._socket.write(
      Buffer.from([0x81, 0x02, 0x7b, 0x7d]),
    );
    expect(await unmasked.closed).toMatchObject({ code: 1002 });
    // Clients that vanish while their upgrade is refused.
    const refused =
      `GET /api?token=wrong HTTP/1.1\r\nHost: 127.0.0.1:${address.port}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    await Promise.all(Array.from({ length: 20 }, () => rawHttp(address.port, refused, { reset: true })));

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(died, web.output).toBe(false);
    const after = await openClientOrThrow(address);
    expect(await after.call('app.info', {})).toMatchObject({ ok: true });
    for (const client of [big, after]) client.socket.close();
  }, 60_000);
});

describe('web mode, one instance per data folder', () => {
  it('refuses a second instance, naming the first one’s pid and address; a killed one leaves no lock behind', async () => {
    await freshDataDir();
    const first = await startWebMode();
    expect(first.url, first.output).toBeDefined();

    const second = await startWebMode();
    expect(second.exitCode, second.output).toBe(1);
    expect(second.output).toContain(`process ${first.child.pid}`);
    expect(second.output).toContain(`It is at ${first.url}`);
    // The address is named without its token: the lock file is no place for a secret.
    expect(second.output).not.toMatch(/token=/);

    // SIGKILL: no exit handler runs, the lock stays behind naming a dead pid, and is taken over.
    process.kill(first.child.pid as number, 'SIGKILL');
    await exited(first.child);
    const third = await startWebMode();
    expect(third.url, third.output).toBeDefined();

    // A clean stop (SIGTERM) releases it.
    process.kill(third.child.pid as number, 'SIGTERM');
    await exited(third.child);
    expect({ code: third.child.exitCode, signal: third.child.signalCode }, third.output).toEqual({
      code: 0,
      signal: null,
    });
    const fourth = await startWebMode();
    expect(fourth.url, fourth.output).toBeDefined();
  }, 120_000);
});
