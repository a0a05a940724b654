import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requests } from '../../shared/contract';
import { maxRequestFrameBytes } from './request-size';
import { servicesWithoutAccounts } from './test-services';
import { startWebServer, type RunningWebServer } from './web-server';
import { WS_MAX_PAYLOAD, type WsProtocolError } from './ws-host';
import { openClient, openClientOrThrow, rawHttp, statusOf, watchUncaught, type TestClient } from './ws-test-client';

const services = servicesWithoutAccounts();
const protocolErrors: WsProtocolError[] = [];
let root: string;
/** The server as web mode runs it, with the frame limit computed from the contract. */
let server: RunningWebServer;
/** The same with a small frame limit, so that "too big" costs a test 65 KiB rather than 235 MiB. */
let small: RunningWebServer;
const SMALL_LIMIT = 64 * 1024;
const uncaught = watchUncaught();

// Each would have ended web mode, and every transfer in it.
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(uncaught.errors.splice(0)).toEqual([]);
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's3fm-static-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>S3 File Manager</title>');
  const onProtocolError = (error: WsProtocolError) => void protocolErrors.push(error);
  server = await startWebServer({ staticRoot: root, services, bus: services.bus, onProtocolError });
  small = await startWebServer({
    staticRoot: root,
    services,
    bus: services.bus,
    maxPayload: SMALL_LIMIT,
    onProtocolError,
  });
});

afterAll(async () => {
  uncaught.stop();
  await server.close();
  await small.close();
  await services.dispose();
  await rm(root, { recursive: true, force: true });
});

const appInfo = { ok: true, value: { name: 'S3 File Manager', version: '0.0.0-test', mode: 'web' } };

/** The server still answers: a new connection gets app.info. */
async function stillServes(at: RunningWebServer): Promise<void> {
  const client = await openClientOrThrow(at);
  expect(await client.call('app.info', {})).toEqual(appInfo);
  client.socket.close();
}

describe('a bad frame closes only its own connection', () => {
  let bystander: TestClient;
  beforeAll(async () => {
    bystander = await openClientOrThrow(small);
  });

  it('closes a frame over the limit with 1009 (Message Too Big), and the server goes on', async () => {
    const client = await openClientOrThrow(small);
    const frame = JSON.stringify({ id: 1, channel: 'app.info', input: { pad: 'x'.repeat(SMALL_LIMIT) } });
    expect(await client.sendRaw(frame)).toEqual({ code: 1009, reason: '' });
    expect(protocolErrors.at(-1)?.closeCode).toBe(1009);
    await stillServes(small);
    // A connection that did nothing wrong is untouched, and keeps its answers coming.
    expect(await bystander.call('app.info', {})).toEqual(appInfo);
  });

  it('closes a text frame of invalid UTF-8 with 1007, and the server goes on', async () => {
    const client = await openClientOrThrow(small);
    expect(await client.sendRaw(Buffer.from([0xff, 0xfe, 0xfd]))).toEqual({ code: 1007, reason: '' });
    expect(protocolErrors.at(-1)?.closeCode).toBe(1007);
    await stillServes(small);
    expect(await bystander.call('app.info', {})).toEqual(appInfo);
  });

  it('closes a frame that breaks the protocol (unmasked, from a client) with 1002, and the server goes on', async () => {
    const client = await openClientOrThrow(small);
    // FIN + text opcode, no mask bit, 2 bytes: a client must mask every frame (RFC 6455 §5.1).
    const tcp = (client.socket as unknown as { _socket: { write(data: Buffer): void } })._socket;
    tcp.write(Buffer.from([0x81, 0x02, 0x7b, 0x7d]));
    expect(await client.closed).toEqual({ code: 1002, reason: '' });
    await stillServes(small);
  });

  it('answers a binary frame and truncated JSON with invalid-input, and keeps the connection', async () => {
    const client = await openClientOrThrow(small);
    const binary = await client.sendRaw(Buffer.from('{"id":1,"channel":"app.info","input":{}}'), { binary: true });
    expect(binary).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid-input' } } });
    const truncated = await client.sendRaw('{"id":2,"channel":"app.in');
    expect(truncated).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid-input' } } });
    expect(await client.call('app.info', {})).toEqual(appInfo);
    client.socket.close();
  });

  it('survives a client that resets its socket while its upgrade is being refused', async () => {
    const upgrade =
      `GET /api?token=wrong HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${small.origin}\r\n\r\n`;
    await Promise.all(Array.from({ length: 20 }, () => rawHttp(small.port, upgrade, { reset: true })));
    await stillServes(small);
  });
});

