import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ListingPage } from '../../../shared/objects';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { listObjectsPage } from './list-objects';

const s3 = inject('s3');
const client = s3ClientFor(s3);
let bucket: FreshBucket;

// Awkward names that have broken other clients: unicode, spaces, and characters with a
// meaning in URLs (+ % # ?) or in shells.
const awkward = [
  'ünïcødé — 文件.txt',
  'with space.txt',
  'plus+sign.txt',
  'percent%20literal.txt',
  'hash#tag.txt',
  'question?mark.txt',
  'ampersand&equals=.txt',
  'emoji 📦.bin',
  'quote\'s "double".txt',
  'tilde~star*.txt',
];
/** A 1,024-byte key (S3's maximum), in segments of at most 250 bytes (MinIO's limit per segment). */
const longKey = (() => {
  const base = 'big/long/';
  const segments: string[] = [];
  let length = base.length;
  while (length < 1024) {
    const size = Math.min(250, 1024 - length - 1);
    segments.push('k'.repeat(size));
    length += size + 1;
  }
  const key = base + segments.join('/');
  return key + 'x'.repeat(1024 - Buffer.byteLength(key));
})();

const directFiles = [
  ...awkward,
  ...Array.from({ length: 2_000 - awkward.length }, (_, i) => `file-${String(i).padStart(5, '0')}.dat`),
];
const folderNames = [...Array.from({ length: 50 }, (_, i) => `folder ${i}`), 'long'];
const nestedKeys = Array.from({ length: 499 }, (_, i) => `big/folder ${Math.floor(i / 10)}/nested-${i % 10}.txt`);
const allKeys = [...directFiles.map((name) => `big/${name}`), ...nestedKeys, longKey];

beforeAll(async () => {
  bucket = await freshBucket(s3);
  expect(Buffer.byteLength(longKey)).toBe(1024);
  // 2,500 keys in parallel batches: a real server, a real folder.
  for (let i = 0; i < allKeys.length; i += 100) {
    await Promise.all(
      allKeys
        .slice(i, i + 100)
        .map((Key) => client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: Key }))),
    );
  }
}, 120_000);
afterAll(async () => {
  await bucket.cleanup();
  client.destroy();
});

/** Lists every page, as the file list does, and returns them. */
async function allPages(prefix: string, recursive: boolean, pageSize: number): Promise<ListingPage[]> {
  const pages: ListingPage[] = [];
  let token: string | undefined;
  do {
    const page = await listObjectsPage(client, {
      bucket: bucket.name,
      prefix,
      recursive,
      pageSize,
      ...(token ? { continuationToken: token } : {}),
    });
    pages.push(page);
    token = page.nextToken ?? undefined;
  } while (token);
  return pages;
}

describe('listing a folder of 2,500 keys', () => {
  it('returns every file and folder exactly once across pages, awkward names intact', async () => {
    expect(allKeys).toHaveLength(2_500);
    const pages = await allPages('big/', false, 1000);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const files = pages.flatMap((p) => p.files);
    const folders = pages.flatMap((p) => p.folders);
    expect(files.map((f) => f.name).sort()).toEqual([...directFiles].sort());
    expect(new Set(files.map((f) => f.key)).size).toBe(files.length);
    expect(folders.map((f) => f.name).sort()).toEqual([...folderNames].sort());
    expect(folders.every((f) => f.key === `big/${f.name}/`)).toBe(true);
    const plus = files.find((f) => f.name === 'plus+sign.txt');
    expect(plus).toMatchObject({ key: 'big/plus+sign.txt', size: Buffer.byteLength('big/plus+sign.txt') });
    expect(plus?.lastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('gives the same keys with small pages', async () => {
    const pages = await allPages('big/', false, 97);
    expect(pages.length).toBeGreaterThan(20);
    const names = pages.flatMap((p) => [...p.files, ...p.folders].map((e) => e.key));
    expect(names).toHaveLength(directFiles.length + folderNames.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('searches by key prefix on the server, recursively, including the 1,024-byte key', async () => {
    const pages = await allPages('big/', true, 1000);
    const keys = pages.flatMap((p) => p.files.map((f) => f.key));
    expect(keys.sort()).toEqual([...allKeys].sort());
    expect(pages.every((p) => p.folders.length === 0)).toBe(true);
    const narrowed = (await allPages('big/folder 1', true, 1000)).flatMap((p) => p.files.map((f) => f.key));
    // "folder 1" matches folder 1 and folders 10 to 19: prefix search, as S3 defines it.
    expect(narrowed).toHaveLength(110);
  });
});
