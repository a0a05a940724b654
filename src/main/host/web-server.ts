import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus } from '../services/event-bus';
import type { ServiceHandlers, SpoolWriter } from '../services/handlers';
import { contentSecurityPolicy } from './content-security-policy';
import { isAllowedHost, loopbackHosts, MISDIRECTED_STATUS, misdirectedMessage } from './loopback-host';
import { createSpoolEndpoint, isSpoolRequest } from './spool-endpoint';
import { readStaticFile } from './static-files';
import { attachWsHost, type WsProtocolError } from './ws-host';

/** What web mode needs to serve: where the built renderer is, and the services. */
export interface WebServerOptions {
  staticRoot: string;
  /** The services; `spool` receives the bytes of files dropped in the browser (PUT /spool/…). */
  services: ServiceHandlers & { spool: SpoolWriter };
  bus: EventBus;
  /** 0 (the default) lets the system choose a free port. */
  port?: number;
  /** A fixed token (tests); by default a new random one per start. */
  token?: string;
  /** Largest WebSocket frame, in bytes (tests); by default the largest request of the contract. */
  maxPayload?: number;
  /** Told when a bad WebSocket frame closed its connection; by default a warning on stderr. */
  onProtocolError?: (error: WsProtocolError) => void;
}

/** A running web-mode server. */
export interface RunningWebServer {
  /** The address to open, token included (in the fragment, so it never reaches a server log). */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * Web mode: one HTTP server on 127.0.0.1 serving the built renderer (with the app's CSP),
 * and on the same port the WebSocket host and the spool endpoint (the bytes of dropped files),
 * both guarded by a one-time token and our Origin. Every request, the upgrade included, must
 * name us in its Host header (421 otherwise), so a page that rebinds its own name to
 * 127.0.0.1 reads nothing, not even the renderer's files.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let csp = contentSecurityPolicy();
  // Set once the port (and so our origin) is known; requests cannot arrive before.
  let handleSpool: ReturnType<typeof createSpoolEndpoint> | null = null;
  let allowedHosts: readonly string[] = [];
  // No time limit per request: a dropped file of many gigabytes takes longer than Node's default
  // five minutes to arrive. The server is on the loopback interface and a spool PUT needs the token.
  const server: Server = createServer({ requestTimeout: 0 }, (request, response) => {
    if (!isAllowedHost(request.headers.host, allowedHosts)) {
      response
        .writeHead(MISDIRECTED_STATUS, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
        .end(misdirectedMessage(request.headers.host, allowedHosts));
      // A refused upload's body is not wanted.
      request.resume();
      return;
    }
    if (handleSpool && isSpoolRequest(request)) {
      void handleSpool(request, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    void readStaticFile(options.staticRoot, request.url ?? '/').then((file) => {
      response.writeHead(file.status, {
        'Content-Type': file.contentType,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : file.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedOrigins = [origin, `http://localhost:${port}`];
  allowedHosts = loopbackHosts(port);
  csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`]);
  handleSpool = createSpoolEndpoint({ token, allowedOrigins, spool: options.services.spool });
  const ws = attachWsHost({
    server,
    token,
    allowedOrigins,
    allowedHosts,
    services: options.services,
    bus: options.bus,
    ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
    ...(options.onProtocolError === undefined ? {} : { onProtocolError: options.onProtocolError }),
  });
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
