/**
 * The Host header values web mode answers to: the loopback address it listens on and `localhost`,
 * with its port (and without it on port 80, where browsers leave the default port out). Anything
 * else is a page that reached 127.0.0.1 under another name, as DNS rebinding does
 * (https://en.wikipedia.org/wiki/DNS_rebinding): its Origin would then look like its own host.
 */
export function loopbackHosts(port: number): string[] {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return port === 80 ? [...hosts, '127.0.0.1', 'localhost'] : hosts;
}

/** True when a request's Host header is one of `allowedHosts` (letter case aside, as host names go). */
export function isAllowedHost(hostHeader: string | undefined, allowedHosts: readonly string[]): boolean {
  return hostHeader !== undefined && allowedHosts.includes(hostHeader.toLowerCase());
}

/** The HTTP status for a request to another host name: 421 Misdirected Request (RFC 9110 §15.5.20). */
export const MISDIRECTED_STATUS = 421;

/** The sentence a refused Host gets, naming the addresses that work. */
export function misdirectedMessage(hostHeader: string | undefined, allowedHosts: readonly string[]): string {
  const given = hostHeader === undefined ? 'no Host header' : `Host ${JSON.stringify(hostHeader.slice(0, 100))}`;
  return (
    `This app answers only at ${allowedHosts.map((host) => `http://${host}/`).join(' or ')}; ` +
    `a request with ${given} is refused, so that a web page under another name cannot reach it.\n`
  );
}
