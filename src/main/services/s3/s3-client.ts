import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createHash, X509Certificate } from 'node:crypto';
import { checkServerIdentity, createSecureContext, rootCertificates, type PeerCertificate } from 'node:tls';
import { S3Client, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-s3';
import type { BuildMiddleware } from '@smithy/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { allowLeanRequests } from './lean-requests';
import { adoptRoundTrips, createRoundTrips, SMALL_REQUESTS_AT_MOST, type RoundTrips } from './round-trips';

/**
 * Connections open at once per host: the small files' most parallelism (parallelLimits in
 * transfer-queue.ts: 64 near a service, up to 256 far from it), whose requests go through the
 * SDK where lean requests are not allowed (AWS) or a file has metadata; with fewer, the rest
 * would wait here for a socket while the queue counts them as running.
 */
const MAX_SOCKETS = SMALL_REQUESTS_AT_MOST;

/**
 * Makes `agent` time each request it sends on a kept socket, from the hand-over (its head is
 * written in the same turn) to its answer's head, into `roundTrips`: so the SDK's requests (on
 * AWS every small file's) and the lean ones beside it (a listing's pages) tell the queue the
 * round trip, as the app's own kept connections do (kept-connections.ts). `reuseSocket` is the
 * agent's documented hook for that hand-over. A request on a new socket is not timed (its time
 * includes connecting), nor one that waited for a socket (Node hands it one without asking the
 * agent): there are enough of the others within a minute.
 */
function timeReusedRequests<A extends HttpAgent>(agent: A, roundTrips: RoundTrips): A {
  const reuse = agent.reuseSocket.bind(agent);
  agent.reuseSocket = (socket, request) => {
    reuse(socket, request);
    const sentAt = performance.now();
    request.once('response', () => roundTrips.record(performance.now() - sentAt));
  };
  return agent;
}

/** What it takes to reach one S3 service; the credentials live here in main only. */
export interface S3ConnectionConfig {
  /** Empty for AWS itself (the SDK picks the endpoint from the region). */
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Extra trust anchors for TLS: a custom CA file's contents, or one pinned self-signed certificate (PEM). */
  extraCaPem?: string;
  /** A self-signed certificate the person trusted: accepted for this account whatever host name it names. */
  pinnedCertificatePem?: string;
  /** Milliseconds to wait for a TCP connection; short for a connection test. */
  connectionTimeoutMs?: number;
  /** Milliseconds without a byte from the server before a request fails. */
  requestTimeoutMs?: number;
}

/** True for Amazon's own endpoints (or none, which means AWS). */
export function isAwsEndpoint(endpoint: string): boolean {
  if (endpoint === '') return true;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'amazonaws.com' || host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn');
  } catch {
    return false;
  }
}

/** The SHA-256 fingerprint of a PEM certificate, as Node prints it (AA:BB:…). */
export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * An HTTPS agent that trusts the system's roots (Node's default) plus the account's extra
 * anchors, if it has any. A pinned self-signed certificate also passes the host-name check
 * (self-signed certificates for a home server rarely name the address it is reached at), but
 * only that exact certificate.
 */
export function httpsAgentFor(config: S3ConnectionConfig, roundTrips: RoundTrips): HttpsAgent {
  const extra = [config.extraCaPem, config.pinnedCertificatePem].filter((pem): pem is string => !!pem);
  if (extra.length === 0)
    return timeReusedRequests(new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }), roundTrips);
  const pinned = config.pinnedCertificatePem ? certificateFingerprint(config.pinnedCertificatePem) : undefined;
  return timeReusedRequests(
    new HttpsAgent({
      keepAlive: true,
      maxSockets: MAX_SOCKETS,
      // One context for the agent's every connection: given `ca`, Node builds a context (the
      // system's 118 roots and the extra ones parsed again) for each new connection, 5 ms of the
      // event loop each here.
      secureContext: createSecureContext({ ca: [...rootCertificates, ...extra] }),
      checkServerIdentity: (host: string, certificate: PeerCertificate) =>
        pinned !== undefined && certificate.fingerprint256 === pinned
          ? undefined
          : checkServerIdentity(host, certificate),
    }),
    roundTrips,
  );
}

/**
 * Commands whose checksums are the app's own choice (x-amz-checksum-crc32 or -sha256 of the
 * data, and a multipart upload's whole-object CRC32 and x-amz-checksum-type on completion, sent
 * only where the capability model says the service takes them); every other command that
 * carries a checksum does so because S3 requires one (httpChecksumRequired: DeleteObjects,
 * PutBucketVersioning, PutObjectTagging, PutObjectAcl, …).
 */
