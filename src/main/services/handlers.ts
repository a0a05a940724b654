import type { ParsedInput, RequestChannel, RequestOutput } from '../../shared/contract';
import type { AppError } from '../../shared/errors';

/** Who is asking: handlers may use it for per-client state, never for authorization (hosts do that). */
export interface RequestContext {
  /** Which host delivered the request. */
  host: 'ipc' | 'ws';
  /**
   * Aborts when whoever asked has gone (web mode: the WebSocket closed), so long listings made
   * for the answer (a folder's size, a download's plan) stop instead of going on for nobody.
   * Optional: a host that cannot tell passes none, and the work runs to its end.
   */
  signal?: AbortSignal;
}

/** One handler per request channel: receives validated input, returns the value or throws an AppFailure. */
export type Handlers = {
  [C in RequestChannel]: (input: ParsedInput<C>, context: RequestContext) => Promise<RequestOutput<C>>;
};

/** The services as hosts see them: handlers, a way to classify errors they throw, and outgoing events. */
export interface ServiceHandlers {
  handlers: Handlers;
  /** Turns a library error (an S3 error, say) into an AppError; undefined where it does not know it. */
  classifyError: (thrown: unknown) => AppError | undefined;
}

/** The handlers of one domain's channels, and what it must release when the app quits. */
export interface DomainServices<C extends RequestChannel> {
  handlers: Pick<Handlers, C>;
  /** Stops background work and flushes state to disk; called once when the app quits. */
  dispose?: () => Promise<void>;
}

/**
 * Where web mode's HTTP host writes the bytes of files dropped in the browser, so they are
 * queued exactly like files dropped in Electron (see transfers.openSpool).
 */
export interface SpoolWriter {
  /** Writes one file of an open spool; refuses unknown spools and relative paths that would escape it. */
  write(spoolId: string, relativePath: string, body: AsyncIterable<Uint8Array>): Promise<void>;
}
