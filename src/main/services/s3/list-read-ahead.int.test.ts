import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ListingPage } from '../../../shared/objects';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { listObjectsPage, type ListPageRequest } from './list-objects';
import { createListReadAhead } from './list-read-ahead';

const s3 = inject('s3');
const client = s3ClientFor(s3);
let bucket: FreshBucket;
// 2,150 keys: a first page of 100, then read-ahead pages of 1,000, 1,000 and 50.
const keys = Array.from({ length: 2_150 }, (_, i) => `big/file-${String(i).padStart(5, '0')}.txt`);

beforeAll(async () => {
  bucket = await freshBucket(s3);
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(
      keys.slice(i, i + 100).map((Key) => client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: 'x' }))),
    );
  }
}, 180_000);
afterAll(async () => {
  await bucket.cleanup();
});

/** Lists the folder page by page as the file list does, counting the requests that reached S3. */
async function listAll(readAhead: ReturnType<typeof createListReadAhead>, between?: () => Promise<void>) {
  const sent: Array<string | undefined> = [];
  // In order: 'ask <token>' when the caller asks for a page, 'send <token>' when S3 is asked.
  const log: string[] = [];
  const fetchPage = (request: ListPageRequest): Promise<ListingPage> => {
    sent.push(request.continuationToken);
    log.push(`send ${request.continuationToken ?? ''}`);
    return listObjectsPage(client, request);
  };
  const listed: string[] = [];
  let token: string | undefined;
  let first = true;
  do {
    log.push(`ask ${token ?? ''}`);
    const page = await readAhead.list(
      {
        scope: 'account',
        bucket: bucket.name,
        prefix: 'big/',
        recursive: false,
        pageSize: first ? 100 : 1000,
        readAhead: true,
        ...(token ? { continuationToken: token } : {}),
      },
      fetchPage,
    );
    listed.push(...page.files.map((f) => f.key));
    token = page.nextToken ?? undefined;
    if (first && between) await between();
    first = false;
  } while (token);
  return { listed, sent, log };
}

describe('reading listing pages ahead, against MinIO', () => {
  it('lists every key once, in order, with each page asked of S3 once and ahead of its request', async () => {
    const readAhead = createListReadAhead();
    const { listed, sent, log } = await listAll(readAhead);
    expect(listed).toEqual(keys);
    // The first page, then the three pages read ahead: no page asked for twice.
    expect(sent).toHaveLength(4);
    expect(new Set(sent).size).toBe(4);
    // Each later page left for S3 before the caller asked for it.
    for (const token of sent.slice(1)) {
      expect(log.indexOf(`send ${token ?? ''}`)).toBeLessThan(log.indexOf(`ask ${token ?? ''}`));
    }
  }, 60_000);

  it('after a change, lists the folder as it is now, not the page read before it', async () => {
    const readAhead = createListReadAhead();
    const added = 'big/file-00500-added.txt';
    const { listed, sent } = await listAll(readAhead, async () => {
      // What objects.changed does in create-services.ts when the app writes into the folder.
      await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: added, Body: 'x' }));
      readAhead.clear();
    });
    expect(listed).toContain(added);
    expect(listed).toHaveLength(keys.length + 1);
    // The page read ahead before the change was dropped and asked for again.
    expect(sent).toHaveLength(5);
  }, 60_000);
});
