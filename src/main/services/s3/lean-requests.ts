import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { extendedEncodeURIComponent } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { errorXmlText } from './error-xml';
import { EMPTY_SHA256, payloadHashFor } from './payload-hash';

/** How a client's own requests travel, for requests sent beside it: its agents and its idle timeout. */
export interface LeanRoute {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  /** Milliseconds without a byte from the server before the request fails (the client's socketTimeout). */
  socketTimeoutMs: number;
}

/** Where one bucket's objects are fetched, and who signs for them; null: only the SDK may (not plain SigV4 over HTTP(S)). */
type BucketTarget = {
  base: URL;
  signer: SignatureV4;
  /** Where to connect: the host without an IPv6 literal's brackets (they belong in the URL only), and the port if given. */
  connectTo: { hostname: string; port?: number };
  https: boolean;
} | null;

type RouteState = LeanRoute & { buckets: Map<string, Promise<BucketTarget>> };

const routes = new WeakMap<S3Client, RouteState>();

/**
 * Lets whole-object GETs and small PUTs through `client` skip the SDK's middleware stack
 * (leanGetObject, and kept-connections.ts). Only for clients that validate no response checksum and add
 * none the caller did not ask for (createS3Client: services other than AWS, "when required"),
 * so that such a request sends and checks exactly what the SDK's would.
 */
export function allowLeanRequests(client: S3Client, route: LeanRoute): void {
  routes.set(client, { ...route, buckets: new Map() });
}

/** What a lean GET's response says, in the GetObject output's names (the fields the downloads read). */
export interface LeanGetOutput {
  Body: IncomingMessage;
  ContentLength: number | undefined;
  ETag: string | undefined;
  LastModified: Date | undefined;
  ServerSideEncryption: string | undefined;
  /** The object's stored SHA-256 (base64, "-N" when composite), sent only when checksums were asked for. */
  ChecksumSHA256: string | undefined;
  /** The object's stored CRC32 (base64 of its 4 bytes, "-N" when composite), likewise. */
  ChecksumCRC32: string | undefined;
  /** FULL_OBJECT or COMPOSITE, where the service says which. */
  ChecksumType: string | undefined;
}

/**
 * The path of an object as the SDK sends it: the endpoint's path (the bucket's, path-style)
 * and the key's segments each percent-encoded, its slashes kept (S3's greedy `{Key+}` label).
 */
function leanObjectPath(base: URL, key: string): string {
  const keyPath = '/' + key.split('/').map(extendedEncodeURIComponent).join('/');
  return base.pathname === '/' ? keyPath : base.pathname + keyPath;
}

async function targetFor(client: S3Client, state: RouteState, bucket: string, key: string): Promise<BucketTarget> {
  let target = state.buckets.get(bucket);
  if (!target) {
    // The SDK's endpoint rules decide the URL (path or virtual-hosted style, the bucket's
    // region); they depend on the bucket, not the key (the SDK caches them the same way).
    target = getEndpointFromInstructions({ Bucket: bucket, Key: key }, GetObjectCommand, client.config).then(
      (endpoint) => {
        const scheme = endpoint.properties?.authSchemes?.[0] as
          { name?: string; signingName?: string; signingRegion?: string } | undefined;
        const url = endpoint.url;
        // Anything the SDK would add from the endpoint (a query, headers, user info) is left to it.
        const plain =
          (url.protocol === 'http:' || url.protocol === 'https:') &&
          url.search === '' &&
          url.username === '' &&
          url.password === '' &&
          Object.keys(endpoint.headers ?? {}).length === 0;
        if (scheme?.name !== 'sigv4' || !scheme.signingRegion || !plain) return null;
        // As S3's own signer: the path is signed as sent, not encoded a second time.
        const signer = new SignatureV4({
          credentials: client.config.credentials,
          region: scheme.signingRegion,
          service: scheme.signingName ?? 's3',
          sha256: client.config.sha256,
          uriEscapePath: false,
          applyChecksum: false,
        });
        return {
          base: url,
          signer,
          connectTo: {
            hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            ...(url.port === '' ? {} : { port: Number(url.port) }),
          },
          https: url.protocol === 'https:',
        };
      },
      () => null,
    );
    state.buckets.set(bucket, target);
  }
  return target;
}

/** One request for an object, signed, ready to be sent beside the SDK (see signedLeanRequest). */
export interface SignedLeanRequest {
  /** Where to connect. */
  connectTo: { hostname: string; port?: number };
  https: boolean;
  /** The request target: the object's path and its query. */
  target: string;
  /** Its headers, signed (Host among them). */
  headers: Record<string, string>;
  /** The client's agents and idle timeout. */
  route: LeanRoute;
}

/**
 * Signs one request for an object as the SDK would send it. Null when the client does not allow
 * lean requests or the bucket's endpoint is not plain SigV4 over HTTP(S).
 */
