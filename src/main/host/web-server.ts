import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus } from '../services/event-bus';
import type { ServiceHandlers } from '../services/handlers';
import { contentSecurityPolicy } from './content-security-policy';
import { readStaticFile } from './static-files';
import { attachWsHost } from './ws-host';

/** What web mode needs to serve: where the built renderer is, and the services. */
export interface WebServerOptions {
  staticRoot: string;
  services: ServiceHandlers;
  bus: EventBus;
  /** 0 (the default) lets the system choose a free port. */
  port?: number;
  /** A fixed token (tests); by default a new random one per start. */
  token?: string;
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
 * Web mode: one HTTP server on 127.0.0.1 serving the built renderer (with the app's CSP)
 * and, on the same port, the WebSocket host guarded by a one-time token and our Origin.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let csp = contentSecurityPolicy();
  const server: Server = createServer((request, response) => {
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
  csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`]);
  const ws = attachWsHost({
    server,
    token,
    allowedOrigins: [origin, `http://localhost:${port}`],
    services: options.services,
    bus: options.bus,
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
