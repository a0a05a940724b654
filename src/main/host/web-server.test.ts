import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer, type RunningWebServer } from './web-server';
import { servicesWithoutAccounts } from './test-services';

let server: RunningWebServer;
let root: string;
const services = servicesWithoutAccounts();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's3fm-static-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>S3 File Manager</title>');
  server = await startWebServer({ staticRoot: root, services, bus: services.bus });
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

/** Opens a WebSocket; resolves with the open socket or the HTTP status the upgrade was refused with. */
function connect(options: { token?: string | null; origin?: string | null; path?: string }) {
  const token = options.token === undefined ? server.token : options.token;
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const origin = options.origin === undefined ? server.origin : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${options.path ?? '/api'}${query}`, {
    ...(origin === null ? {} : { origin }),
  });
  return new Promise<{ socket: WebSocket } | { status: number }>((resolve) => {
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    socket.once('error', () => resolve({ status: -1 }));
  });
}

/** Sends one request frame and waits for the frame answering it. */
function request(socket: WebSocket, frame: unknown): Promise<{ id: number | null; result: unknown }> {
  return new Promise((resolve) => {
    socket.once('message', (data: WebSocket.RawData) => resolve(JSON.parse(data.toString()) as never));
    socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('web server', () => {
  it('listens on 127.0.0.1 only, on a port chosen at run time, with the token in the fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${server.origin}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('S3 File Manager');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
  });

  it('refuses paths outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json']) {
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status, path).not.toBe(200);
    }
  });
});

describe('WebSocket host', () => {
  it('rejects a missing token', async () => {
    expect(await connect({ token: null })).toEqual({ status: 401 });
  });

  it('rejects a wrong token', async () => {
    expect(await connect({ token: 'not-the-token' })).toEqual({ status: 401 });
    expect(await connect({ token: `${server.token}x` })).toEqual({ status: 401 });
  });

  it('rejects a foreign Origin and a missing Origin', async () => {
    expect(await connect({ origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect({ origin: `http://127.0.0.1:${server.port + 1}` })).toEqual({ status: 403 });
    expect(await connect({ origin: null })).toEqual({ status: 403 });
  });

  it('answers a valid request with the right token and Origin', async () => {
    const opened = await connect({});
    if (!('socket' in opened)) throw new Error(`refused with ${opened.status}`);
    const answer = await request(opened.socket, { id: 7, channel: 'app.info', input: {} });
    expect(answer).toEqual({
      id: 7,
      result: { ok: true, value: { name: 'S3 File Manager', version: '0.0.0-test', mode: 'web' } },
    });
    opened.socket.close();
  });

  it('rejects an unknown channel and input that fails the schema', async () => {
    const opened = await connect({});
    if (!('socket' in opened)) throw new Error(`refused with ${opened.status}`);
    expect(await request(opened.socket, { id: 1, channel: 'buckets.explode', input: {} })).toMatchObject({
      id: 1,
      result: { ok: false, error: { code: 'unknown-channel' } },
    });
    expect(await request(opened.socket, { id: 2, channel: 'buckets.list', input: { accountId: '' } })).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'invalid-input' } },
    });
    expect(await request(opened.socket, 'not json')).toMatchObject({ id: null, result: { ok: false } });
    opened.socket.close();
  });

  it('pushes service events to connected clients', async () => {
    const opened = await connect({});
    if (!('socket' in opened)) throw new Error(`refused with ${opened.status}`);
    const received = new Promise<unknown>((resolve) =>
      opened.socket.once('message', (data: WebSocket.RawData) => resolve(JSON.parse(data.toString()))),
    );
    services.bus.emit('accounts.changed', { accounts: [] });
    expect(await received).toEqual({ event: 'accounts.changed', payload: { accounts: [] } });
    opened.socket.close();
  });
});
