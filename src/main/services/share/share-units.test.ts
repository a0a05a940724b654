import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShareLink } from '../../../shared/share';
import { createPresigningClient, createS3Client } from '../s3/s3-client';
import { attachmentDisposition, htmlFormFor, presignGet, presignPut } from './presign';
import { createShareHistory } from './share-history';
import { formatSize } from './share-links';

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signing = { signingDate: new Date('2030-01-02T03:04:05Z'), expiresInSeconds: 3600 };

describe('presigning (the SDK signing locally, no request sent)', () => {
  it('never adds the checksum of an empty body, even on AWS where the SDK would', async () => {
    const aws = createPresigningClient({ endpoint: '', region: 'eu-west-1', forcePathStyle: false, credentials });
    const { url } = await presignPut(aws, { bucket: 'my-bucket', key: 'a b.txt', acl: 'private' }, signing);
    const parsed = new URL(url);
    expect(parsed.host).toBe('my-bucket.s3.eu-west-1.amazonaws.com');
    expect(parsed.pathname).toBe('/a%20b.txt');
    expect(url.toLowerCase()).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/);
    const get = await presignGet(aws, { bucket: 'my-bucket', key: 'a b.txt' }, signing);
    expect(get.toLowerCase()).not.toMatch(/checksum/);
    expect(url).not.toContain(credentials.secretAccessKey);

    // What the SDK's default would have done: the reason for the presigning client.
    const defaults = createS3Client({ endpoint: '', region: 'eu-west-1', forcePathStyle: false, credentials });
    const withDefaults = await presignPut(defaults, { bucket: 'my-bucket', key: 'a b.txt', acl: 'private' }, signing);
    expect(withDefaults.url.toLowerCase()).toMatch(/x-amz-checksum-crc32|x-amz-sdk-checksum-algorithm/);
  });

  it('respects path-style addressing on another endpoint, and signs the chosen headers', async () => {
    const client = createPresigningClient({
      endpoint: 'https://share.example.com',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
    });
    const { url, requiredHeaders } = await presignPut(
      client,
      { bucket: 'b', key: 'in/x.csv', contentType: 'text/csv', acl: 'public-read' },
      signing,
    );
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe('https://share.example.com/b/in/x.csv');
    expect(parsed.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host;x-amz-acl');
    expect(parsed.searchParams.get('X-Amz-Date')).toBe('20300102T030405Z');
    expect(requiredHeaders).toEqual({ 'Content-Type': 'text/csv', 'x-amz-acl': 'public-read' });

    const virtual = createPresigningClient({
      endpoint: 'https://share.example.com',
      region: 'us-east-1',
      forcePathStyle: false,
      credentials,
    });
    expect(new URL(await presignGet(virtual, { bucket: 'photos', key: 'k' }, signing)).host).toBe(
      'photos.share.example.com',
    );
  });

  it('writes a download name for old and new browsers', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition('Ünïcode "quoted" (1)*.txt')).toBe(
      `attachment; filename="_n_code _quoted_ (1)*.txt"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22quoted%22%20%281%29%2A.txt`,
    );
    expect(attachmentDisposition('a/b\r\n.txt')).toBe(`attachment; filename="a_b__.txt"; filename*=UTF-8''a_b__.txt`);
  });

  it('builds an HTML form whose values cannot break out of their attributes', () => {
    const form = htmlFormFor('https://h/b?x=1&y="2"', { key: 'up/${filename}', Policy: '<script>"' });
    expect(form).toContain('action="https://h/b?x=1&#38;y=&#34;2&#34;"');
    expect(form).toContain('<input type="hidden" name="key" value="up/${filename}">');
    expect(form).toContain('<input type="hidden" name="Policy" value="&#60;script&#62;&#34;">');
    expect(form.indexOf('type="file"')).toBeGreaterThan(form.lastIndexOf('type="hidden"'));
  });

  it('says sizes in words', () => {
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(100)).toBe('100 bytes');
    expect(formatSize(10 * 1024 * 1024)).toBe('10 MiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(5 * 1024 ** 3)).toBe('5 GiB');
  });
});

function link(id: string): ShareLink {
  return {
    id,
    kind: 'get',
    bucket: 'b',
    key: `${id}.txt`,
    url: `https://h/b/${id}.txt?X-Amz-Signature=00`,
    expiresAt: '2030-01-01T00:00:00.000Z',
    limitedBy: 'expiry',
    notes: [],
    createdAt: '2029-12-31T00:00:00.000Z',
  };
}

describe('the list of links made', () => {
  it('keeps the newest first, at most the limit, one change at a time', async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-history-'));
    folders.push(folder);
    const history = createShareHistory(join(folder, 'share-links.json'), 5);
    await Promise.all([history.add([link('a'), link('b')]), history.add([link('c')]), history.add([link('d')])]);
    expect((await history.list()).map((l) => l.id)).toEqual(['d', 'c', 'a', 'b']);
    await history.add([link('e'), link('f')]);
    expect((await history.list()).map((l) => l.id)).toEqual(['e', 'f', 'd', 'c', 'a']);
    const post = { ...link('p'), kind: 'post' as const, fields: { key: 'x' }, htmlForm: '<form></form>' };
    await history.add([post]);
    expect((await history.list())[0]).toEqual(post);
    expect(await history.clear()).toBe(5);
    expect(await history.list()).toEqual([]);
    expect(JSON.parse(await readFile(join(folder, 'share-links.json'), 'utf8'))).toEqual({ version: 1, links: [] });
  });

  it('moves an unreadable file aside instead of losing it silently', async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-history-'));
    folders.push(folder);
    const file = join(folder, 'share-links.json');
    await writeFile(file, '{ not json');
    const history = createShareHistory(file);
    expect(await history.list()).toEqual([]);
    const names = await readdir(folder);
    expect(names.some((name) => name.startsWith('share-links.json.unreadable-'))).toBe(true);
    await history.add([link('a')]);
    expect((await history.list()).map((l) => l.id)).toEqual(['a']);
  });

  it('keeps links that carry a session token in memory only, never on disk', async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-history-'));
    folders.push(folder);
    const file = join(folder, 'share-links.json');
    const history = createShareHistory(file);
    const token = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';
    const temporary = {
      ...link('t'),
      url: `https://h/b/t.txt?X-Amz-Security-Token=${token}&X-Amz-Signature=00`,
      createdAt: '2030-01-01T00:00:00.000Z',
    };
    const post = { ...link('p'), kind: 'post' as const, fields: { 'X-Amz-Security-Token': token }, htmlForm: '' };
    await history.add([link('a')]);
    await history.add([temporary, post]);
    expect((await history.list()).map((l) => l.id)).toEqual(['t', 'p', 'a']);
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain(token);
    expect(JSON.parse(onDisk).links.map((l: ShareLink) => l.id)).toEqual(['a']);
    expect(await history.clear()).toBe(3);
    expect(await history.list()).toEqual([]);
  });
});
