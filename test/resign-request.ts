/**
 * Signs a proxied request again (AWS Signature V4) after the proxy changed one of its signed
 * headers, with the same credentials, region, date, host and list of signed headers as the
 * client used. The payload hash is the client's `x-amz-content-sha256` as sent, so the body is
 * never read: a streamed upload stays streamed.
 *
 * Why: the provider profiles show the client ETags the server never issued (AWS SSE-KMS, GCS
 * multipart); a conditional request that carries one (If-Match on a ranged download) must
 * reach the server with the ETag the server knows, and If-Match is a signed header.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** The key pair the client signs with; the proxy needs it only to sign changed requests again. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 and HMAC-SHA-256 in the shape @smithy/signature-v4 wants, from node:crypto. */
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

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=[0-9a-f]+$/;

/** Splits a raw query string into decoded keys and values (no `+` rule: SigV4 clients send %20). */
function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/** `20250101T120000Z` → Date. */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`not an x-amz-date: ${value}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/**
 * Returns `changed` with a fresh Authorization for it, signed as the client signed the
 * original request (`url` is the request target as received). Throws when the original was not
 * signed with an Authorization header (presigned URLs are not supported) or with other keys.
 */
export async function resignHeaders(
  request: { method: string; url: string },
  changed: IncomingHttpHeaders,
  credentials: SigningCredentials,
): Promise<IncomingHttpHeaders> {
  const authorization = changed.authorization;
  const m = typeof authorization === 'string' ? AUTHORIZATION.exec(authorization) : null;
  if (!m) throw new Error('only requests signed with an AWS4-HMAC-SHA256 Authorization header can be signed again');
  const [, accessKeyId, , region, service, signedList] = m;
  if (accessKeyId !== credentials.accessKeyId) throw new Error('the request was signed with other credentials');
  const amzDate = changed['x-amz-date'];
  if (typeof amzDate !== 'string') throw new Error('the request has no x-amz-date');

  const signedNames = (signedList ?? '').split(';');
  const toSign: Record<string, string> = {};
  for (const name of signedNames) {
    const value = changed[name];
    if (value !== undefined) toSign[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryAt = request.url.indexOf('?');
  const signer = new SignatureV4({
    credentials,
    region: region ?? 'us-east-1',
    service: service ?? 's3',
    sha256: Sha256,
    // S3 signs the path as sent, without encoding it a second time.
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: String(changed.host ?? ''),
      path: queryAt < 0 ? request.url : request.url.slice(0, queryAt),
      query: parseQuery(queryAt < 0 ? '' : request.url.slice(queryAt + 1)),
      headers: toSign,
    },
    { signingDate: parseAmzDate(amzDate), signableHeaders: new Set(signedNames) },
  );
  return { ...changed, authorization: signed.headers.authorization };
}
