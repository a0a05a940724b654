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
});
