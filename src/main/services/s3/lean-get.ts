import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { extendedEncodeURIComponent } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';

/** The SHA-256 of an empty body: a GET's payload hash, as the SDK signs it. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** How a client's own requests travel, for GETs sent beside it: its agents and its idle timeout. */
export interface LeanRoute {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  /** Milliseconds without a byte from the server before the request fails (the client's socketTimeout). */
  socketTimeoutMs: number;
}

/** Where one bucket's objects are fetched, and who signs for them; null: only the SDK may (not plain SigV4 over HTTP(S)). */
type BucketTarget = { base: URL; signer: SignatureV4 } | null;

type RouteState = LeanRoute & { buckets: Map<string, Promise<BucketTarget>> };

const routes = new WeakMap<S3Client, RouteState>();

/**
 * Lets GETs of whole objects through `client` skip the SDK's middleware stack (leanGetObject).
 * Only for clients that validate no response checksum (createS3Client: services other than
 * AWS, "when required"), so that such a GET checks exactly what the SDK's would.
 */
export function allowLeanGets(client: S3Client, route: LeanRoute): void {
  routes.set(client, { ...route, buckets: new Map() });
}

/** What a lean GET's response says, in the GetObject output's names (the fields the downloads read). */
export interface LeanGetOutput {
  Body: IncomingMessage;
  ContentLength: number | undefined;
  ETag: string | undefined;
  LastModified: Date | undefined;
  ServerSideEncryption: string | undefined;
}

/**
 * The path of an object as the SDK sends it: the endpoint's path (the bucket's, path-style)
 * and the key's segments each percent-encoded, its slashes kept (S3's greedy `{Key+}` label).
 */
export function leanObjectPath(base: URL, key: string): string {
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
          | { name?: string; signingName?: string; signingRegion?: string }
          | undefined;
        const url = endpoint.url;
        if (scheme?.name !== 'sigv4' || !scheme.signingRegion || (url.protocol !== 'http:' && url.protocol !== 'https:'))
          return null;
        // As S3's own signer: the path is signed as sent, not encoded a second time.
        const signer = new SignatureV4({
          credentials: client.config.credentials,
          region: scheme.signingRegion,
          service: scheme.signingName ?? 's3',
          sha256: client.config.sha256,
          uriEscapePath: false,
          applyChecksum: false,
        });
        return { base: url, signer };
      },
      () => null,
    );
    state.buckets.set(bucket, target);
  }
  return target;
}

/**
 * GETs a whole object (no Range, no version, no customer key) with one signed HTTP request and
 * none of the SDK's middleware, which costs more CPU than the request itself for a small file.
 * Undefined when the client does not allow it or the service did not answer 200: the caller
 * then sends the SDK's GetObject, which says what went wrong in the SDK's terms (and adjusts
 * for clock skew, follows the service's redirect, or asks for a customer key).
 */
export async function leanGetObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<LeanGetOutput | undefined> {
  const state = routes.get(client);
  if (!state) return undefined;
  const target = await targetFor(client, state, bucket, key);
  if (!target) return undefined;
  const { base, signer } = target;
  const path = leanObjectPath(base, key);
  const port = base.port === '' ? undefined : Number(base.port);
  const signed = await signer.sign(
    {
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(port !== undefined ? { port } : {}),
      path,
      query: {},
      headers: { host: base.host, 'x-amz-content-sha256': EMPTY_SHA256 },
    },
    { signingDate: new Date(Date.now() + (client.config.systemClockOffset ?? 0)) },
  );
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(
      {
        agent: base.protocol === 'https:' ? state.httpsAgent : state.httpAgent,
        // An IPv6 literal's brackets belong in the URL, not in the address to connect to.
        hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
        ...(port !== undefined ? { port } : {}),
        method: 'GET',
        path,
        headers: signed.headers,
        signal,
        timeout: state.socketTimeoutMs,
      },
      resolve,
    );
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('socket timeout'), { code: 'ETIMEDOUT' })));
    outgoing.on('error', reject);
    outgoing.end();
  });
  if (response.statusCode !== 200) {
    // The SDK asks again and reads the error; this answer is drained so its connection is reused.
    response.resume();
    return undefined;
  }
  const header = (name: string): string | undefined => {
    const value = response.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const length = header('content-length');
  const modified = new Date(header('last-modified') ?? Number.NaN);
  return {
    Body: response,
    ContentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
    ETag: header('etag'),
    LastModified: Number.isNaN(modified.getTime()) ? undefined : modified,
    ServerSideEncryption: header('x-amz-server-side-encryption'),
  };
}
