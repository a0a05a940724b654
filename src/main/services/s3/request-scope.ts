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
 * stack on every `send` (measured: most of the difference between 314–346 and 372–415 small
 * files a second up). Its own cache (`cacheMiddleware`) shares one handler, and with it one
 * context object, between every concurrent send of a command class: the context holds the
 * resolved endpoint, so concurrent PUTs to two buckets all went to one of them (the
 * "concurrent sends to two buckets" test shows it). So the app keeps its own handlers
 * (HandlerPool): each is used by one request at a time, and only for one bucket, so what a
 * request leaves in its context is what the next one would set again. A command with
 * middleware of its own, or a send with options other than a signal, takes the SDK's path.
 * The per-request wishes travel in an AsyncLocalStorage around the send, and middleware
 * installed once on the client reads them.
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

/** Calls `changed` whenever middleware is added to or removed from the client's stack. */
function onStackChange(client: S3Client, changed: () => void): void {
  const stack = client.middlewareStack as unknown as Record<string, unknown>;
  for (const method of ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag']) {
    const original = stack[method];
    if (typeof original !== 'function') continue;
    stack[method] = (...args: unknown[]) => {
      changed();
      return (original as (...a: unknown[]) => unknown).apply(stack, args);
    };
  }
}

/** A resolved middleware chain for one command class: called with the command, it sends it. */
type ResolvedHandler = (command: object) => Promise<{ output: unknown }>;

/** What a command offers to resolve its chain (the SDK's Command.resolveMiddleware). */
interface ResolvableCommand {
  input?: { Bucket?: unknown };
  middlewareStack?: { identify(): string[] };
  resolveMiddleware(stack: unknown, config: unknown, options: unknown): ResolvedHandler;
}

/** Above this many idle handlers in all, the pool starts afresh (a handler is a chain of closures). */
const MAX_IDLE_HANDLERS = 512;

/**
 * Resolved handlers kept for reuse, by command class and bucket, each lent to one request at a
 * time. A command with middleware of its own (its stack is empty until it is sent) is not pooled.
 */
function createHandlerPool(client: S3Client) {
  let idle = new Map<unknown, Map<string, ResolvedHandler[]>>();
  let idleCount = 0;
  const clear = () => {
    idle = new Map();
    idleCount = 0;
  };
  const giveBack = (generation: typeof idle, ctor: object, bucket: string, handler: ResolvedHandler) => {
    // A stack that changed meanwhile (clear) leaves this handler with the old chain: dropped.
    if (idle !== generation) return;
    if (idleCount >= MAX_IDLE_HANDLERS) {
      clear();
      return;
    }
    let buckets = idle.get(ctor);
    if (!buckets) idle.set(ctor, (buckets = new Map()));
    let free = buckets.get(bucket);
    if (!free) buckets.set(bucket, (free = []));
    free.push(handler);
    idleCount += 1;
  };
  return {
    clear,
    /** Sends through a pooled handler; undefined when the command must take the SDK's path. */
    send(command: ResolvableCommand): Promise<unknown> | undefined {
      if ((command.middlewareStack?.identify().length ?? 0) > 0) return undefined;
      const ctor = (command as { constructor: object }).constructor;
      const bucket = typeof command.input?.Bucket === 'string' ? command.input.Bucket : '';
      const generation = idle;
      let handler = generation.get(ctor)?.get(bucket)?.pop();
      if (handler) idleCount -= 1;
      else handler = command.resolveMiddleware(client.middlewareStack, client.config, undefined);
      const lent = handler;
      return lent(command).then(
        (result) => {
          giveBack(generation, ctor, bucket, lent);
          return result.output;
        },
        (error: unknown) => {
          giveBack(generation, ctor, bucket, lent);
          throw error;
        },
      );
    },
  };
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
 * `send(command)` go through a pooled handler, with the command's scope (and the signal) in an
 * AsyncLocalStorage that the HTTP handler, the retry strategy and two client-level middlewares
 * read. Sends with any other option keep the SDK's own path.
 */
export function installRequestScopes(client: S3Client): void {
  installedClients.add(client);
  const pool = createHandlerPool(client);
  onStackChange(client, () => pool.clear());
  const config = client.config as unknown as { retryStrategy: () => Promise<unknown> };
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
    const pooled = () => pool.send(command as ResolvableCommand) ?? send(command);
    // A send made while another is under way (from its middleware, its body stream) must not
    // inherit that one's scope: its hash, its counter or its signal.
    if (!scope && !signal && scopeStorage.getStore() === undefined) return pooled();
    return scopeStorage.run({ ...scope, ...(signal ? { abortSignal: signal } : {}) }, pooled);
  };
}
