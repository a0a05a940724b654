import { connect as connectTcp } from 'node:net';
import WebSocket from 'ws';
import type { Result } from '../../shared/result';

// Test helpers for the WebSocket host and the web server: a client that matches answers to
// requests by id (events and answers interleave), and raw HTTP for headers fetch() will not send.

/** How a connection ended: the close code and reason the server sent. */
export interface Closed {
  code: number;
  reason: string;
}

/** A connected test client. */
export interface TestClient {
  socket: WebSocket;
  /** Sends one request and resolves with its answer, or with the close if the connection ends first. */
  call(channel: unknown, input: unknown): Promise<Result<unknown> | Closed>;
  /** Sends a frame as given and resolves with the next answer to no call of this client's, or the close. */
  sendRaw(
    data: string | Buffer,
    options?: { binary?: boolean },
  ): Promise<{ id: number | null; result: Result<unknown> } | Closed>;
  /** Resolves when the server closes the connection. */
  closed: Promise<Closed>;
  /** Answers received so far (events are not counted). */
  answers(): number;
}

/** Where a test server listens and the secrets it accepts. */
export interface TestServerAddress {
  port: number;
  token: string;
  origin: string;
}

/**
 * Opens a WebSocket to web mode's host. Resolves with a client, or with the HTTP status the
 * upgrade was refused with. `token`/`origin` null leaves them out; undefined uses the server's.
 */
export function openClient(
  server: TestServerAddress,
  options: { token?: string | null; origin?: string | null; path?: string } = {},
): Promise<TestClient | { status: number }> {
  const token = options.token === undefined ? server.token : options.token;
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const origin = options.origin === undefined ? server.origin : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${options.path ?? '/api'}${query}`, {
    ...(origin === null ? {} : { origin }),
    // The client must be able to receive whatever the server answers.
    maxPayload: 1024 * 1024 * 1024,
  });
  const pending = new Map<number, (answer: Result<unknown> | Closed) => void>();
  const unnumbered: ((answer: { id: number | null; result: Result<unknown> } | Closed) => void)[] = [];
  let nextId = 1;
  let answered = 0;
  let closedWith: Closed | undefined;
  const closed = new Promise<Closed>((resolve) => {
    socket.once('close', (code, reason) => {
      closedWith = { code, reason: reason.toString() };
      for (const settle of pending.values()) settle(closedWith);
      pending.clear();
      for (const settle of unnumbered.splice(0)) settle(closedWith);
      resolve(closedWith);
    });
  });
  // A client-side error (the server cut the connection) ends in 'close' too.
  socket.on('error', () => undefined);
  socket.on('message', (data: WebSocket.RawData) => {
    const frame = JSON.parse(data.toString()) as { id?: number | null; result?: Result<unknown> };
    if (frame.result === undefined) return;
    answered += 1;
    const settle = typeof frame.id === 'number' ? pending.get(frame.id) : undefined;
    if (settle && typeof frame.id === 'number') {
      settle(frame.result);
      pending.delete(frame.id);
    } else {
      unnumbered.shift()?.({ id: frame.id ?? null, result: frame.result });
    }
  });
  const client: TestClient = {
    socket,
    closed,
    answers: () => answered,
    call(channel, input) {
      if (closedWith) return Promise.resolve(closedWith);
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, input }));
      });
    },
    sendRaw(data, sendOptions = {}) {
      if (closedWith) return Promise.resolve(closedWith);
      return new Promise((resolve) => {
        unnumbered.push(resolve);
        socket.send(data, { binary: sendOptions.binary ?? false });
      });
    },
  };
  return new Promise((resolve) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    socket.once('error', () => resolve({ status: -1 }));
  });
}

/** Opens a client and fails the test if the upgrade is refused. */
export async function openClientOrThrow(server: TestServerAddress): Promise<TestClient> {
  const opened = await openClient(server);
  if (!('socket' in opened)) throw new Error(`the upgrade was refused with ${opened.status}`);
  return opened;
}

/**
 * Sends raw bytes to a port and resolves with everything the server wrote back before it closed
 * (or only its first chunk, for an answer that keeps the connection open).
 */
export function rawHttp(
  port: number,
  request: string | Buffer,
  options: { reset?: boolean; firstChunk?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.firstChunk) socket.destroy();
    });
    socket.on('error', options.reset ? () => resolve('') : reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
    socket.write(request, () => {
      // A client that vanishes mid-answer: the server must not care.
      if (options.reset) socket.resetAndDestroy();
    });
  });
}

/** The status code of a raw HTTP answer, or 0 when there was none. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
}

/**
 * Collects uncaught errors and unhandled rejections from now on: each would have ended web mode's
 * process. (Vitest reports them too, but only after the run and without saying which test.)
 */
export function watchUncaught(): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const record = (error: unknown): void => {
    errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}