const dataChecksums = new Set(['PutObjectCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);

/**
 * For services other than AWS: requests that must carry a checksum carry Content-MD5, the
 * original S3 rule, instead of the SDK's CRC32 (x-amz-checksum-crc32 and
 * x-amz-sdk-checksum-algorithm, sent even "when required"), which Backblaze B2 and older
 * S3-compatible servers refuse ("Unsupported header"). Every S3 service accepts Content-MD5.
 */
function useContentMd5ForRequiredChecksums(client: S3Client): void {
  const middleware: BuildMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    const request = args.request as { headers?: Record<string, string>; body?: unknown } | undefined;
    const body = request?.body;
    if (
      request?.headers &&
      !dataChecksums.has(context.commandName ?? '') &&
      Object.keys(request.headers).some((name) => name.toLowerCase().startsWith('x-amz-checksum-')) &&
      (typeof body === 'string' || body instanceof Uint8Array)
    ) {
      for (const name of Object.keys(request.headers)) {
        const lower = name.toLowerCase();
        if (lower.startsWith('x-amz-checksum-') || lower === 'x-amz-sdk-checksum-algorithm') {
          delete request.headers[name];
        }
      }
      request.headers['content-md5'] = createHash('md5').update(body).digest('base64');
    }
    return next(args);
  };
  // Built after the SDK's checksum middleware (same step, normal priority), before signing.
  client.middlewareStack.add(middleware, {
    step: 'build',
    priority: 'low',
    name: 's3fmContentMd5ForRequiredChecksums',
  });
}

/**
 * Creates an S3 client for a connection. Non-AWS endpoints get checksums only when
 * required: the SDK's default CRC32 (since 3.729) breaks s3rver, R2, B2 and presigned PUTs
 * (see docs/architecture.md). Retries are the SDK's (3 attempts, with backoff). Its agents are
 * the app's own, so that requests sent beside the SDK (lean-requests.ts) share its connections,
 * and they time the requests on kept sockets into `roundTrips`, the client's (roundTripsOf), read
 * by the transfer queue.
 */
export function createS3Client(config: S3ConnectionConfig, roundTrips: RoundTrips = createRoundTrips()): S3Client {
  const aws = isAwsEndpoint(config.endpoint);
  const httpsAgent = httpsAgentFor(config, roundTrips);
  const httpAgent = timeReusedRequests(new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }), roundTrips);
  const socketTimeoutMs = config.requestTimeoutMs ?? 60_000;
  const client = new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    ...(aws ? {} : { endpoint: config.endpoint }),
    ...(aws ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({
      httpAgent,
      httpsAgent,
      connectionTimeout: config.connectionTimeoutMs ?? 10_000,
      // "No byte for this long": requestTimeout only logs a warning in @smithy/node-http-handler 4, so a
      // server that stops answering would hang the app; the socket idle timeout fails the request.
      socketTimeout: socketTimeoutMs,
    }),
  });
  adoptRoundTrips(client, roundTrips);
  if (!aws) {
    useContentMd5ForRequiredChecksums(client);
    // On AWS the SDK validates a GET's checksum where the object has one; a lean GET would not.
    allowLeanRequests(client, { httpAgent, httpsAgent, socketTimeoutMs });
  }
  return client;
}

/** Reads a CA certificate file for an account, with an error a person can act on. */
export async function readCaFile(path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch {
    throw new Error(`The CA certificate file ${path} cannot be read. Check the path and its permissions.`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`The file ${path} is not a PEM certificate (it should start with -----BEGIN CERTIFICATE-----).`);
  }
  return pem;
}

/**
 * A client that only signs URLs (presigned GET, PUT, POST) and never sends a request. Its
 * checksums are "when required" on every endpoint, AWS included: with the SDK's default a
 * presigned PUT carries the CRC32 of an empty body (x-amz-checksum-crc32 and
 * x-amz-sdk-checksum-algorithm in the query), which makes every real upload through it fail,
 * and a presigned GET asks for checksum mode. `endpoint` may be the account's share-links host.
 */
export function createPresigningClient(
  config: Pick<S3ConnectionConfig, 'endpoint' | 'region' | 'forcePathStyle' | 'credentials'>,
): S3Client {
  return new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // As createS3Client: on AWS the SDK derives the endpoint (and virtual-hosted style) from the region.
    ...(isAwsEndpoint(config.endpoint) ? {} : { endpoint: config.endpoint }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
