/**
 * A fault-injecting HTTP reverse proxy for tests: it stands in front of the real S3 server
 * (plain HTTP) and, for the requests that match a rule, shows a fault that a server cannot
 * be made to show: an error status (a 503 storm), a connection cut mid-part, a lost
 * response, a stalled or slow server, a slow link. Everything else passes through untouched.
 *
 * The Host header is forwarded unchanged: the client signs SigV4 for the proxy's host:port,
 * and the server checks the signature against the Host it receives, so signing still works.
 * Bodies are streamed, never buffered (parts are 5 MiB and more), except the small ones a
 * transform asks to see (see {@link ExchangeTransform}: how test/provider-profiles.ts makes
 * the server answer as another S3 service does).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a matching request gets instead of a clean pass-through. */
export type FaultKind =
  /** Answer with an S3-style XML error body; the request is not forwarded. */
  | { kind: 'status'; status: number; code: string; message?: string }
  /**
   * Forward the request, but destroy both sockets once this many bytes of the REQUEST body
   * went upstream (a connection cut mid-part). 0 cuts at once, before anything is forwarded.
   * A body shorter than afterBytes is forwarded whole and the cut comes before the response
   * is relayed: the server may have acted on the request, the client never hears of it.
   */
  | { kind: 'cut'; afterBytes: number }
  /** Forward, but destroy the client socket after this many bytes of the RESPONSE body (0: right after the headers). */
  | { kind: 'cut-response'; afterBytes: number }
  /** Accept the request and never answer; with ms, answer nothing for ms, then destroy the socket. */
  | { kind: 'stall'; ms?: number }
  /** Wait ms, then forward normally. */
  | { kind: 'delay'; ms: number }
  /**
   * Forward, but with one byte of the REQUEST body changed (at this offset): damage on the way
   * that nothing below HTTP caught. The service must refuse it by its checksums.
   */
  | { kind: 'flip'; atByte: number }
  /** Forward, but with one byte of the RESPONSE body changed (at this offset). */
  | { kind: 'flip-response'; atByte: number };

/** What a rule's predicate sees of a request. */
export interface MatchableRequest {
  method: string;
  /** The request target as received (`/bucket/key?query`, still percent-encoded): what the client signed. */
  url: string;
  /** The URL path, percent-decoded (so a key can be matched as it is written). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** How many requests its connection carried before it (0: the first on a new connection). */
  earlier: number;
}

/** Which requests get which fault, and how many of them. */
export interface FaultRule {
  /** All given conditions must hold. */
  match: {
    /** HTTP method, case-insensitive. */
    method?: string;
    /** A substring of the percent-decoded path (`/bucket/key`). */
    pathIncludes?: string;
    /** The name of a query parameter that must be present (`uploadId`, `partNumber`, `delete`). */
    queryHas?: string;
    /** The name of a header that must be present, case-insensitive (`x-amz-copy-source`). */
    header?: string;
    predicate?: (r: MatchableRequest) => boolean;
  };
  /** How many matching requests this rule affects (default: all); later matches pass through. */
  times?: number;
  fault: FaultKind;
}

/** One request the proxy saw, and what became of it. */
export interface RecordedRequest {
  method: string;
  /** The request target as received, still percent-encoded. */
  url: string;
  /** The URL path, percent-decoded. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** How many requests its connection carried before it (0: the first on a new connection). */
  earlier: number;
  /** The status the client got (forwarded or injected); null when it got none (cut, stall). */
  status: number | null;
  faulted: FaultKind['kind'] | null;
  /** What the transform did: answered the request itself, or changed what was forwarded or returned. */
  transformed: 'refused' | 'edited' | null;
}

/** An S3-style XML error the proxy answers with in place of the server. */
export interface ProxyErrorAnswer {
  status: number;
  code: string;
  message: string;
}

/** A response from the server as a transform sees it, before it is relayed. */
export interface UpstreamResponse {
  status: number;
  /** Lower-case names. */
  headers: http.IncomingHttpHeaders;
}

