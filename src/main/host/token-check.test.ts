import { timingSafeEqual } from 'node:crypto';
import type * as Crypto from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { servicesWithoutAccounts } from './test-services';
import { startWebServer, type RunningWebServer } from './web-server';
import { openClient, rawHttp, statusOf } from './ws-test-client';

// The token comparisons must go through crypto.timingSafeEqual (a `===` would leak, byte by
// byte, how much of a guess is right). The real function, watched.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const services = servicesWithoutAccounts();
let server: RunningWebServer;
let root: string;
const compared = vi.mocked(timingSafeEqual);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's3fm-static-'));
  await writeFile(join(root, 'index.html'), '<!doctype html>');
  server = await startWebServer({ staticRoot: root, services, bus: services.bus });
});

afterAll(async () => {
  await server.close();
  await services.dispose();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  compared.mockClear();
});

/** A guess as long as the token, differing only in its last character. */
const nearMiss = () => `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;

describe('the one-time token is compared in constant time', () => {
  it('on the WebSocket upgrade', async () => {
    expect(await openClient(server, { token: nearMiss() })).toEqual({ status: 401 });
    expect(compared).toHaveBeenCalledTimes(1);
    const [given, expected] = compared.mock.calls[0] ?? [];
    expect(Buffer.from(given as Buffer).toString()).toBe(nearMiss());
    expect(Buffer.from(expected as Buffer).toString()).toBe(server.token);
  });

  it('on the spool endpoint', async () => {
    const put =
      `PUT /spool/00000000-0000-4000-8000-000000000000/a.txt HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
      `Authorization: Bearer ${nearMiss()}\r\nOrigin: ${server.origin}\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx`;
    expect(statusOf(await rawHttp(server.port, put))).toBe(401);
    expect(compared).toHaveBeenCalledTimes(1);
    expect(Buffer.from(compared.mock.calls[0]?.[1] as Buffer).toString()).toBe(server.token);
  });
});
