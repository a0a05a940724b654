import { describe, expect, it } from 'vitest';
import { boundedPages, type ListedPage } from './bounded-pages';

/** Reads every page a walk yields. */
async function walk<Item>(pages: AsyncGenerator<Item[]>): Promise<Item[][]> {
  const read: Item[][] = [];
  for await (const items of pages) read.push(items);
  return read;
}

describe('boundedPages', () => {
  it('follows the markers to the last page', async () => {
    const asked: (number | undefined)[] = [];
    const fetchPage = async (marker: number | undefined): Promise<ListedPage<string, number>> => {
      asked.push(marker);
      const at = marker ?? 0;
      return { items: [`item ${at}`], truncated: at < 2, next: at < 2 ? at + 1 : undefined };
    };
    expect(await walk(boundedPages(fetchPage, { what: 'test listing' }))).toEqual([['item 0'], ['item 1'], ['item 2']]);
    expect(asked).toEqual([undefined, 1, 2]);
  });

  it('stops with a clear error when the service keeps answering "truncated" with the same marker', async () => {
    let requests = 0;
    const stuck = async (): Promise<ListedPage<string, { key: string }>> => {
      requests += 1;
      return { items: ['a'], truncated: true, next: { key: 'a' } };
    };
    await expect(walk(boundedPages(stuck, { what: 'version listing of b' }))).rejects.toThrow(
      'The service answered the version listing of b with the same page again: it was stopped after 2 pages, so as not to ask for ever.',
    );
    expect(requests).toBe(2);
  });

  it('stops when a truncated page says not where to go on, and after the most pages allowed', async () => {
    const nowhere = async (): Promise<ListedPage<string, string>> => ({ items: [], truncated: true, next: undefined });
    await expect(walk(boundedPages(nowhere, { what: 'listing' }))).rejects.toThrow(
      'The service said the listing goes on, but not where: it was stopped after 1 page.',
    );
    let n = 0;
    const endless = async (): Promise<ListedPage<string, number>> => ({ items: [], truncated: true, next: (n += 1) });
    await expect(walk(boundedPages(endless, { what: 'listing', maxPages: 50 }))).rejects.toThrow(
      'The listing was stopped after 50 pages.',
    );
    expect(n).toBe(50);
  });

  it('stops quietly between pages once cancelled', async () => {
    const controller = new AbortController();
    const fetchPage = async (marker: number | undefined): Promise<ListedPage<number, number>> => {
      if (marker === 1) controller.abort();
      return { items: [marker ?? 0], truncated: true, next: (marker ?? 0) + 1 };
    };
    expect(await walk(boundedPages(fetchPage, { what: 'listing', signal: controller.signal }))).toEqual([[0], [1]]);
  });

  it('stops when the markers lead back to a page already read', async () => {
    const cycle: Record<string, string> = { start: 'b', b: 'c', c: 'b' };
    const asked: string[] = [];
    const fetchPage = async (marker: string | undefined): Promise<ListedPage<string, string>> => {
      asked.push(marker ?? 'start');
      return { items: [marker ?? 'start'], truncated: true, next: cycle[marker ?? 'start'] };
    };
    await expect(walk(boundedPages(fetchPage, { what: 'listing' }))).rejects.toThrow(
      'The service answered the listing with the same page again: it was stopped after 3 pages',
    );
    expect(asked).toEqual(['start', 'b', 'c']);
  });

  it('stops after the most empty pages in a row, but not on empty pages between full ones', async () => {
    let n = 0;
    const empty = async (): Promise<ListedPage<string, number>> => ({ items: [], truncated: true, next: (n += 1) });
    await expect(walk(boundedPages(empty, { what: 'listing', maxEmptyPages: 5 }))).rejects.toThrow(
      'The service answered the listing with 5 empty pages in a row, each saying there was more',
    );
    expect(n).toBe(5);
    // Four empty pages, then one with an entry, again and again: a run of delete markers, not a fault.
    const sparse = async (marker: number | undefined): Promise<ListedPage<number, number>> => {
      const at = marker ?? 0;
      return { items: at % 5 === 4 ? [at] : [], truncated: at < 40, next: at + 1 };
    };
    const pages = await walk(boundedPages(sparse, { what: 'listing', maxEmptyPages: 5 }));
    expect(pages.flat()).toEqual([4, 9, 14, 19, 24, 29, 34, 39]);
  });

  it("fails as cancelled when asked to, between pages and during one (the request's own abort)", async () => {
    const between = new AbortController();
    const fetchPage = async (marker: number | undefined): Promise<ListedPage<number, number>> => {
      if (marker === 1) between.abort();
      return { items: [marker ?? 0], truncated: true, next: (marker ?? 0) + 1 };
    };
    await expect(
      walk(boundedPages(fetchPage, { what: 'folder size', signal: between.signal, onCancel: 'throw' })),
    ).rejects.toMatchObject({ code: 'cancelled', message: expect.stringContaining('The folder size was stopped') });

    const during = new AbortController();
    const aborted = async (): Promise<ListedPage<number, number>> => {
      during.abort();
      throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    };
    await expect(
      walk(boundedPages(aborted, { what: 'listing', signal: during.signal, onCancel: 'throw' })),
    ).rejects.toMatchObject({ code: 'cancelled' });
    // Without onCancel: 'throw', the request's own error comes through as it was.
    const quiet = new AbortController();
    const abortedToo = async (): Promise<ListedPage<number, number>> => {
      quiet.abort();
      throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    };
    await expect(walk(boundedPages(abortedToo, { what: 'listing', signal: quiet.signal }))).rejects.toThrow(
      'This operation was aborted',
    );
  });
});