/** How to change a response before it reaches the client. */
export interface ResponseEdit {
  /** Headers to set (lower-case names); `null` removes one. */
  headers?: Record<string, string | null>;
  /**
   * Rewrites the body. Only for small bodies (XML listings and results): a body over
   * MAX_REWRITTEN_BODY bytes is relayed unchanged rather than held in memory.
   */
  rewriteBody?: (body: Buffer) => Buffer | string;
}

/** What a transform decided about one request. */
export interface RequestVerdict {
  /** Answer with this error; nothing is forwarded. */
  refuse?: ProxyErrorAnswer;
  /**
   * Forward with these headers instead of the client's. A signed header cannot change without
   * a new signature: the transform signs again what it changes (test/resign-request.ts).
   */
  headers?: http.IncomingHttpHeaders;
  /** Called with the server's response to this request, to change it. */
  onResponse?: (res: UpstreamResponse) => ResponseEdit | undefined;
}

/**
 * A hook that sees every request the proxy forwards (after faults are decided) and may refuse
 * it, change its headers, or change its response. Streaming-safe: bodies pass through untouched
 * unless `wantsBody` asks for a small one.
 */
export interface ExchangeTransform {
  /** Whether to read the request body before `onRequest` (honoured up to MAX_INSPECTED_BODY bytes, by Content-Length). */
  wantsBody?(r: MatchableRequest): boolean;
  onRequest(
    r: MatchableRequest,
    body: Buffer | undefined,
  ): RequestVerdict | undefined | Promise<RequestVerdict | undefined>;
}

/** A running proxy. */
export interface FaultProxy {
  /** e.g. http://127.0.0.1:41234 — use it as the S3 endpoint. */
  url: string;
  port: number;
  /** Every request seen, in order (faulted ones too). */
  readonly requests: readonly RecordedRequest[];
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Optional bandwidth cap in bytes/s for request bodies (to make transfers slow enough to pause in tests); null = none. */
  setThrottle(bytesPerSecond: number | null): void;
  stop(): Promise<void>;
}

/**
 * Headers that belong to one connection, not to the request (RFC 9110 §7.6.1), and
 * `expect`: this proxy already answers 100-continue itself. None of them is signed by
 * SigV4 (the SDK never signs connection, expect or transfer-encoding).
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** The slice a throttled body is written in, per second of allowance: small enough to keep the rate smooth. */
const THROTTLE_SLICES_PER_SECOND = 20;

/** The largest request body a transform may read before forwarding (CompleteMultipartUpload lists are far smaller). */
const MAX_INSPECTED_BODY = 1024 * 1024;

/** The largest response body a transform may rewrite (a 1000-key listing is well under this). */
const MAX_REWRITTEN_BODY = 8 * 1024 * 1024;

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The client's socket, remembered when the request arrived: `req.socket` is null once the request is done with it. */
const clientSockets = new WeakMap<http.IncomingMessage, Socket>();