export async function signedLeanRequest(
  client: S3Client,
  bucket: string,
  key: string,
  request: { method: 'GET' | 'PUT'; headers: Record<string, string>; query?: Record<string, string> },
): Promise<SignedLeanRequest | null> {
  const state = routes.get(client);
  if (!state) return null;
  const target = await targetFor(client, state, bucket, key);
  if (!target) return null;
  const { base, signer, connectTo, https } = target;
  const path = leanObjectPath(base, key);
  const query = request.query ?? {};
  const search = Object.entries(query)
    .map(([name, value]) => `${extendedEncodeURIComponent(name)}=${extendedEncodeURIComponent(value)}`)
    .join('&');
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: base.protocol,
      hostname: base.hostname,
      ...(connectTo.port !== undefined ? { port: connectTo.port } : {}),
      path,
      query,
      headers: { host: base.host, ...request.headers },
    },
    { signingDate: new Date(Date.now() + (client.config.systemClockOffset ?? 0)) },
  );
  return {
    connectTo,
    https,
    target: search === '' ? path : `${path}?${search}`,
    headers: signed.headers,
    route: state,
  };
}

/**
 * Sends one signed request for an object and resolves with the response's head (its body
 * unread). Null when the client does not allow lean requests or the bucket's endpoint is not
 * plain SigV4 over HTTP(S).
 */
async function sendSigned(
  client: S3Client,
  bucket: string,
  key: string,
  request: { method: 'GET'; headers: Record<string, string>; query?: Record<string, string> },
  signal: AbortSignal | undefined,
): Promise<IncomingMessage | null> {
  const signed = await signedLeanRequest(client, bucket, key, request);
  if (!signed) return null;
  const { connectTo, https, route } = signed;
  const sentAt = Date.now();
  return new Promise<IncomingMessage>((resolve, reject) => {
    const send = https ? httpsRequest : httpRequest;
    const outgoing = send(
      {
        agent: https ? route.httpsAgent : route.httpAgent,
        ...connectTo,
        method: request.method,
        path: signed.target,
        headers: signed.headers,
        ...(signal ? { signal } : {}),
        timeout: route.socketTimeoutMs,
      },
      resolve,
    );
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('socket timeout'), { code: 'ETIMEDOUT' })));
    outgoing.on('error', reject);
    outgoing.end();
  }).then((response) => {
    sampleClock(client, response.headers, sentAt);
    return response;
  });
}

/**
 * As the SDK's signer does with every answer: the service's clock (its Date header) against
 * ours, kept as the client's offset, so that the next request is signed in the service's time
 * (a skewed clock otherwise fails every request with RequestTimeTooSkewed).
 */
export function sampleClock(client: S3Client, headers: IncomingMessage['headers'], sentAt: number): void {
  const date = headers.date;
  if (date === undefined || headers.age !== undefined) return;
  const serverTime = Date.parse(date);
  const now = Date.now();
  // A cached answer (Age), or one that took a quarter of an hour, says nothing of the clock now.
  if (Number.isNaN(serverTime) || now - sentAt > 900_000) return;
  client.config.systemClockOffset = serverTime - now;
}

/** The most of an error's body read for its code and message. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * A refusal (any answer but a 2xx) as the SDK throws it: the service's code as the error's name,
 * its message, the status and request id, so that the queue tells it apart and words it just
 * as for the SDK's requests (a 503 backs off and is retried, a 403 fails at once, a 400 for an
 * SSE-C object is asked again with the key).
 */
async function serviceError(response: IncomingMessage): Promise<Error> {
  let xml = '';
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (xml.length < ERROR_BODY_LIMIT) xml += chunk.toString('utf8');
    }
  } catch {
    // A cut error body still has its status.
  }
  return serviceErrorOf(response.statusCode, xml, headerOf(response, 'x-amz-request-id'));
}

/** A refusal as the SDK throws it (see serviceError), from its status, its body and its x-amz-request-id. */
export function serviceErrorOf(status: number | undefined, xml: string, requestIdHeader: string | undefined): Error {
  const code = errorXmlText(xml, 'Code');
  const requestId = errorXmlText(xml, 'RequestId') ?? requestIdHeader;
  return Object.assign(new Error(errorXmlText(xml, 'Message') ?? `The service answered HTTP ${status}.`), {
    ...(code ? { name: code, Code: code } : {}),
    $fault: status !== undefined && status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, ...(requestId ? { requestId } : {}) },
  });
}

/** Whether the service said yes: any 2xx, as the SDK reads an answer (the caller checks what came). */
function succeeded(response: IncomingMessage): boolean {
  const status = response.statusCode ?? 0;
  return status >= 200 && status < 300;
}

