import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { appError } from '../../shared/errors';
import type { EventMessage } from '../../shared/ipc-channels';
import type { EventBus } from '../services/event-bus';
import type { ServiceHandlers } from '../services/handlers';
import { dispatch } from './dispatch';

/** The URL path the WebSocket host answers on. */
export const WS_PATH = '/api';

/** A request frame from the browser client. */
export interface WsRequestFrame {
  id: number;
  channel: string;
  input: unknown;
}

/** What the WebSocket host needs: the HTTP server to attach to, the token and origins it accepts. */
export interface WsHostOptions {
  server: Server;
  token: string;
  /** Origins allowed to connect (exact match, e.g. `http://127.0.0.1:5123`). */
  allowedOrigins: readonly string[];
  services: ServiceHandlers;
  bus: EventBus;
  /** Largest frame accepted, in bytes. */
  maxPayload?: number;
}

/** Compares two strings in constant time, so the token cannot be guessed byte by byte from timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refuses an upgrade with a plain HTTP status, before any WebSocket exists. */
function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Serves the contract over a WebSocket for web mode. The upgrade is refused unless the
 * path is WS_PATH, the `token` query parameter matches the one-time token and the Origin
 * is ours; then every frame goes through the same dispatch as the IPC host.
 */
export function attachWsHost(options: WsHostOptions): { close(): Promise<void> } {
  const { server, token, allowedOrigins, services, bus } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 4 * 1024 * 1024 });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== WS_PATH) return refuse(socket, 404, 'Not Found');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(socket, 401, 'Unauthorized');
    const origin = request.headers.origin;
    if (origin === undefined || !allowedOrigins.includes(origin)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = bus.onAny((channel, payload) => {
      const message: EventMessage = { event: channel, payload };
      ws.send(JSON.stringify(message));
    });
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      void handleFrame(ws, isBinary ? null : data.toString());
    });
  });

  async function handleFrame(ws: WebSocket, text: string | null): Promise<void> {
    let frame: Partial<WsRequestFrame>;
    try {
      frame = JSON.parse(text ?? 'null') as Partial<WsRequestFrame>;
    } catch {
      frame = {};
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.id !== 'number') {
      const error = appError(
        'invalid-input',
        'A request frame must be JSON with a numeric id, a channel and an input.',
      );
      ws.send(JSON.stringify({ id: null, result: { ok: false, error } }));
      return;
    }
    const result = await dispatch(services, frame.channel, frame.input, { host: 'ws' });
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: frame.id, result }));
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
