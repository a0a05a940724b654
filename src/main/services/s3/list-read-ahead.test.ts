import { describe, expect, it } from 'vitest';
import type { ListingPage } from '../../../shared/objects';
import type { ListPageRequest } from './list-objects';
import { createListReadAhead, type ReadAheadRequest } from './list-read-ahead';

/** A folder of `pages` pages whose tokens are "t1", "t2"…; records every request it answers. */
function folder(pages: number, failing: Set<string> = new Set()) {
  const asked: ListPageRequest[] = [];
  const fetchPage = async (request: ListPageRequest): Promise<ListingPage> => {
    asked.push(request);
    const at = request.continuationToken ? Number(request.continuationToken.slice(1)) : 0;
    if (failing.has(request.continuationToken ?? '')) {
      failing.delete(request.continuationToken ?? '');
      throw new Error(`page ${at} failed`);
    }
    return {
      folders: [],
      files: [
        { kind: 'file', key: `k${at}`, name: `k${at}`, size: 1, lastModified: null, storageClass: null, etag: null },
      ],
      nextToken: at + 1 < pages ? `t${at + 1}` : null,
    };
  };
  return { asked, fetchPage };
}

const base: ReadAheadRequest = {
  scope: 'acc',
  bucket: 'b',
  prefix: 'big/',
  recursive: false,
  pageSize: 100,
  readAhead: true,
};

describe('list read-ahead', () => {
  it('asks for the next page as soon as a page is in, and serves it to the request that names its token', async () => {
    const { asked, fetchPage } = folder(3);
    const readAhead = createListReadAhead();
    const first = await readAhead.list(base, fetchPage);
    expect(first.nextToken).toBe('t1');
    // The next page (of 1,000 keys, what the list asks for after its first) left already.
    expect(asked.map((r) => [r.continuationToken, r.pageSize])).toEqual([
      [undefined, 100],
      ['t1', 1000],
    ]);
    const second = await readAhead.list({ ...base, pageSize: 1000, continuationToken: 't1' }, fetchPage);
    expect(second.files[0]?.key).toBe('k1');
    const third = await readAhead.list({ ...base, pageSize: 1000, continuationToken: 't2' }, fetchPage);
    expect(third.nextToken).toBeNull();
    // Each page asked for once: no request twice, none after the last page.
    expect(asked.map((r) => r.continuationToken)).toEqual([undefined, 't1', 't2']);
  });

  it('reads nothing ahead for a caller that does not ask it to', async () => {
    const { asked, fetchPage } = folder(3);
    const readAhead = createListReadAhead();
    await readAhead.list({ ...base, readAhead: false }, fetchPage);
    expect(asked).toHaveLength(1);
  });

  it('never serves a page read ahead to another account, folder or page size', async () => {
    const { asked, fetchPage } = folder(3);
    const readAhead = createListReadAhead();
    await readAhead.list(base, fetchPage);
    await readAhead.list(
      { ...base, scope: 'other', pageSize: 1000, continuationToken: 't1', readAhead: false },
      fetchPage,
    );
    await readAhead.list(
      { ...base, prefix: 'else/', pageSize: 1000, continuationToken: 't1', readAhead: false },
      fetchPage,
    );
    await readAhead.list({ ...base, pageSize: 10, continuationToken: 't1', readAhead: false }, fetchPage);
    expect(asked.map((r) => r.continuationToken)).toEqual([undefined, 't1', 't1', 't1', 't1']);
  });

  it('asks again for a page whose read-ahead failed, and drops pages after a change', async () => {
    const { asked, fetchPage } = folder(4, new Set(['t1']));
    const readAhead = createListReadAhead();
    await readAhead.list(base, fetchPage);
    const second = await readAhead.list({ ...base, pageSize: 1000, continuationToken: 't1' }, fetchPage);
    expect(second.files[0]?.key).toBe('k1');
    expect(asked.map((r) => r.continuationToken)).toEqual([undefined, 't1', 't1', 't2']);
    // Something changed: the page read ahead ("t2") may be out of date, and is asked for afresh.
    readAhead.clear();
    expect(asked.at(-1)?.signal?.aborted).toBe(true);
    await readAhead.list({ ...base, pageSize: 1000, continuationToken: 't2', readAhead: false }, fetchPage);
    expect(asked.map((r) => r.continuationToken)).toEqual([undefined, 't1', 't1', 't2', 't2']);
  });

  it('drops a page nobody asks for after its time', async () => {
    const { asked, fetchPage } = folder(3);
    const readAhead = createListReadAhead({ ttlMs: 20 });
    await readAhead.list(base, fetchPage);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked.at(-1)?.signal?.aborted).toBe(true);
    await readAhead.list({ ...base, pageSize: 1000, continuationToken: 't1', readAhead: false }, fetchPage);
    expect(asked.map((r) => r.continuationToken)).toEqual([undefined, 't1', 't1']);
  });
});
