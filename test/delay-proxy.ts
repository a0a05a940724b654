/**
 * A TCP relay that delays every byte by half a round trip each way: the stand-in, in the
 * benchmark and in tests, for a network between a client and the service (MinIO on this machine
 * answers in well under a millisecond; a service a person uses is 10-100 ms away). Bytes are
 * passed on untouched and in order, each chunk once its time has come; the link has no
 * bandwidth limit and loses nothing, so what it adds is the wait a request's answer costs, which
 * is what many small files pay. A new connection's handshake is not delayed (the relay's own
 * system accepts it at once), where a real link charges a round trip for it. Listens on
 * 127.0.0.1 at a port the system chooses. Not test/fault-proxy.ts's `delay`: that one parses and
 * sends again each HTTP request over connections of its own, more CPU in the benchmark's process
 * (which every tool shares) and one delay a request, not one a round trip.
 */
import net from 'node:net';

/** A running relay: where to connect, and how to stop it. */
export interface DelayProxy {
  /** The relay's endpoint, in place of the service's (`http://127.0.0.1:<port>`). */
  endpoint: string;
  port: number;
  /** Connections it relayed so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Moves what `from` sends to `to`, each chunk `delayMs` after it arrived, in order. */
function relay(from: net.Socket, to: net.Socket, delayMs: number): void {
  const due: Array<{ at: number; chunk: Buffer | null }> = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const now = performance.now();
    while (due.length > 0 && (due[0]?.at ?? Infinity) <= now) {
      const { chunk } = due.shift() ?? { chunk: null };
      if (chunk === null) to.end();
      else to.write(chunk);
    }
    const next = due[0];
    if (next) timer = setTimeout(flush, Math.max(0, next.at - performance.now()));
  };
  const add = (chunk: Buffer | null) => {
    due.push({ at: performance.now() + delayMs, chunk });
    if (!timer) timer = setTimeout(flush, delayMs);
  };
  from.on('data', (chunk: Buffer) => add(chunk));
  from.on('end', () => add(null));
  from.on('close', () => {
    // A reset (not an end) ends the other side at once: nothing more can be sent on its behalf.
    if (from.destroyed && !from.readableEnded) to.destroy();
  });
}

/** Starts a relay to `target` (host and port) that adds `roundTripMs` to every exchange. */
export async function startDelayProxy(
  target: { host: string; port: number },
  roundTripMs: number,
): Promise<DelayProxy> {
  const oneWay = roundTripMs / 2;
  const open = new Set<net.Socket>();
  let count = 0;
  // Half-open: one side's end is passed on (late) by relay, not answered by Node at once with an
  // end of our own that would cut off the answer still on its way.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    count += 1;
    client.setNoDelay(true);
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    upstream.setNoDelay(true);
    open.add(client);
    open.add(upstream);
    const forget = (socket: net.Socket) => socket.on('close', () => open.delete(socket));
    forget(client);
    forget(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    relay(client, upstream, oneWay);
    relay(upstream, client, oneWay);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the delay proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
