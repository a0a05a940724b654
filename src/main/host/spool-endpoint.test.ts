import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../services/app-failure';
import type { SpoolWriter } from '../services/handlers';
import { parseSpoolPath } from './spool-endpoint';
import { servicesWithoutAccounts } from './test-services';
import { startWebServer, type RunningWebServer } from './web-server';

/** A spool writer that keeps what it was sent, as the services' real spool would write it to disk. */
function collectingSpool() {
  const files = new Map<string, Buffer>();
  const spool: SpoolWriter = {
    async write(spoolId, relativePath, body) {
      if (spoolId === unknownSpool) throw new AppFailure('invalid-input', 'That spool is not open.');
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(Buffer.from(chunk));
      files.set(`${spoolId}/${relativePath}`, Buffer.concat(chunks));
    },
  };
  return { spool, files };
}

const unknownSpool = randomUUID();
const spoolId = randomUUID();
const collected = collectingSpool();
const services = { ...servicesWithoutAccounts(), spool: collected.spool };
let server: RunningWebServer;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's3fm-static-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>S3 File Manager</title>');
  server = await startWebServer({ staticRoot: root, services, bus: services.bus });
});

afterAll(async () => {
  await server.close();
  await services.dispose();
  await rm(root, { recursive: true, force: true });
});

interface SendOptions {
  method?: string;
  /** The path after the host, as sent (already encoded). */
  path: string;
  /** null: no Authorization header; undefined: the right token. */
  token?: string | null;
  /** null: no Origin header; undefined: the server's own origin. */
  origin?: string | null;
  body?: Buffer;
}

/** Sends one request with node:http (which lets a test choose Origin freely) and reads the JSON answer. */
function send(options: SendOptions): Promise<{ status: number; body: { ok: boolean; error?: { code: string } } }> {
  const token = options.token === undefined ? server.token : options.token;
  const origin = options.origin === undefined ? server.origin : options.origin;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (origin !== null) headers.origin = origin;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, method: options.method ?? 'PUT', path: options.path, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }),
        );
      },
    );
    req.on('error', reject);
    // Sent in pieces, as a browser streams a big file.
    const body = options.body ?? Buffer.alloc(0);
    for (let offset = 0; offset < body.length; offset += 64 * 1024)
      req.write(body.subarray(offset, offset + 64 * 1024));
    req.end();
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the spool endpoint', () => {
  it('refuses a request without the token, or with a wrong one', async () => {
    const path = `/spool/${spoolId}/a.txt`;
    expect(await send({ path, token: null, body: Buffer.from('x') })).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'unauthorized-sender' } },
    });
    expect((await send({ path, token: 'not-the-token' })).status).toBe(401);
    expect((await send({ path, token: `${server.token}x` })).status).toBe(401);
    expect((await send({ path, token: server.token.slice(0, -1) })).status).toBe(401);
    expect(collected.files.size).toBe(0);
  });

  it('refuses a foreign Origin and a missing Origin, even with the token', async () => {
    const path = `/spool/${spoolId}/a.txt`;
    expect((await send({ path, origin: 'http://evil.example' })).status).toBe(403);
    expect((await send({ path, origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await send({ path, origin: null })).status).toBe(403);
    expect(collected.files.size).toBe(0);
  });

  it('refuses bad paths with 400, and methods other than PUT with 405', async () => {
    const bad = [
      `/spool/not-a-uuid/a.txt`,
      `/spool/${spoolId}`,
      `/spool/${spoolId}/`,
      `/spool/${spoolId}/../escape.txt`,
      `/spool/${spoolId}/a/%2E%2E/b.txt`,
      `/spool/${spoolId}/a%2Fb.txt`,
      `/spool/${spoolId}/a%5Cb.txt`,
      `/spool/${spoolId}/a//b.txt`,
      `/spool/${spoolId}/%E0%A4%A.txt`,
      `/spool/${spoolId}/${'x'.repeat(1025)}`,
    ];
    for (const path of bad) {
      const answer = await send({ path, body: Buffer.from('x') });
      expect(answer.status, path).toBe(400);
      expect(answer.body.error?.code, path).toBe('invalid-input');
    }
    expect((await send({ method: 'POST', path: `/spool/${spoolId}/a.txt` })).status).toBe(405);
    expect(collected.files.size).toBe(0);
  });

  it('streams the bytes to the spool writer intact, under the decoded relative path', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const segments = ['photos 2024', 'Ünïcode #1?.jpg'];
    const answer = await send({ path: `/spool/${spoolId}/${segments.map(encodeURIComponent).join('/')}`, body: bytes });
    expect(answer).toEqual({ status: 201, body: { ok: true, value: { relativePath: segments.join('/') } } });
    const written = collected.files.get(`${spoolId}/${segments.join('/')}`);
    expect(written?.length).toBe(bytes.length);
    expect(sha256(written ?? Buffer.alloc(0))).toBe(sha256(bytes));

    // An empty file is a file too.
    expect((await send({ path: `/spool/${spoolId}/empty.txt` })).status).toBe(201);
    expect(collected.files.get(`${spoolId}/empty.txt`)?.length).toBe(0);
  });

  it('answers the spool writer’s refusal with its code and message', async () => {
    const answer = await send({ path: `/spool/${unknownSpool}/a.txt`, body: Buffer.from('x') });
    expect(answer).toEqual({
      status: 400,
      body: { ok: false, error: { code: 'invalid-input', message: 'That spool is not open.' } },
    });
  });

  it('leaves the renderer and the WebSocket host as they were', async () => {
    expect((await fetch(`${server.origin}/`)).status).toBe(200);
    expect((await fetch(`${server.origin}/`, { method: 'PUT' })).status).toBe(405);
  });
});

describe('parseSpoolPath', () => {
  it('decodes each segment and ignores a query', () => {
    expect(parseSpoolPath(`/spool/${spoolId}/a%20b/c%23d.txt?x=1`)).toEqual({ spoolId, relativePath: 'a b/c#d.txt' });
  });

  it('limits the path to 1,024 bytes, counting multi-byte characters as bytes', () => {
    const ok = parseSpoolPath(`/spool/${spoolId}/${encodeURIComponent('é'.repeat(512))}`);
    expect(ok).toEqual({ spoolId, relativePath: 'é'.repeat(512) });
    const long = parseSpoolPath(`/spool/${spoolId}/${encodeURIComponent('é'.repeat(513))}`);
    expect(long).toMatchObject({ code: 'invalid-input' });
  });
});
