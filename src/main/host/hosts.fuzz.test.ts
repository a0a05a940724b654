import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaArbitrary, type ArbitraryHints } from '../../../test/schema-arbitrary';
import { requests } from '../../shared/contract';
import { errorCodes } from '../../shared/errors';
import { IPC_INVOKE_CHANNEL } from '../../shared/ipc-channels';
import { accountFromEnvironment } from '../services/accounts/env-account';
import { createServices, type Services } from '../services/create-services';
import { createSessionCustomerKeyStore } from '../services/keychain/customer-key-store';
import { createSessionSecretStore } from '../services/keychain/secret-store';
import { silentLogger } from '../services/logging/logger';
import { registerIpcHost, type IpcMainLike } from './ipc-host';
import { startWebServer, type RunningWebServer } from './web-server';
import type { WsProtocolError } from './ws-host';
import { openClientOrThrow, watchUncaught, type Closed, type TestClient } from './ws-test-client';

// Property-based fuzzing of both hosts: every request channel of the contract, with inputs
// derived from its schema (edges and random values, test/schema-arbitrary.ts), through the
// IPC host's handler (a stand-in ipcMain) and through the WebSocket host over a real socket;
// then frames no client should send, and thousands of requests at once. The services are the
// real ones, with one launch account whose endpoint is a closed port on 127.0.0.1: every S3
// call fails fast with a typed error, and nothing outside this test's folders can be touched.

/** Runs per channel; each run sends one input through both hosts. Sized for < 60 s on 2 busy cores. */
const RUNS_PER_CHANNEL = Number(process.env.S3FM_FUZZ_RUNS ?? 20);
const CONCURRENT_REQUESTS = 5_000;
/** Heap growth tolerated over the whole fuzz, measured after a full garbage collection. */
const HEAP_MARGIN_BYTES = 96 * 1024 * 1024;
/** The frame limit of a second server for bad frames: small, so "too big" costs 8 MiB, not the real 235 MiB. */
const SMALL_MAX_PAYLOAD = 8 * 1024 * 1024;

const channels = Object.keys(requests) as (keyof typeof requests)[];
const counts = { sent: 0, ok: 0, errors: {} as Record<string, number>, closes: {} as Record<number, number> };
const protocolErrors: WsProtocolError[] = [];
let root: string;
let services: Services;
/** Web mode's server as it runs (the frame limit computed from the contract). */
let server: RunningWebServer;
/** The same services behind a small frame limit, for oversized frames. */
let small: RunningWebServer;
let invokeIpc: (message: unknown) => Promise<unknown>;
let client: TestClient;
let hints: ArbitraryHints;
let heapBefore = 0;
const savedEnvironment = { ...process.env };
/** What would have ended web mode: errors no one handled. */
const uncaught = watchUncaught();
const savedCwd = process.cwd();

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// A full collection before each reading, so garbage does not count as growth (the flag is set
// at run time: vitest's workers start without --expose-gc).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Checks one answer's shape: a value, or an error whose code is in the closed set; and counts it. */
function expectTypedResult(result: unknown, where: string): void {
  counts.sent += 1;
  expect(result, where).toBeTypeOf('object');
  const answer = result as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  if (answer.ok === true) {
    counts.ok += 1;
    return;
  }
  expect(answer.ok, where).toBe(false);
  expect(errorCodes, `${where}: ${JSON.stringify(answer.error)}`).toContain(answer.error?.code);
  expect(answer.error?.message, where).toBeTypeOf('string');
  const code = String(answer.error?.code);
  counts.errors[code] = (counts.errors[code] ?? 0) + 1;
  if (code === 'internal' && process.env.S3FM_FUZZ_DEBUG) console.log('internal:', where);
}

function isClosed(answer: unknown): answer is Closed {
  return typeof answer === 'object' && answer !== null && 'code' in answer && 'reason' in answer && !('ok' in answer);
}

