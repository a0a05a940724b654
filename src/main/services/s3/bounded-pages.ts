import { createHash } from 'node:crypto';
import { AppFailure } from '../app-failure';
import { countOf } from '../../../shared/names';

/** One answer of a paged listing: its items, and where the next page starts. */
export interface ListedPage<Item, Marker> {
  items: Item[];
  /** True where the service says there is more. */
  truncated: boolean;
  /** Where the next page starts; needed whenever `truncated` is true. */
  next: Marker | undefined;
}

/** The most pages one walk reads by default: 100 million entries at S3's 1,000 per page. */
export const MAX_PAGES = 100_000;

/**
 * The most empty pages in a row that say "truncated" before a walk gives up. AWS may answer a
 * page with no entries and more to come (a run of delete markers or expired objects it skipped
 * for us), so one empty page is no fault; a thousand in a row (a million such entries at 1,000
 * a page) is a service handing out new markers that lead nowhere.
 */
export const MAX_EMPTY_PAGES = 1_000;

/** What a walk is told: the listing's name for messages, its bounds, and when to stop. */
export interface BoundedPagesOptions {
  /** Names the listing in messages ("listing of s3://photos/2024/"). */
  what: string;
  maxPages?: number;
  maxEmptyPages?: number;
  /** Stops the walk between pages (and, through the caller's `fetchPage`, during one). */
  signal?: AbortSignal;
  /**
   * What a cancelled walk does: 'return' ends it quietly (an operation that reports what it did
   * so far), 'throw' fails it as cancelled (a result that would be wrong when partial, such as a
   * folder's size). Default 'return'.
   */
  onCancel?: 'return' | 'throw';
}

/** A marker as a short fixed-size key: continuation tokens can be long, and a walk remembers every one. */
function markerKey(marker: unknown): string {
  return createHash('sha256').update(JSON.stringify(marker)).digest('base64');
}

/**
 * Walks a paged listing (ListObjectsV2, ListObjectVersions, ListMultipartUploads, ListParts)
 * page by page, and never loops for ever: a page that says "truncated" must say where to go
 * on, that place must be one the walk has not been to (a service that answers with the same
 * marker, or leads back to an earlier one, would otherwise be asked again and again), at most
 * `maxEmptyPages` empty pages come in a row, and at most `maxPages` pages are read. Each
 * failure is an AppFailure whose message names the listing (`what`).
 */
export async function* boundedPages<Item, Marker>(
  fetchPage: (marker: Marker | undefined) => Promise<ListedPage<Item, Marker>>,
  options: BoundedPagesOptions,
): AsyncGenerator<Item[]> {
  const maxPages = options.maxPages ?? MAX_PAGES;
  const maxEmptyPages = options.maxEmptyPages ?? MAX_EMPTY_PAGES;
  const { signal, what } = options;
  const cancelled = () =>
    new AppFailure('cancelled', `The ${what} was stopped: whoever asked for it has gone, or cancelled it.`);
  const visited = new Set<string>();
  let marker: Marker | undefined;
  let emptyInARow = 0;
  for (let pages = 1; ; pages += 1) {
    if (signal?.aborted) {
      if (options.onCancel === 'throw') throw cancelled();
      return;
    }
    let page: ListedPage<Item, Marker>;
    try {
      page = await fetchPage(marker);
    } catch (error) {
      // The request in flight was aborted: that is the cancellation, not a failure of the service.
      if (signal?.aborted && options.onCancel === 'throw') throw cancelled();
      throw error;
    }
    yield page.items;
    if (!page.truncated) return;
    if (page.next === undefined) {
      throw new AppFailure(
        'internal',
        `The service said the ${what} goes on, but not where: it was stopped after ${countOf(pages, 'page')}.`,
      );
    }
    const key = markerKey(page.next);
    if (visited.has(key) || (marker !== undefined && key === markerKey(marker))) {
      throw new AppFailure(
        'internal',
        `The service answered the ${what} with the same page again: it was stopped after ${pages} pages, so as not to ask for ever.`,
      );
    }
    visited.add(key);
    emptyInARow = page.items.length === 0 ? emptyInARow + 1 : 0;
    if (emptyInARow >= maxEmptyPages) {
      throw new AppFailure(
        'internal',
        `The service answered the ${what} with ${emptyInARow.toLocaleString('en')} empty pages in a row, each saying there was more: it was stopped, so as not to ask for ever.`,
      );
    }
    if (pages >= maxPages) {
      throw new AppFailure('internal', `The ${what} was stopped after ${pages.toLocaleString('en')} pages.`);
    }
    marker = page.next;
  }
}