function clientSocket(req: http.IncomingMessage): Socket {
  const socket = clientSockets.get(req);
  if (!socket) throw new Error('request seen before the proxy registered its socket');
  return socket;
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

function matches(rule: FaultRule, r: MatchableRequest): boolean {
  const m = rule.match;
  if (m.method !== undefined && m.method.toUpperCase() !== r.method.toUpperCase()) return false;
  if (m.pathIncludes !== undefined && !r.path.includes(m.pathIncludes)) return false;
  if (m.queryHas !== undefined && !r.query.has(m.queryHas)) return false;
  if (m.header !== undefined && r.headers[m.header.toLowerCase()] === undefined) return false;
  if (m.predicate !== undefined && !m.predicate(r)) return false;
  return true;
}

function forwardedHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function responseHeaders(rawHeaders: string[], edit?: Record<string, string | null>): string[] {
  const out: string[] = [];
  const pending = new Map(Object.entries(edit ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    if (!pending.has(lower)) {
      out.push(name, rawHeaders[i + 1] ?? '');
      continue;
    }
    // Replaced once, in the place of its first occurrence; later duplicates are dropped.
    const value = pending.get(lower);
    pending.delete(lower);
    if (value !== null && value !== undefined) out.push(name, value);
  }
  for (const [name, value] of pending) if (value !== null) out.push(name, value);
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a proxy for `target` (e.g. a MinIO's http://127.0.0.1:port) on 127.0.0.1, on a port the OS picks. */
export async function startFaultProxy(options: {
  target: string;
  /** Changes requests and responses on their way (provider dialects); faults are decided first. */
  transform?: ExchangeTransform;
}): Promise<FaultProxy> {
  const transform = options.transform;
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`the fault proxy forwards plain HTTP only, not ${target.protocol}`);
  const upstreamPort = Number(target.port || 80);
  const upstreamHost = target.hostname;

  const rules: ActiveRule[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  /** How many requests each client connection carried so far. */
  const requestsOn = new WeakMap<Socket, number>();
  const timers = new Set<NodeJS.Timeout>();
  // Its own agent, so that stop() can close the upstream connections it kept alive.
  const agent = new http.Agent({ keepAlive: true });
  let throttle: number | null = null;
  let stopped = false;

  /** Takes the first rule that matches and still has uses left, and uses it up once. */
  function takeFault(r: MatchableRequest): FaultKind | null {
    for (const active of rules) {
      if (active.remaining > 0 && matches(active.rule, r)) {
        active.remaining -= 1;
        return active.rule.fault;
      }
    }
    return null;
  }

  function answerWithError(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    fault: Extract<FaultKind, { kind: 'status' }>,
    path: string,
  ): void {
    const requestId = `fault-proxy-${requests.length}`;
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(fault.code)}</Code>` +
      `<Message>${escapeXml(fault.message ?? `Injected by the fault proxy: ${fault.code}`)}</Message>` +
      `<Resource>${escapeXml(path)}</Resource><RequestId>${requestId}</RequestId></Error>`;
    // Read the body to its end first: answering while the client still sends makes it see a reset.
    const answer = (): void => {
      res.writeHead(fault.status, {
        'content-type': 'application/xml',
        'x-amz-request-id': requestId,
        // A HEAD answer carries no body, only the length it would have.
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.readableEnded) {
      answer();
      return;
    }
    req.resume();
    req.once('end', answer);
  }

  /** Writes the request body upstream, honouring the throttle; resolves with false when the cut fired. */
  async function pumpRequestBody(
    source: AsyncIterable<unknown> | Iterable<unknown>,
    upstream: http.ClientRequest,
    cutAfter: number | null,
    flipAt: number | null = null,
  ): Promise<boolean> {
    let sent = 0;
    let windowStart = Date.now();
    let windowBytes = 0;
    let windowRate: number | null = throttle;
    const write = async (chunk: Buffer): Promise<void> => {
      if (!upstream.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            upstream.off('drain', done);
            upstream.off('close', done);
            resolve();
          };
          upstream.on('drain', done);
          upstream.on('close', done);
        });
      }
    };
    for await (const data of source) {
      let chunk = data as Buffer;
      while (chunk.length > 0) {
        if (upstream.destroyed) return true;
        const rate = throttle;
        if (rate !== windowRate) {
          // The cap changed (or was lifted) mid-body: measure the new rate from now on.
          windowRate = rate;
          windowStart = Date.now();
          windowBytes = 0;
        }
        let size = chunk.length;
        if (rate !== null) size = Math.min(size, Math.max(1, Math.floor(rate / THROTTLE_SLICES_PER_SECOND)));
        if (cutAfter !== null) size = Math.min(size, cutAfter - sent);
        let piece = chunk.subarray(0, size);
        chunk = chunk.subarray(size);
        if (flipAt !== null && flipAt >= sent && flipAt < sent + piece.length) {
          piece = Buffer.from(piece);
          piece[flipAt - sent] = (piece[flipAt - sent] ?? 0) ^ 0xff;
        }
        if (rate !== null) {
          const due = windowStart + ((windowBytes + piece.length) / rate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
        }
        if (piece.length > 0) await write(piece);
        sent += piece.length;
        windowBytes += piece.length;
        if (cutAfter !== null && sent >= cutAfter) return false;
      }
    }
    return true;
  }

  function cutBoth(req: http.IncomingMessage, upstream?: http.ClientRequest): void {
    upstream?.destroy();
    clientSocket(req).destroy();
  }

  /** Forwards a request, first letting the transform (if any) refuse it or change it. */
  function forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RecordedRequest,
    fault: FaultKind | null,
  ): void {
    if (!transform) {
      send(req, res, record, fault, forwardedHeaders(req.headers), undefined, undefined);
      return;
    }
    void (async () => {
      let body: Buffer | undefined;
      const length = Number(req.headers['content-length']);
      if (transform.wantsBody?.(record) && Number.isFinite(length) && length <= MAX_INSPECTED_BODY) {
        body = await readBody(req);
      }
      const verdict = await transform.onRequest(record, body);
      if (verdict?.refuse) {
        record.status = verdict.refuse.status;
        record.transformed = 'refused';
        answerWithError(req, res, { kind: 'status', ...verdict.refuse }, record.path);
        return;
      }
      if (verdict?.headers) record.transformed = 'edited';
      const headers = forwardedHeaders(verdict?.headers ?? req.headers);
      send(req, res, record, fault, headers, body, verdict?.onResponse);
    })().catch((err: unknown) => {
      // A broken transform is a bug in the test setup: say so to the client instead of hanging.
      if (res.headersSent) {
        clientSocket(req).destroy();
        return;
      }
      record.status = 500;
      const message = `the proxy's transform failed: ${err instanceof Error ? err.message : String(err)}`;
      answerWithError(req, res, { kind: 'status', status: 500, code: 'ProxyTransformFailed', message }, record.path);
    });
  }

  /** Relays an upstream response, with the transform's edits; a body to rewrite is held only when small. */
  function relayEdited(
    upRes: http.IncomingMessage,
    res: http.ServerResponse,
    edit: ResponseEdit,
    method: string,
  ): void {
    const status = upRes.statusCode ?? 502;
    const rewrite = edit.rewriteBody;
    if (!rewrite || method === 'HEAD') {
      res.writeHead(status, upRes.statusMessage, responseHeaders(upRes.rawHeaders, edit.headers));
      upRes.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let passing = false;
    upRes.on('data', (chunk: Buffer) => {
      if (passing) {
        res.write(chunk);
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_REWRITTEN_BODY) {
        // Too big to hold: relay it as it is (header edits still apply).
        passing = true;
        res.writeHead(status, upRes.statusMessage, responseHeaders(upRes.rawHeaders, edit.headers));
        for (const held of chunks.splice(0)) res.write(held);
      }
    });
    upRes.on('end', () => {
      if (passing) {
        res.end();
        return;
      }
      const rewritten = rewrite(Buffer.concat(chunks));
      const body = typeof rewritten === 'string' ? Buffer.from(rewritten) : rewritten;
      const headers = { ...edit.headers, 'content-length': String(body.length) };
      res.writeHead(status, upRes.statusMessage, responseHeaders(upRes.rawHeaders, headers));
      res.end(body);
    });
  }

  function send(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RecordedRequest,
    fault: FaultKind | null,
    headers: http.OutgoingHttpHeaders,
    body: Buffer | undefined,
    onResponse: RequestVerdict['onResponse'],
  ): void {
    const upstream = http.request({
      host: upstreamHost,
      port: upstreamPort,
      method: req.method,
      path: req.url,
      headers,
      agent,
    });
    let answered = false;
    upstream.on('response', (upRes) => {
      if (fault?.kind === 'cut') {
        // Only reached when the body was shorter than afterBytes: the answer is lost.
        upRes.resume();
        cutBoth(req, upstream);
        return;
      }
      answered = true;
      record.status = upRes.statusCode ?? null;
      const edit = onResponse?.({ status: upRes.statusCode ?? 502, headers: upRes.headers });
      if (edit) record.transformed = 'edited';
      // A header edit keeps a cut or a flipped byte (relayed below); only a body rewrite replaces them.
      if (edit && fault?.kind !== 'cut-response' && (fault?.kind !== 'flip-response' || edit.rewriteBody)) {
        relayEdited(upRes, res, edit, req.method ?? 'GET');
        upRes.on('error', () => clientSocket(req).destroy());
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, responseHeaders(upRes.rawHeaders, edit?.headers));
      if (fault?.kind === 'cut-response') {
        let relayed = 0;
        const limit = fault.afterBytes;
        // A write's callback runs once its bytes reached the socket: only then is the cut exact.
        const cutNow = (): void => {
          upRes.destroy();
          clientSocket(req).destroy();
        };
        if (limit <= 0) {
          res.flushHeaders();
          clientSocket(req).write(Buffer.alloc(0), cutNow);
          return;
        }
        upRes.on('data', (chunk: Buffer) => {
          const room = limit - relayed;
          if (room <= 0) return;
          const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
          relayed += piece.length;
          if (relayed >= limit) {
            upRes.pause();
            res.write(piece, cutNow);
          } else {
            res.write(piece);
          }
        });
        upRes.on('end', () => {
          if (relayed < limit) res.end();
        });
        return;
      }
      if (fault?.kind === 'flip-response') {
        let relayed = 0;
        upRes.on('data', (chunk: Buffer) => {
          const at = fault.atByte - relayed;
          relayed += chunk.length;
          if (at >= 0 && at < chunk.length) {
            const changed = Buffer.from(chunk);
            changed[at] = (changed[at] ?? 0) ^ 0xff;
            if (!res.write(changed)) upRes.pause();
          } else if (!res.write(chunk)) upRes.pause();
        });
        res.on('drain', () => upRes.resume());
        upRes.on('end', () => res.end());
        upRes.on('error', () => clientSocket(req).destroy());
        return;
      }
      upRes.pipe(res);
      upRes.on('error', () => clientSocket(req).destroy());
    });
    upstream.on('error', () => {
      if (answered || res.headersSent || clientSocket(req).destroyed) {
        clientSocket(req).destroy();
        return;
      }
      record.status = 502;
      answerWithError(
        req,
        res,
        { kind: 'status', status: 502, code: 'BadGateway', message: 'upstream failed' },
        record.path,
      );
    });
    // The client went away before the answer was complete: drop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });

    const cutAfter = fault?.kind === 'cut' ? fault.afterBytes : null;
    const flipAt = fault?.kind === 'flip' ? fault.atByte : null;
    pumpRequestBody(body ? [body] : req, upstream, cutAfter, flipAt).then(
      (complete) => {
        if (complete) upstream.end();
        else cutBoth(req, upstream);
      },
      () => upstream.destroy(),
    );
  }

  const server = http.createServer((req, res) => {
    clientSockets.set(req, req.socket);
    const earlier = requestsOn.get(req.socket) ?? 0;
    requestsOn.set(req.socket, earlier + 1);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: decodePath(url.pathname),
      query: url.searchParams,
      headers: { ...req.headers },
      earlier,
      status: null,
      faulted: null,
      transformed: null,
    };
    requests.push(record);
    const fault = takeFault(record);
    record.faulted = fault?.kind ?? null;

    switch (fault?.kind) {
      case 'status':
        record.status = fault.status;
        answerWithError(req, res, fault, record.path);
        return;
      case 'cut':
        if (fault.afterBytes <= 0) {
          cutBoth(req);
          return;
        }
        forward(req, res, record, fault);
        return;
      case 'stall': {
        req.resume();
        if (fault.ms !== undefined) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            clientSocket(req).destroy();
          }, fault.ms);
          timers.add(timer);
        }
        return;
      }
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!clientSocket(req).destroyed) forward(req, res, record, null);
        }, fault.ms);
        timers.add(timer);
        return;
      }
      default:
        forward(req, res, record, fault);
    }
  });
  // Throttled uploads and stalls may legitimately take long: no server-side time limits.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client error (a reset mid-request) must not crash the test run.
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fault proxy has no TCP address');
  const port = address.port;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests(): readonly RecordedRequest[] {
      return requests;
    },
    addFault(rule: FaultRule): void {
      if (stopped) throw new Error('the fault proxy is stopped');
      rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults(): void {
      rules.length = 0;
    },
    setThrottle(bytesPerSecond: number | null): void {
      if (bytesPerSecond !== null && !(bytesPerSecond > 0))
        throw new Error('the throttle must be a positive number of bytes/s, or null');
      throttle = bytesPerSecond;
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        stopped = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        await closed;
      })();
      return stopping;
    },
  };
}
