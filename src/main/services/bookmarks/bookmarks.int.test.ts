import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { draftFromPreset, type AccountSummary } from '../../../shared/accounts';
import type { BookmarkView } from '../../../shared/bookmarks-contract';
import type { Result } from '../../../shared/result';
import { freshBucket, type FreshBucket } from '../../../../test/s3-fixtures';
import { accountFromEnvironment } from '../accounts/env-account';
import { createServices } from '../create-services';
import { dispatch } from '../../host/dispatch';
import { createSessionCustomerKeyStore } from '../keychain/customer-key-store';
import { createSessionSecretStore } from '../keychain/secret-store';
import { silentLogger } from '../logging/logger';

const s3 = inject('s3');
const folders: string[] = [];
const buckets: FreshBucket[] = [];
afterAll(async () => {
  for (const bucket of buckets) await bucket.cleanup();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** The app's services over a data folder (the same folder again is a restart), with the test MinIO as launch account. */
function servicesIn(dataDir: string) {
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: s3.endpoint,
    S3FM_ACCESS_KEY_ID: s3.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir,
    keychain: createSessionSecretStore(),
    customerKeys: createSessionCustomerKeyStore(),
    logger: silentLogger,
    launchAccounts: launch ? [launch] : [],
  });
  const events: BookmarkView[][] = [];
  services.bus.onAny((channel, payload) => {
    if (channel === 'bookmarks.changed') events.push((payload as { bookmarks: BookmarkView[] }).bookmarks);
  });
  const call = (channel: string, input: object): Promise<Result<unknown>> =>
    dispatch(services, channel, input, { host: 'ws' });
  const value = async <T>(channel: string, input: object): Promise<T> => {
    const result = await call(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  return { services, call, value, events };
}

async function dataFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 's3fm-bookmarks-'));
  folders.push(folder);
  return folder;
}

const summary = (list: BookmarkView[]) => list.map((b) => [b.name, b.bucket, b.prefix, b.accountMissing]);

