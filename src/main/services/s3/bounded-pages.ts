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
 * Walks a marker-paged listing (ListObjectVersions, ListMultipartUploads …) page by page,
 * and never loops for ever: a page that says "truncated" must say where to go on, that place
 * must differ from the one just asked for (a service that keeps answering with the same marker
 * would otherwise be asked again and again), and at most `maxPages` pages are read. Each
 * failure is an AppFailure whose message names the listing (`what`).
 */
export async function* boundedPages<Item, Marker>(
  fetchPage: (marker: Marker | undefined) => Promise<ListedPage<Item, Marker>>,
  options: { what: string; maxPages?: number; signal?: AbortSignal },
): AsyncGenerator<Item[]> {
  const maxPages = options.maxPages ?? MAX_PAGES;
  let marker: Marker | undefined;
  for (let pages = 1; ; pages += 1) {
    if (options.signal?.aborted) return;
    const page = await fetchPage(marker);
    yield page.items;
    if (!page.truncated) return;
    if (page.next === undefined) {
      throw new AppFailure(
        'internal',
        `The service said the ${options.what} goes on, but not where: it was stopped after ${countOf(pages, 'page')}.`,
      );
    }
    if (marker !== undefined && JSON.stringify(page.next) === JSON.stringify(marker)) {
      throw new AppFailure(
        'internal',
        `The service answered the ${options.what} with the same page again: it was stopped after ${pages} pages, so as not to ask for ever.`,
      );
    }
    if (pages >= maxPages) {
      throw new AppFailure('internal', `The ${options.what} was stopped after ${pages.toLocaleString('en')} pages.`);
    }
    marker = page.next;
  }
}
