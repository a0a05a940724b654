import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable, Transform, pipeline } from 'node:stream';
import type { S3Client, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';
import type { DeserializeMiddleware, BuildMiddleware, RetryStrategyV2 } from '@smithy/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * What one `send` asks beyond its command: the transfer queue's single attempt (the queue
 * retries, counts and shows each attempt itself), the body's bytes reported as the socket takes
 * them, a payload hash computed beforehand, and the signal that ends the request.
 */
export interface RequestScope {
  abortSignal?: AbortSignal;
  singleAttempt?: boolean;
  onBodyBytes?: (bytes: number) => void;
  /** Hex SHA-256 of the body, signed as x-amz-content-sha256 instead of hashing the body again. */
  payloadSha256Hex?: string;
}

/**
 * Why a scope and not per-command middleware: the SDK resolves a command's whole middleware
 * stack on every `send` unless the client caches it (`cacheMiddleware`), and it caches only for
 * commands sent without options and without middleware of their own. Resolving costs about as
 * much CPU as signing a small request (measured: 1.5–2 ms of 4.5 ms per small PUT), which
 * matters when the app and a local server share two cores. So the per-request wishes travel in
 * an AsyncLocalStorage around the send, and middleware installed once on the client reads them.
 */
const scopeStorage = new AsyncLocalStorage<RequestScope>();
const commandScopes = new WeakMap<object, RequestScope>();
const installedClients = new WeakSet<object>();

/** The scope a command will be sent with (made on first use); singleAttempt and withPayloadSha256 fill it. */
export function scopeOfCommand(command: object): RequestScope {
  let scope = commandScopes.get(command);
  if (!scope) {
    scope = {};
    commandScopes.set(command, scope);
  }
  return scope;
}

/** The scope of the request being sent in this async context, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return scopeStorage.getStore();
}

/** True once installRequestScopes ran on the client: its sends honour command scopes. */
export function honoursRequestScopes(client: object): boolean {
  return installedClients.has(client);
}

/** A Node HTTP handler that takes the abort signal from the request's scope when `send` was given none. */
export class ScopedNodeHttpHandler extends NodeHttpHandler {
  /** As NodeHttpHandler.handle, with the scope's signal. */
  override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const signal = options?.abortSignal ?? scopeStorage.getStore()?.abortSignal;
    return super.handle(request, signal ? { ...options, abortSignal: signal } : options);
  }
}

/**
 * The SDK keeps a resolved handler per command class once `cacheMiddleware` is on, and does not
 * notice middleware added to the client afterwards (a connection test's recorder, a test's
 * hook): every change to the client's stack drops the cache.
 */
function forgetCachedHandlersOnChange(client: S3Client): void {
  const stack = client.middlewareStack as unknown as Record<string, unknown>;
  for (const method of ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag', 'applyToStack']) {
    const original = stack[method];
    if (typeof original !== 'function') continue;
    stack[method] = (...args: unknown[]) => {
      delete (client as unknown as { handlers?: unknown }).handlers;
      return (original as (...a: unknown[]) => unknown).apply(stack, args);
    };
  }
}

/** Wraps the client's retry strategy so that a single-attempt scope never retries. */
function singleAttemptAwareRetries(strategy: RetryStrategyV2): RetryStrategyV2 {
  return {
    acquireInitialRetryToken: (scope) => strategy.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: async (token, errorInfo) => {
      const scope = scopeStorage.getStore();
      if (scope?.singleAttempt) throw new Error('single attempt: the transfer queue retries this request itself');
      const next = await strategy.refreshRetryTokenForRetry(token, errorInfo);
      const signal = scope?.abortSignal;
      const delay = next.getRetryDelay();
      if (!signal || delay <= 0) return next;
      // The SDK races its back-off with the signal it was given in send options, which the
      // scope replaces: wait here instead, so that a cancel does not wait out the back-off.
      await waitUnlessAborted(delay, signal);
      return Object.create(next, { getRetryDelay: { value: () => 0 } }) as typeof next;
    },
    recordSuccess: (token) => strategy.recordSuccess(token),
  };
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The body's bytes reported as the socket takes them, in slices; the request object is copied, not changed. */
const BODY_SLICE = 512 * 1024;

function* slices(body: Uint8Array, onBytes: (bytes: number) => void): Generator<Buffer> {
  for (let offset = 0; offset < body.byteLength; offset += BODY_SLICE) {
    const slice = Buffer.from(body.buffer, body.byteOffset + offset, Math.min(BODY_SLICE, body.byteLength - offset));
    onBytes(slice.byteLength);
    yield slice;
  }
}

function countedBody(body: unknown, onBodyBytes: (bytes: number) => void): unknown {
  if (body instanceof Uint8Array && body.byteLength > 0) {
    return Readable.from(slices(body, onBodyBytes), { objectMode: false, highWaterMark: BODY_SLICE });
  }
  if (body instanceof Readable) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        onBodyBytes(chunk.length);
        done(null, chunk);
      },
    });
    // pipeline: an error reading the file fails the request instead of hanging it.
    return pipeline(body, counter, () => undefined);
  }
  return body;
}