beforeAll(async () => {
  heapBefore = heapUsed();
  root = await mkdtemp(join(tmpdir(), 's3fm-fuzz-'));
  const empty = join(root, 'cwd');
  for (const folder of ['cwd', 'home', 'tmp', 'data', 'static']) await mkdir(join(root, folder));
  await writeFile(join(root, 'static', 'index.html'), '<!doctype html>');
  // Relative paths in fuzzed input resolve inside an empty folder; home, temporary files and
  // AWS configuration are this test's own; no instance metadata service is asked for keys.
  process.chdir(empty);
  Object.assign(process.env, {
    HOME: join(root, 'home'),
    TMPDIR: join(root, 'tmp'),
    AWS_CONFIG_FILE: join(root, 'home', 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'home', 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    delete process.env[name];
  }
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: endpoint,
    S3FM_ACCESS_KEY_ID: 'fuzz',
    S3FM_SECRET_ACCESS_KEY: 'fuzz-secret-key',
  });
  services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'fuzz', mode: 'web' },
    dataDir: join(root, 'data'),
    keychain: createSessionSecretStore(),
    customerKeys: createSessionCustomerKeyStore(),
    logger: silentLogger,
    launchAccounts: launch ? [launch] : [],
  });
  const onProtocolError = (error: WsProtocolError) => void protocolErrors.push(error);
  server = await startWebServer({ staticRoot: join(root, 'static'), services, bus: services.bus, onProtocolError });
  small = await startWebServer({
    staticRoot: join(root, 'static'),
    services,
    bus: services.bus,
    maxPayload: SMALL_MAX_PAYLOAD,
    onProtocolError,
  });
  // The IPC host, as in ipc-host.test.ts: a stand-in ipcMain that records the one handler.
  let handler: ((event: object, ...args: unknown[]) => Promise<unknown>) | undefined;
  const ipcMain: IpcMainLike<object> = {
    handle: (channel, listener) => {
      if (channel === IPC_INVOKE_CHANNEL) handler = listener;
    },
    removeHandler: () => undefined,
  };
  registerIpcHost({ ipcMain, isTrustedSender: () => true, services, bus: services.bus, send: () => undefined });
  invokeIpc = (message) => {
    if (!handler) throw new Error('the IPC host registered no handler');
    return handler({}, message);
  };
  client = await openClientOrThrow(server);
  hints = { strings: ['launch', 'fuzz-bucket', endpoint, '00000000-0000-4000-8000-000000000000'] };
}, 30_000);

afterAll(async () => {
  uncaught.stop();
  client?.socket.close();
  await server?.close();
  await small?.close();
  await services?.dispose();
  process.chdir(savedCwd);
  for (const name of Object.keys(process.env)) if (!(name in savedEnvironment)) delete process.env[name];
  Object.assign(process.env, savedEnvironment);
  if (root) await rm(root, { recursive: true, force: true });
  const breakdown = Object.entries(counts.errors)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  console.log(
    `host fuzz: ${counts.sent} requests answered (${counts.ok} values; errors: ${breakdown}); ` +
      `connections closed by bad frames: ${JSON.stringify(counts.closes)}; ` +
      `heap ${((heapUsed() - heapBefore) / 1024 / 1024).toFixed(1)} MiB over the start`,
  );
});

describe('every request channel, through both hosts', () => {
  it.each(channels)(
    '%s',
    async (channel) => {
      const arbitrary = schemaArbitrary(requests[channel].input, hints);
      await fc.assert(
        fc.asyncProperty(fc.array(arbitrary, { minLength: 1, maxLength: 4 }), async (inputs) => {
          // A few at once, as a busy UI sends them.
          await Promise.all(
            inputs.map(async (input) => {
              expectTypedResult(await invokeIpc({ channel, input }), `ipc ${channel}`);
              const answer = await client.call(channel, input);
              if (isClosed(answer)) throw new Error(`${channel}: the connection closed (${answer.code})`);
              expectTypedResult(answer, `ws ${channel}`);
            }),
          );
        }),
        { numRuns: RUNS_PER_CHANNEL, interruptAfterTimeLimit: 20_000 },
      );
    },
    30_000,
  );
});

describe('messages of any shape through the IPC host', () => {
  it('get a typed error, never a rejected invoke', async () => {
    const anyMessage = fc.oneof(
      fc.anything({ withObjectString: true, withNullPrototype: true, withBoxedValues: true, maxDepth: 3 }),
      fc.record({ channel: fc.anything({ withObjectString: true, maxDepth: 2 }), input: fc.anything({ maxDepth: 2 }) }),
    );
    await fc.assert(
      fc.asyncProperty(anyMessage, async (message) => expectTypedResult(await invokeIpc(message), 'ipc (any message)')),
      { numRuns: 300 },
    );
  });
});

