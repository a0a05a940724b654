import { MAX_PAGE_SIZE, type ListingPage } from '../../../shared/objects';
import type { ListPageRequest } from './list-objects';

/** How long a page read ahead waits to be asked for before it is dropped (and its request aborted). */
export const READ_AHEAD_TTL_MS = 10_000;

/** Pages read ahead at most at once (one per listing being loaded; several tabs may load at once). */
export const READ_AHEAD_MAX = 8;

/** A page request as the listing channel takes it, with whom it is for and whether to read the next page ahead. */
export interface ReadAheadRequest extends ListPageRequest {
  /** Whose client lists it (the account id): pages of one account are never served to another. */
  scope: string;
  /** Ask for the next page as soon as this one is in, for a caller that will ask for it. */
  readAhead: boolean;
}

/** Serves listing pages, reading the next one ahead for callers that list a folder to its end. */
export interface ListReadAhead {
  /** One page: the one read ahead for exactly this request when there is one, else a fresh request. */
  list(request: ReadAheadRequest, fetchPage: (request: ListPageRequest) => Promise<ListingPage>): Promise<ListingPage>;
  /** Drops every page read ahead (something changed in a bucket: they may be out of date). */
  clear(): void;
}

interface Ahead {
  page: Promise<ListingPage>;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Reading ahead: the file list asks for a folder's pages one after the other, each with the
 * token of the one before. Between the service's answer and the next request, the answer
 * crosses the WebSocket or IPC, the page stores it and sends the next request back: time in
 * which S3 does nothing. So when a page with a next token is in, its next page (of
 * MAX_PAGE_SIZE keys, what the list asks for after its first) is asked for at once and kept
 * for the request that names that token. A page read ahead is used once, dropped after
 * READ_AHEAD_TTL_MS or on any change the app makes, and a failed one is asked for again
 * (the caller gets the error of its own request, not of a guess).
 */
export function createListReadAhead(options: { ttlMs?: number; max?: number } = {}): ListReadAhead {
  const ttlMs = options.ttlMs ?? READ_AHEAD_TTL_MS;
  const max = options.max ?? READ_AHEAD_MAX;
  const pending = new Map<string, Ahead>();

  const keyOf = (r: Pick<ReadAheadRequest, 'scope' | 'bucket' | 'prefix' | 'recursive' | 'pageSize'>, token: string) =>
    JSON.stringify([r.scope, r.bucket, r.prefix, r.recursive, r.pageSize, token]);

  function drop(key: string): void {
    const ahead = pending.get(key);
    if (!ahead) return;
    pending.delete(key);
    clearTimeout(ahead.timer);
    ahead.controller.abort();
  }

  function readAhead(
    request: ReadAheadRequest,
    token: string,
    fetchPage: (request: ListPageRequest) => Promise<ListingPage>,
  ): void {
    const next = { ...request, pageSize: MAX_PAGE_SIZE, continuationToken: token };
    const key = keyOf(next, token);
    if (pending.has(key)) return;
    // The oldest first: Map keeps insertion order.
    while (pending.size >= max) drop(pending.keys().next().value as string);
    const controller = new AbortController();
    const { bucket, prefix, recursive, pageSize } = next;
    const page = fetchPage({
      bucket,
      prefix,
      recursive,
      pageSize,
      continuationToken: token,
      signal: controller.signal,
    });
    // Nobody may ask for it: its failure must not surface as an unhandled rejection.
    page.catch(() => undefined);
    const timer = setTimeout(() => drop(key), ttlMs);
    timer.unref?.();
    pending.set(key, { page, controller, timer });
  }

  return {
    async list(request, fetchPage) {
      const { bucket, prefix, recursive, pageSize, continuationToken: token, signal } = request;
      const pageRequest: ListPageRequest = {
        bucket,
        prefix,
        recursive,
        pageSize,
        ...(token ? { continuationToken: token } : {}),
        ...(signal ? { signal } : {}),
      };
      const key = token ? keyOf(request, token) : null;
      const ahead = key ? pending.get(key) : undefined;
      let page: ListingPage | undefined;
      if (key && ahead) {
        pending.delete(key);
        clearTimeout(ahead.timer);
        page = await ahead.page.catch(() => undefined);
      }
      page ??= await fetchPage(pageRequest);
      if (request.readAhead && page.nextToken !== null) readAhead(request, page.nextToken, fetchPage);
      return page;
    },
    clear() {
      for (const key of [...pending.keys()]) drop(key);
    },
  };
}
