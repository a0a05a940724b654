import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startDelayProxy, type DelayProxy } from './delay-proxy';

/** A TCP server that sends back what it is sent, and ends when its client ends. */
async function startEcho(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Sends `chunks` through a new connection to `port`, ends it, and resolves with all that came back and when. */
function exchange(port: number, chunks: Buffer[]): Promise<{ bytes: Buffer; firstByteMs: number; endedMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const received: Buffer[] = [];
    let firstByteMs = -1;
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      for (const chunk of chunks) socket.write(chunk);
      socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      if (firstByteMs < 0) firstByteMs = performance.now() - started;
      received.push(chunk);
    });
    socket.on('end', () =>
      resolve({ bytes: Buffer.concat(received), firstByteMs, endedMs: performance.now() - started }),
    );
    socket.on('error', reject);
  });
}

describe("the delay proxy (the benchmark's link with a round trip)", () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  test('a reply comes a whole round trip later, byte for byte, and the end passes through', async () => {
    const echo = await startEcho();
    stops.push(echo.close);
    const proxy: DelayProxy = await startDelayProxy({ host: '127.0.0.1', port: echo.port }, 80);
    stops.push(proxy.close);
    const chunks = Array.from({ length: 64 }, () => randomBytes(16 * 1024));
    const relayed = await exchange(proxy.port, chunks);
    expect(relayed.bytes.equals(Buffer.concat(chunks))).toBe(true);
    // The connection's own set-up is not delayed; its first reply is, by 40 ms each way (the
    // relay's clock, not the timers', decides when a chunk is due, so never sooner).
    expect(relayed.firstByteMs).toBeGreaterThanOrEqual(78);
    expect(relayed.endedMs).toBeGreaterThanOrEqual(relayed.firstByteMs);
    expect(proxy.endpoint).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(proxy.connections()).toBe(1);
  });
});
