/**
 * A proxy in front of MinIO that shows some objects under keys MinIO refuses to store but
 * AWS S3 accepts: '..' segments ("a/../../b"), a leading '/', empty segments ("a//b"). The
 * objects live in MinIO under harmless keys; the proxy renames them in listings and maps
 * requests for the shown keys to the stored ones, signing each forwarded request again
 * (SigV4) since its path changed. Everything is read from the real server; only names differ.
 * Bodiless requests only (listings, HEAD, GET): enough for downloads.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

/** A running key proxy. */
export interface KeyAliasProxy {
  url: string;
  /** Every request path the proxy received, as sent (percent-decoded), with its method. */
  readonly requests: readonly { method: string; path: string }[];
  stop(): Promise<void>;
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 (and HMAC-SHA-256 with a secret) in the shape the SigV4 signer wants. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const xmlEscape = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** Percent-encodes a path segment as SigV4's canonical URI wants it (RFC 3986 unreserved kept). */
const encodeSegment = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Headers the proxy passes on (and signs again): what downloads send. */
const passed = ['range', 'if-match', 'if-none-match'];

/** Starts the proxy: `aliases` maps each shown key to the key it is stored under in MinIO. */
export async function startKeyAliasProxy(options: {
  target: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  aliases: Record<string, string>;
  /** Shown listing prefix → stored prefix ("/" → "slash/"), for folders whose shown name MinIO refuses. */
  prefixAliases?: Record<string, string>;
}): Promise<KeyAliasProxy> {
  const target = new URL(options.target);
  const storedFor = new Map(Object.entries(options.aliases));
  const shownFor = new Map(Object.entries(options.aliases).map(([shown, stored]) => [stored, shown]));
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    region: options.region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const requests: { method: string; path: string }[] = [];
  const agent = new http.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const raw = req.url ?? '/';
      const queryAt = raw.indexOf('?');
      const rawPath = queryAt < 0 ? raw : raw.slice(0, queryAt);
      const query = new URLSearchParams(queryAt < 0 ? '' : raw.slice(queryAt + 1));
      const decoded = decodeURIComponent(rawPath);
      requests.push({ method, path: decoded });
      if (!['GET', 'HEAD'].includes(method)) {
        res.writeHead(501).end();
        return;
      }
      req.resume();
      // "/bucket/key": the key is everything after the bucket, '..' and empty segments included.
      const slash = decoded.indexOf('/', 1);
      const bucket = slash < 0 ? decoded.slice(1) : decoded.slice(1, slash);
      const key = slash < 0 ? undefined : decoded.slice(slash + 1);
      const storedKey = key === undefined || key === '' ? undefined : (storedFor.get(key) ?? key);
      const shownPrefix = query.get('prefix');
      const storedPrefix = shownPrefix === null ? undefined : options.prefixAliases?.[shownPrefix];
      if (storedPrefix !== undefined) query.set('prefix', storedPrefix);
      const path =
        `/${encodeSegment(bucket)}` +
        (storedKey === undefined ? '' : `/${storedKey.split('/').map(encodeSegment).join('/')}`);
      const headers: Record<string, string> = {
        host: target.host,
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      };
      for (const name of passed) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const signed = await signer.sign({
        method,
        protocol: 'http:',
        hostname: target.hostname,
        port: Number(target.port),
        path,
        query: Object.fromEntries(query),
        headers,
      });
      const search = query.toString().replace(/\+/g, '%20');
      const upstream = http.request(
        {
          host: target.hostname,
          port: Number(target.port),
          method,
          path: `${path}${search ? `?${search}` : ''}`,
          headers: signed.headers,
          agent,
        },
        (upRes) => {
          const listing = method === 'GET' && storedKey === undefined;
          if (!listing) {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
            return;
          }
          const chunks: Buffer[] = [];
          upRes.on('data', (chunk: Buffer) => chunks.push(chunk));
          upRes.on('end', () => {
            let body = Buffer.concat(chunks).toString('utf8');
            for (const [stored, shown] of shownFor) {
              body = body.split(`<Key>${xmlEscape(stored)}</Key>`).join(`<Key>${xmlEscape(shown)}</Key>`);
            }
            if (storedPrefix !== undefined && shownPrefix !== null) {
              body = body
                .split(`<Prefix>${xmlEscape(storedPrefix)}</Prefix>`)
                .join(`<Prefix>${xmlEscape(shownPrefix)}</Prefix>`);
            }
            const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = upRes.headers;
            res.writeHead(upRes.statusCode ?? 502, { ...rest, 'content-length': Buffer.byteLength(body) });
            res.end(body);
          });
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end();
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