describe('bookmarks', () => {
  it('keeps bookmarks, their names and their order across a restart', async () => {
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const dataDir = await dataFolder();
    const first = servicesIn(dataDir);
    const top = await first.value<BookmarkView>('bookmarks.add', {
      accountId: 'launch',
      bucket: bucket.name,
      prefix: '',
    });
    expect(top).toMatchObject({ name: bucket.name, accountName: expect.any(String), accountMissing: false });
    const raw = await first.value<BookmarkView>('bookmarks.add', {
      accountId: 'launch',
      bucket: bucket.name,
      prefix: 'photos/2024/raw/',
    });
    expect(raw.name).toBe('raw');
    const docs = await first.value<BookmarkView>('bookmarks.add', {
      accountId: 'launch',
      bucket: bucket.name,
      prefix: 'docs/',
      name: '  Team documents ',
    });
    expect(docs.name).toBe('Team documents');
    await first.value('bookmarks.rename', { id: raw.id, name: 'Raw photos' });
    await first.value('bookmarks.move', { id: docs.id, toIndex: 0 });
    expect(summary(first.events.at(-1) ?? [])).toEqual([
      ['Team documents', bucket.name, 'docs/', false],
      [bucket.name, bucket.name, '', false],
      ['Raw photos', bucket.name, 'photos/2024/raw/', false],
    ]);
    await first.services.dispose();

    const second = servicesIn(dataDir);
    expect(summary(await second.value<BookmarkView[]>('bookmarks.list', {}))).toEqual([
      ['Team documents', bucket.name, 'docs/', false],
      [bucket.name, bucket.name, '', false],
      ['Raw photos', bucket.name, 'photos/2024/raw/', false],
    ]);
    await second.value('bookmarks.remove', { id: top.id });
    expect((await second.value<BookmarkView[]>('bookmarks.list', {})).map((b) => b.name)).toEqual([
      'Team documents',
      'Raw photos',
    ]);
    const file = JSON.parse(await readFile(join(dataDir, 'bookmarks.json'), 'utf8')) as { bookmarks: unknown[] };
    expect(file.bookmarks).toHaveLength(2);
    await second.services.dispose();
  });

  it('refuses bad input in words, and changes nothing', async () => {
    const { call, value, services } = servicesIn(await dataFolder());
    const added = await value<BookmarkView>('bookmarks.add', { accountId: 'launch', bucket: 'b', prefix: 'x/' });
    const refused = async (channel: string, input: object) => {
      const result = await call(channel, input);
      if (result.ok) throw new Error(`${channel} should have been refused`);
      return { code: result.error.code, message: result.error.message };
    };
    expect(await refused('bookmarks.add', { accountId: 'launch', bucket: 'b', prefix: 'no-slash' })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('ends in "/"'),
    });
    expect(await refused('bookmarks.rename', { id: added.id, name: '   ' })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('Give the bookmark a name.'),
    });
    expect(await refused('bookmarks.rename', { id: added.id, name: 'two\nlines' })).toMatchObject({
      code: 'invalid-input',
    });
    expect(await refused('bookmarks.add', { accountId: 'launch', bucket: 'b', prefix: 'x/' })).toEqual({
      code: 'conflict',
      message: 'This folder is bookmarked already, as "x".',
    });
    expect(await refused('bookmarks.add', { accountId: 'launch', bucket: 'b', prefix: 'y/', name: 'X' })).toMatchObject(
      { code: 'conflict' },
    );
    expect(await refused('bookmarks.move', { id: added.id, toIndex: -1 })).toMatchObject({ code: 'invalid-input' });
    expect(summary(await value<BookmarkView[]>('bookmarks.list', {}))).toEqual([['x', 'b', 'x/', false]]);
    await services.dispose();
  });

  it('marks the bookmarks of a removed account as such, and lets them be removed', async () => {
    const { value, services, events } = servicesIn(await dataFolder());
    const account = await value<AccountSummary>('accounts.save', {
      draft: {
        ...draftFromPreset('minio'),
        name: 'Second MinIO',
        endpoint: s3.endpoint,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        secretStorage: 'session',
      },
    });
    const kept = await value<BookmarkView>('bookmarks.add', { accountId: account.id, bucket: 'b', prefix: '' });
    expect(kept).toMatchObject({ accountName: 'Second MinIO', accountMissing: false });
    await value('accounts.remove', { accountId: account.id });
    await expect.poll(() => events.at(-1)?.[0]?.accountMissing).toBe(true);
    expect(await value<BookmarkView[]>('bookmarks.list', {})).toEqual([
      { ...kept, accountName: null, accountMissing: true },
    ]);
    await value('bookmarks.remove', { id: kept.id });
    expect(await value<BookmarkView[]>('bookmarks.list', {})).toEqual([]);
    await services.dispose();
  });

  it('copies an unreadable bookmarks file aside instead of overwriting it, and keeps entries it cannot read', async () => {
    const dataDir = await dataFolder();
    await writeFile(join(dataDir, 'bookmarks.json'), '{ not json');
    const broken = servicesIn(dataDir);
    expect(await broken.value('bookmarks.list', {})).toEqual([]);
    await broken.value('bookmarks.add', { accountId: 'launch', bucket: 'b', prefix: '' });
    const copies = (await readdir(dataDir)).filter((name) => name.startsWith('bookmarks.json.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(await readFile(join(dataDir, copies[0] ?? ''), 'utf8')).toBe('{ not json');
    await broken.services.dispose();

    const future = { id: 'not-a-uuid', name: 'From a newer version', kind: 'smart-folder' };
    const file = JSON.parse(await readFile(join(dataDir, 'bookmarks.json'), 'utf8')) as { bookmarks: unknown[] };
    await writeFile(
      join(dataDir, 'bookmarks.json'),
      JSON.stringify({ ...file, bookmarks: [...file.bookmarks, future] }),
    );
    const again = servicesIn(dataDir);
    expect((await again.value<BookmarkView[]>('bookmarks.list', {})).map((b) => b.name)).toEqual(['b']);
    await again.value('bookmarks.add', { accountId: 'launch', bucket: 'c', prefix: '' });
    const written = JSON.parse(await readFile(join(dataDir, 'bookmarks.json'), 'utf8')) as { setAside: unknown[] };
    expect(written.setAside).toEqual([future]);
    await again.services.dispose();
  });
});