/** A response header's value, where the service sent exactly one. */
function headerOf(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * GETs a whole object (no Range, no version, no customer key) with one signed HTTP request and
 * none of the SDK's middleware, which costs more CPU than the request itself for a small file.
 * Undefined when the client does not allow it (the caller then sends the SDK's GetObject); a
 * refusal is thrown as the SDK throws it (serviceError). With `checksums`, the object's stored
 * SHA-256 comes too (x-amz-checksum-mode), for services known to take them.
 */
export async function leanGetObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
  options: { checksums?: boolean } = {},
): Promise<LeanGetOutput | undefined> {
  const headers: Record<string, string> = { 'x-amz-content-sha256': EMPTY_SHA256 };
  // Asks for the object's stored checksums: a download can check its bytes by one (see download-runner.ts).
  if (options.checksums) headers['x-amz-checksum-mode'] = 'ENABLED';
  const response = await sendSigned(client, bucket, key, { method: 'GET', headers }, signal);
  if (response === null) return undefined;
  if (!succeeded(response)) throw await serviceError(response);
  return { Body: response, ...getOutputOf((name) => headerOf(response, name)) };
}

/** A GET answer's headers in the GetObject output's names (all but the body); `header` gives one header's value. */
export function getOutputOf(header: (name: string) => string | undefined): Omit<LeanGetOutput, 'Body'> {
  const length = header('content-length');
  const modified = new Date(header('last-modified') ?? Number.NaN);
  return {
    ContentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
    ETag: header('etag'),
    LastModified: Number.isNaN(modified.getTime()) ? undefined : modified,
    ServerSideEncryption: header('x-amz-server-side-encryption'),
    ChecksumSHA256: header('x-amz-checksum-sha256'),
    ChecksumCRC32: header('x-amz-checksum-crc32'),
    ChecksumType: header('x-amz-checksum-type'),
  };
}

/** A small object to PUT beside the SDK: its bytes, their digests, and its type. */
export interface LeanPutInput {
  body: Buffer;
  /**
   * The SHA-256 of the body, signed as its payload hash (payloadHashFor), so the service checks
   * the bytes against it; undefined where its CRC32 alone is sent (over TLS).
   */
  sha256: Buffer | undefined;
  /**
   * The CRC32 of the body (4 bytes), sent as x-amz-checksum-crc32: with UNSIGNED-PAYLOAD over TLS
   * (no SHA-256), or beside the signed SHA-256 over plain HTTP.
   */
  crc32?: Buffer;
  contentType: string;
  /** Sent as Content-MD5 (base64), where the service is not sent checksums. */
  contentMd5?: Buffer;
}

/** What a lean PUT's response says, in the PutObject output's names (the fields the uploads read). */
export interface LeanPutOutput {
  ETag: string | undefined;
  ChecksumSHA256: string | undefined;
  ChecksumCRC32: string | undefined;
  ServerSideEncryption: string | undefined;
  SSECustomerAlgorithm: string | undefined;
}

/** A small PUT's headers (to be signed): its type, length and digests (see LeanPutInput). */
export function leanPutHeaders(input: LeanPutInput): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': input.contentType,
    'content-length': String(input.body.length),
    'x-amz-content-sha256': payloadHashFor(input.sha256, input.crc32 !== undefined ? 'crc32' : undefined),
  };
  if (input.contentMd5) headers['content-md5'] = input.contentMd5.toString('base64');
  if (input.crc32) headers['x-amz-checksum-crc32'] = input.crc32.toString('base64');
  return headers;
}

/** A PUT answer's headers in the PutObject output's names; `header` gives one header's value. */
export function putOutputOf(header: (name: string) => string | undefined): LeanPutOutput {
  return {
    ETag: header('etag'),
    ChecksumSHA256: header('x-amz-checksum-sha256'),
    ChecksumCRC32: header('x-amz-checksum-crc32'),
    ServerSideEncryption: header('x-amz-server-side-encryption'),
    SSECustomerAlgorithm: header('x-amz-server-side-encryption-customer-algorithm'),
  };
}

/** What a lean listing asks for: ListObjectsV2's parameters. */
export interface LeanListInput {
  prefix: string;
  delimiter: string | undefined;
  continuationToken: string | undefined;
  maxKeys: number;
}

/**
 * One ListObjectsV2 page with one signed HTTP request, its body as text: the SDK's middleware
 * and its reading of the answer cost the main process more CPU than the listing's own work (see
 * list-xml.ts). Undefined whenever the SDK should list instead: the client does not allow lean
 * requests, or the service did not answer 200 (the SDK then asks again and throws its own
 * error, or follows a redirect), or the connection failed (the SDK retries).
 */
export async function leanListObjectsV2(
  client: S3Client,
  bucket: string,
  input: LeanListInput,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const query: Record<string, string> = { 'list-type': '2' };
  if (input.continuationToken !== undefined) query['continuation-token'] = input.continuationToken;
  if (input.delimiter !== undefined) query.delimiter = input.delimiter;
  query['max-keys'] = String(input.maxKeys);
  if (input.prefix !== '') query.prefix = input.prefix;
  let response: IncomingMessage | null;
  try {
    response = await sendSigned(
      client,
      bucket,
      '',
      { method: 'GET', headers: { 'x-amz-content-sha256': EMPTY_SHA256 }, query },
      signal,
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
  if (response === null) return undefined;
  if (response.statusCode !== 200) {
    response.resume();
    return undefined;
  }
  try {
    const pieces: Buffer[] = [];
    for await (const piece of response as AsyncIterable<Buffer>) pieces.push(piece);
    return Buffer.concat(pieces).toString('utf8');
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}