/**
 * Makes a client honour request scopes: `send(command, { abortSignal })` and a plain
 * `send(command)` go through the client's cached middleware, with the command's scope (and the
 * signal) in an AsyncLocalStorage that the handler, the retry strategy and two client-level
 * middlewares read. Sends with any other option keep the SDK's own path.
 */
export function installRequestScopes(client: S3Client): void {
  installedClients.add(client);
  forgetCachedHandlersOnChange(client);
  const config = client.config as unknown as {
    cacheMiddleware?: boolean;
    retryStrategy: () => Promise<unknown>;
  };
  config.cacheMiddleware = true;
  const resolveStrategy = config.retryStrategy;
  let wrapped: Promise<unknown> | undefined;
  config.retryStrategy = () =>
    (wrapped ??= resolveStrategy().then((strategy) =>
      strategy && typeof (strategy as RetryStrategyV2).refreshRetryTokenForRetry === 'function'
        ? singleAttemptAwareRetries(strategy as RetryStrategyV2)
        : strategy,
    ));

  // Before signing (build step, low priority, as the checksum rewrite): a hash known beforehand.
  const payloadHash: BuildMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => (args) => {
    const hex = scopeStorage.getStore()?.payloadSha256Hex;
    const request = args.request as { headers?: Record<string, string> } | undefined;
    if (hex && request?.headers) request.headers['x-amz-content-sha256'] = hex;
    return next(args);
  };
  client.middlewareStack.add(payloadHash, { step: 'build', priority: 'low', name: 's3fmPayloadSha256' });

  // Innermost (deserialize step, low priority): the request is signed already, so the body's hash
  // and Content-Length were computed from the bytes; only how they travel changes. A copy of the
  // request carries the counted body, so that the retry middleware still sees bytes, not a stream.
  const bodyProgress: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => (args) => {
    const onBodyBytes = scopeStorage.getStore()?.onBodyBytes;
    const request = args.request as { body?: unknown } | undefined;
    if (!onBodyBytes || !request || request.body === undefined) return next(args);
    const copy = Object.assign(Object.create(Object.getPrototypeOf(request) as object) as object, request, {
      body: countedBody(request.body, onBodyBytes),
    });
    return next({ ...args, request: copy });
  };
  client.middlewareStack.add(bodyProgress, { step: 'deserialize', priority: 'low', name: 's3fmBodyProgress' });

  const send = client.send.bind(client) as (command: object, options?: unknown) => Promise<unknown>;
  (client as unknown as { send: unknown }).send = (
    command: object,
    optionsOrCallback?: unknown,
    callback?: unknown,
  ) => {
    if (typeof optionsOrCallback === 'function' || callback !== undefined) {
      return (send as (...args: unknown[]) => unknown)(command, optionsOrCallback, callback);
    }
    const options = optionsOrCallback as { abortSignal?: AbortSignal } | undefined;
    const onlySignal = options === undefined || Object.keys(options).every((key) => key === 'abortSignal');
    if (!onlySignal) return send(command, options);
    const scope = commandScopes.get(command);
    const signal = options?.abortSignal;
    // A send made while another is under way (from its middleware, its body stream) must not
    // inherit that one's scope: its hash, its counter or its signal.
    if (!scope && !signal && scopeStorage.getStore() === undefined) return send(command);
    return scopeStorage.run({ ...scope, ...(signal ? { abortSignal: signal } : {}) }, () => send(command));
  };
}
