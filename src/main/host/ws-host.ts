import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { requests } from '../../shared/contract';
import { appError } from '../../shared/errors';
import type { EventMessage } from '../../shared/ipc-channels';
import { fail, type Result } from '../../shared/result';
import type { EventBus } from '../services/event-bus';
import type { ServiceHandlers } from '../services/handlers';
import { dispatch } from './dispatch';
import { isAllowedHost, MISDIRECTED_STATUS, misdirectedMessage } from './loopback-host';
import { largestRequestFrame } from './request-size';

/** The URL path the WebSocket host answers on. */
export const WS_PATH = '/api';

const MiB = 1024 * 1024;

/**
 * The largest frame the host reads: the largest request any channel's schema accepts, as the
 * browser client serializes it, rounded up to a MiB (about 235 MiB today, for 10,000 local paths
 * of 4,096 characters that all need JSON escapes). Computed from the contract rather than split
 * into several frames: a split request would still be held whole before its schema could check
 * it, so splitting saves no memory, and one frame per request keeps every host generic.
 */
export const WS_MAX_PAYLOAD = Math.ceil(largestRequestFrame(requests).bytes / MiB) * MiB;

/** A request frame from the browser client. */
export interface WsRequestFrame {
  id: number;
  channel: string;
  input: unknown;
}

/** Why a connection was closed by the WebSocket library (a frame it could not accept), for the log. */
export interface WsProtocolError {
  /** The close code sent: 1009 too big, 1007 invalid UTF-8, 1002 a protocol violation. */
  closeCode: number;
  message: string;
}

/** What the WebSocket host needs: the HTTP server to attach to, the token, origins and hosts it accepts. */
export interface WsHostOptions {
  server: Server;
  token: string;
  /** Origins allowed to connect (exact match, e.g. `http://127.0.0.1:5123`). */
  allowedOrigins: readonly string[];
  /** Host header values allowed (e.g. `127.0.0.1:5123`), against DNS rebinding; see loopback-host.ts. */
  allowedHosts: readonly string[];
  services: ServiceHandlers;
  bus: EventBus;
  /** Largest frame accepted, in bytes; WS_MAX_PAYLOAD by default. */
  maxPayload?: number;
  /** Told when a bad frame closed a connection; by default a warning on stderr. */
  onProtocolError?: (error: WsProtocolError) => void;
}

/** Compares two strings in constant time, so the token cannot be guessed byte by byte from timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const reasons = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  [MISDIRECTED_STATUS]: 'Misdirected Request',
};

/** Refuses an upgrade with a plain HTTP status and a sentence, before any WebSocket exists. */
function refuse(socket: Duplex, status: keyof typeof reasons, body = ''): void {
  const length = Buffer.byteLength(body);
  socket.end(
    `HTTP/1.1 ${status} ${reasons[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${length}\r\n\r\n${body}`,
  );
}

/** The close code the ws library sent with a receiver error (`ws` sets it on the error it emits). */
function closeCodeOf(error: Error): number {
  const symbol = Object.getOwnPropertySymbols(error).find((key) => key.description === 'status-code');
  const code = symbol === undefined ? undefined : (error as unknown as Record<symbol, unknown>)[symbol];
  return typeof code === 'number' ? code : 1002;
}

/** Serializes a frame; a value JSON cannot carry becomes an `internal` error instead of a throw. */
function serialize(id: number | null, result: Result<unknown>): string {
  try {
    return JSON.stringify({ id, result });
  } catch {
    return JSON.stringify({ id, result: fail(appError('internal')) });
  }
}

/**
 * Serves the contract over a WebSocket for web mode. The upgrade is refused unless the Host
 * is ours (421), the path is WS_PATH (404), the `token` query parameter matches the one-time
 * token (401) and the Origin is ours (403); then every frame goes through the same dispatch
 * as the IPC host. A frame the library cannot accept (too big, invalid UTF-8, a protocol
 * violation) closes only its own connection, with the standard close code.
 */
export function attachWsHost(options: WsHostOptions): { close(): Promise<void> } {
  const { server, token, allowedOrigins, allowedHosts, services, bus } = options;
  const onProtocolError =
    options.onProtocolError ??
    ((error: WsProtocolError) => console.warn(`Web mode closed a connection (${error.closeCode}): ${error.message}`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? WS_MAX_PAYLOAD });
  // The server emits 'error' only in server mode; a listener keeps any such error from ending the process.
  wss.on('error', (error) => onProtocolError({ closeCode: 1011, message: error.message }));

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node removes its own error listener from an upgraded socket: a reset while we answer
    // would otherwise be an uncaught error that ends web mode.
    socket.on('error', () => socket.destroy());
    const host = request.headers.host;
    if (!isAllowedHost(host, allowedHosts)) {
      return refuse(socket, MISDIRECTED_STATUS, misdirectedMessage(host, allowedHosts));
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== WS_PATH) return refuse(socket, 404);
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
      return refuse(socket, 401, 'The token is missing or wrong: open the address web mode printed.\n');
    }
    const origin = request.headers.origin;
    if (origin === undefined || !allowedOrigins.includes(origin)) {
      return refuse(socket, 403, 'Only the app’s own page may connect.\n');
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    const send = (text: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    };
    const unsubscribe = bus.onAny((channel, payload) => {
      const message: EventMessage = { event: channel, payload };
      send(JSON.stringify(message));
    });
    // Work done only to answer this client (a folder's size, a download's plan) stops when it leaves.
    const left = new AbortController();
    ws.on('close', () => {
      unsubscribe();
      left.abort();
    });
    // Without this listener one oversized or malformed frame was an uncaught error that ended
    // web mode and every transfer in it. The library has already sent the close code.
    ws.on('error', (error) => {
      unsubscribe();
      onProtocolError({ closeCode: closeCodeOf(error), message: error.message });
    });
    ws.on('message', (data, isBinary) => {
      void handleFrame(isBinary ? null : data.toString(), left.signal).then(send);
    });
  });

  /** Answers one frame; never throws, whatever the frame holds. */
  async function handleFrame(text: string | null, signal: AbortSignal): Promise<string> {
    let frame: unknown;
    try {
      frame = JSON.parse(text ?? 'null');
    } catch {
      frame = null;
    }
    if (typeof frame !== 'object' || frame === null || typeof (frame as Partial<WsRequestFrame>).id !== 'number') {
      const error = appError(
        'invalid-input',
        'A request frame must be a JSON text frame with a numeric id, a channel and an input.',
      );
      return serialize(null, fail(error));
    }
    const { id, channel, input } = frame as Partial<WsRequestFrame> & { id: number };
    try {
      return serialize(id, await dispatch(services, channel, input, { host: 'ws', signal }));
    } catch {
      return serialize(id, fail(appError('internal')));
    }
  }

  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