describe('frames no client should send', () => {
  const badFrames = fc.oneof(
    fc.constant({ kind: 'oversized' as const }),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'binary' as const, bytes })),
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => ({
      kind: 'invalid-utf8' as const,
      bytes: Buffer.concat([Buffer.from(bytes), Buffer.from([0xc3])]),
    })),
    fc.tuple(fc.constantFrom(...channels), fc.jsonValue(), fc.nat()).map(([channel, input, cut]) => {
      const text = JSON.stringify({ id: 1, channel, input });
      return { kind: 'truncated' as const, text: text.slice(0, Math.max(1, cut % text.length)) };
    }),
    fc.jsonValue().map((value) => ({ kind: 'json' as const, text: JSON.stringify(value) ?? 'null' })),
  );

  it('close only their own connection (or get invalid-input), and the host answers afterwards', async () => {
    await fc.assert(
      fc.asyncProperty(badFrames, async (frame) => {
        const victim = await openClientOrThrow(small);
        let answer: unknown;
        if (frame.kind === 'oversized') answer = await victim.sendRaw('x'.repeat(SMALL_MAX_PAYLOAD + 1));
        else if (frame.kind === 'binary') answer = await victim.sendRaw(Buffer.from(frame.bytes), { binary: true });
        else if (frame.kind === 'invalid-utf8') answer = await victim.sendRaw(frame.bytes);
        else answer = await victim.sendRaw(frame.text);
        if (isClosed(answer)) {
          expect([1009, 1007], frame.kind).toContain(answer.code);
          counts.closes[answer.code] = (counts.closes[answer.code] ?? 0) + 1;
        } else {
          expectTypedResult((answer as { result: unknown }).result, frame.kind);
          victim.socket.close();
        }
        // The persistent client (on the other server, same services) was not touched, and the
        // server that closed the connection serves a new one.
        expectTypedResult(await client.call('app.info', {}), 'app.info after a bad frame');
        const next = await openClientOrThrow(small);
        expectTypedResult(await next.call('app.info', {}), 'app.info on a new connection');
        next.socket.close();
      }),
      { numRuns: 60 },
    );
    expect(counts.closes[1009] ?? 0).toBeGreaterThan(0);
    expect(counts.closes[1007] ?? 0).toBeGreaterThan(0);
  }, 60_000);
});

describe('thousands of requests at once', () => {
  it(`answers ${CONCURRENT_REQUESTS.toLocaleString('en')} concurrent requests on one socket, and as many over IPC`, async () => {
    const inputs = fc.sample(
      fc
        .constantFrom(...channels)
        // No arrays at their maximum length here: thousands of 10,000-key requests would time the
        // schema checks, not the hosts (the per-channel fuzz above sends those).
        .chain((channel) =>
          schemaArbitrary(requests[channel].input, { ...hints, longArrays: false }).map((input) => ({
            channel,
            input,
          })),
        ),
      { numRuns: CONCURRENT_REQUESTS, seed: 11 },
    );
    const started = Date.now();
    const [viaWs, viaIpc] = await Promise.all([
      Promise.all(inputs.map(({ channel, input }) => client.call(channel, input))),
      Promise.all(inputs.map(({ channel, input }) => invokeIpc({ channel, input }))),
    ]);
    viaWs.forEach((answer, i) => {
      if (isClosed(answer)) throw new Error(`the connection closed (${answer.code})`);
      expectTypedResult(answer, `ws (concurrent) ${inputs[i]?.channel}`);
    });
    viaIpc.forEach((answer, i) =>
      expectTypedResult(
        answer,
        `ipc (concurrent) ${inputs[i]?.channel} ${JSON.stringify(inputs[i]?.input).slice(0, 300)}`,
      ),
    );
    console.log(`host fuzz: ${inputs.length * 2} concurrent requests answered in ${Date.now() - started} ms`);
  }, 60_000);
});

describe('nothing crashes a host', () => {
  it('left no uncaught error or unhandled rejection behind', () => {
    expect(uncaught.errors).toEqual([]);
  });
});

describe('memory', () => {
  it('stays bounded: the heap after the fuzz is within a margin of the heap before', async () => {
    // Let background work started by the fuzz (failed operations, queued retries) settle.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const growth = heapUsed() - heapBefore;
    expect(growth).toBeLessThan(HEAP_MARGIN_BYTES);
  });
});