describe('the frame limit fits the largest valid request', () => {
  it('is computed from the contract: at least the largest frame of every channel', () => {
    for (const [channel, spec] of Object.entries(requests)) {
      expect(maxRequestFrameBytes(channel, spec.input).bytes, channel).toBeLessThanOrEqual(WS_MAX_PAYLOAD);
    }
  });

  it('answers a valid 5 MB objects.delete (10,000 keys of 512 characters) instead of dying', async () => {
    const client = await openClientOrThrow(server);
    const keys = Array.from({ length: 10_000 }, (_, i) => `${String(i).padStart(5, '0')}/${'k'.repeat(506)}`);
    const input = { accountId: 'nobody', bucket: 'b', keys };
    expect(requests['objects.delete'].input.safeParse(input).success).toBe(true);
    expect(JSON.stringify({ id: 1, channel: 'objects.delete', input }).length).toBeGreaterThan(5_000_000);
    // No such account here: what matters is a typed answer on an open connection.
    expect(await client.call('objects.delete', input)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await client.call('app.info', {})).toEqual(appInfo);
    client.socket.close();
  });

  it('answers the worst objects.delete: 10,000 keys of 1,024 characters that JSON escapes (61 MB)', async () => {
    const client = await openClientOrThrow(server);
    const keys = Array.from({ length: 10_000 }, (_, i) => `${String(i).padStart(5, '0')}${'\u0001'.repeat(1019)}`);
    const input = { accountId: 'nobody', bucket: 'b', keys };
    const frame = JSON.stringify({ id: 1, channel: 'objects.delete', input });
    expect(frame.length).toBeGreaterThan(60_000_000);
    expect(frame.length).toBeLessThanOrEqual(
      maxRequestFrameBytes('objects.delete', requests['objects.delete'].input).bytes,
    );
    expect(await client.call('objects.delete', input)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await client.call('app.info', {})).toEqual(appInfo);
    client.socket.close();
  }, 60_000);
});

describe('the Host header must name this server (DNS rebinding)', () => {
  const get = (host: string | null, path = '/') =>
    rawHttp(
      server.port,
      `GET ${path} HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}Connection: close\r\n\r\n`,
    );

  it('serves 127.0.0.1:<port> and localhost:<port>', async () => {
    expect(statusOf(await get(`127.0.0.1:${server.port}`))).toBe(200);
    expect(statusOf(await get(`localhost:${server.port}`))).toBe(200);
    expect(statusOf(await get(`LOCALHOST:${server.port}`))).toBe(200);
  });

  it('refuses any other name with 421 and a sentence naming the addresses that work', async () => {
    for (const host of [
      `rebind.example:${server.port}`,
      'rebind.example',
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
      `[::1]:${server.port}`,
      `127.0.0.1:${server.port}.evil.example`,
    ]) {
      const answer = await get(host);
      expect(statusOf(answer), host).toBe(421);
      expect(answer).toContain(`This app answers only at http://127.0.0.1:${server.port}/`);
    }
    // HTTP/1.0 may leave Host out (Node itself answers an HTTP/1.1 request without one with 400).
    expect(statusOf(await rawHttp(server.port, 'GET / HTTP/1.0\r\n\r\n'))).toBe(421);
  });

  it('refuses the spool endpoint under another name, token or not', async () => {
    const put =
      `PUT /spool/00000000-0000-4000-8000-000000000000/a.txt HTTP/1.1\r\nHost: rebind.example:${server.port}\r\n` +
      `Authorization: Bearer ${server.token}\r\nOrigin: http://rebind.example:${server.port}\r\n` +
      `Content-Length: 1\r\nConnection: close\r\n\r\nx`;
    expect(statusOf(await rawHttp(server.port, put))).toBe(421);
  });

  it('refuses the WebSocket upgrade under another name, even with the token', async () => {
    const upgrade = (host: string, origin: string) =>
      `GET /api?token=${encodeURIComponent(server.token)} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
      `Origin: ${origin}\r\n\r\n`;
    const refused = await rawHttp(
      server.port,
      upgrade(`rebind.example:${server.port}`, `http://rebind.example:${server.port}`),
    );
    expect(statusOf(refused)).toBe(421);
    expect(refused).toContain('cannot reach it');
    const accepted = await rawHttp(server.port, upgrade(`127.0.0.1:${server.port}`, server.origin), {
      firstChunk: true,
    });
    expect(statusOf(accepted), accepted).toBe(101);
  });
});

describe('a client that leaves', () => {
  it('aborts the signal of the requests it was waiting for', async () => {
    let seen: AbortSignal | undefined;
    const waiting = {
      ...services,
      handlers: {
        ...services.handlers,
        'details.folderSize': (_input: unknown, context: { signal?: AbortSignal }) =>
          new Promise<never>((_resolve, reject) => {
            seen = context.signal;
            context.signal?.addEventListener('abort', () => reject(new Error('aborted')));
          }),
      },
    } as typeof services;
    const own = await startWebServer({ staticRoot: root, services: waiting, bus: services.bus });
    try {
      const client = await openClientOrThrow(own);
      void client.call('details.folderSize', { accountId: 'a', bucket: 'b', prefix: '' });
      await expect.poll(() => seen).toBeDefined();
      expect(seen?.aborted).toBe(false);
      client.socket.close();
      await expect.poll(() => seen?.aborted).toBe(true);
    } finally {
      await own.close();
    }
  });
});

describe('what was sound stays so', () => {
  it('still refuses a wrong token (401) and a foreign Origin (403) on the upgrade', async () => {
    // As long as the token, wrong only in its last character.
    const nearMiss = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;
    expect(await openClient(server, { token: nearMiss })).toEqual({ status: 401 });
    expect(await openClient(server, { token: null })).toEqual({ status: 401 });
    expect(await openClient(server, { origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await openClient(server, { origin: null })).toEqual({ status: 403 });
  });
});
