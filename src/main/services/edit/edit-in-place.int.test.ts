import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { EditSession } from '../../../shared/edit-contract';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { waitFor } from '../../../../test/app-services';
import { dispatch } from '../../host/dispatch';
import { accountFromEnvironment } from '../accounts/env-account';
import { createServices } from '../create-services';
import { createSessionCustomerKeyStore } from '../keychain/customer-key-store';
import { createSessionSecretStore } from '../keychain/secret-store';
import { silentLogger } from '../logging/logger';
import type { DesktopIntegration } from '../service-context';
import { putIfUnchanged } from './conditional-put';

const s3 = inject('s3');
const client = s3ClientFor(s3);
const buckets: FreshBucket[] = [];
afterAll(async () => {
  for (const bucket of buckets) await bucket.cleanup();
  client.destroy();
});

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const objectBytes = async (Bucket: string, Key: string) =>
  Buffer.from(await (await client.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The app's services with a desktop stand-in whose "app" is this test: it records the path it was asked to open. */
async function editingServices(
  withDesktop = true,
  options: { dataDir?: string; editTiming?: { debounceMs: number; pollMs: number } } = {},
) {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 's3fm-edit-')));
  const opened: string[] = [];
  const desktop: DesktopIntegration = {
    chooseFolder: async () => null,
    reveal: () => undefined,
    notify: () => undefined,
    downloadsDir: () => tmpdir(),
    startDrag: () => undefined,
    openPath: async (path) => {
      opened.push(path);
    },
    openWith: async (path) => {
      opened.push(path);
      return true;
    },
  };
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: s3.endpoint,
    S3FM_ACCESS_KEY_ID: s3.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: withDesktop ? 'electron' : 'web' },
    dataDir,
    keychain: createSessionSecretStore(),
    customerKeys: createSessionCustomerKeyStore(),
    logger: silentLogger,
    launchAccounts: launch ? [launch] : [],
    ...(withDesktop ? { desktop } : {}),
    editTiming: options.editTiming ?? { debounceMs: 100, pollMs: 250 },
  });
  const sessions = new Map<string, { session: EditSession; ended: boolean }>();
  services.bus.onAny((channel, payload) => {
    if (channel !== 'edit.changed') return;
    const change = payload as { session: EditSession; ended: boolean };
    sessions.set(change.session.id, change);
  });
  const call = async <T>(channel: string, input: object, host: 'ipc' | 'ws' = 'ipc'): Promise<T> => {
    // Channels about a file take the account; the others (edit.resolve, edit.stop) take none.
    const withAccount = 'bucket' in input ? { accountId: 'launch', ...input } : input;
    const result = await dispatch(services, channel, withAccount, { host });
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  };
  const callRaw = (channel: string, input: object, host: 'ipc' | 'ws' = 'ipc') =>
    dispatch(services, channel, input, { host });
  return { services, dataDir, opened, sessions, call, callRaw };
}

describe('editing with a local app (MinIO, a real temporary folder)', () => {
  it('uploads saves made in place and by rename-over, refuses a save over a server-side change, and removes its copy when it ends', async () => {
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const Bucket = bucket.name;
    const Key = 'notes/todo.txt';
    await client.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: 'first version\n',
        ContentType: 'text/plain',
        Metadata: { owner: 'ann' },
      }),
    );
    const app = await editingServices();
    // A file of the person's own beside the data folder: nothing the session does may touch it.
    const theirFile = join(dirname(app.dataDir), `${Date.now()}-own-file.txt`);
    await writeFile(theirFile, 'my own file');

    const session = await app.call<EditSession>('edit.open', { bucket: Bucket, key: Key });
    expect(session).toMatchObject({ state: 'watching', mode: 'desktop', name: 'todo.txt', uploads: 0 });
    const [path] = app.opened;
    if (!path) throw new Error('the app was not opened');
    const folder = dirname(path);
    expect(folder.startsWith(join(app.dataDir, 'edit'))).toBe(true);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(join(app.dataDir, 'edit'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).toBe('first version\n');

    const uploads = (count: number) =>
      waitFor(
        () => {
          const now = app.sessions.get(session.id)?.session;
          return now && now.uploads >= count && now.state === 'uploaded' ? now : undefined;
        },
        `${count} uploads`,
        20_000,
      );

    // 1. An editor that writes in place (truncate, then write).
    const inPlace = 'second version, written in place\n';
    await writeFile(path, inPlace);
    await uploads(1);
    expect(sha256(await objectBytes(Bucket, Key))).toBe(sha256(inPlace));

    // 2. An editor that writes a temporary file and renames it over the original.
    const renamed = Buffer.concat([Buffer.from('third version, renamed over\n'), Buffer.alloc(100_000, 7)]);
    await writeFile(join(folder, '.todo.txt.swp-tmp'), renamed);
    await rename(join(folder, '.todo.txt.swp-tmp'), path);
    const afterTwo = await uploads(2);
    expect(sha256(await objectBytes(Bucket, Key))).toBe(sha256(renamed));
    const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toEqual({ owner: 'ann' });
    expect(afterTwo.etag?.replace(/"/g, '')).toBe(head.ETag?.replace(/"/g, ''));

    // 3. A save that changes nothing uploads nothing.
    await writeFile(path, renamed);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(app.sessions.get(session.id)?.session.uploads).toBe(2);

    // 4. Another client changes the object; the next save is refused and reported, the server's object kept.
    const theirs = 'changed by someone else\n';
    await client.send(new PutObjectCommand({ Bucket, Key, Body: theirs }));
    await writeFile(path, 'my fourth version\n');
    const conflict = await waitFor(
      () => {
        const now = app.sessions.get(session.id)?.session;
        return now?.state === 'conflict' ? now : undefined;
      },
      'the conflict',
      20_000,
    );
    expect(conflict.message).toMatch(/changed on the server since you opened it/);
    expect(conflict.uploads).toBe(2);
    expect(sha256(await objectBytes(Bucket, Key))).toBe(sha256(theirs));

    // "Keep editing": nothing is written; the next save asks again.
    const kept = await app.call<{ session: EditSession }>('edit.resolve', {
      sessionId: session.id,
      choice: 'keep-editing',
    });
    expect(kept.session?.state).toBe('watching');
    await writeFile(path, 'my fifth version\n');
    await waitFor(() => app.sessions.get(session.id)?.session.state === 'conflict', 'the second conflict', 20_000);
    expect(sha256(await objectBytes(Bucket, Key))).toBe(sha256(theirs));

    // "Save as a copy next to it": a new object; the original stays theirs; editing ends and the copy goes.
    const copied = await app.call<{ session: EditSession }>('edit.resolve', {
      sessionId: session.id,
      choice: 'save-copy',
    });
    expect(copied.session?.copyKey).toBe('notes/todo (edited).txt');
    expect((await objectBytes(Bucket, 'notes/todo (edited).txt')).toString()).toBe('my fifth version\n');
    expect(sha256(await objectBytes(Bucket, Key))).toBe(sha256(theirs));
    expect(app.sessions.get(session.id)?.ended).toBe(true);
    expect(await exists(folder)).toBe(false);
    expect(await readdir(join(app.dataDir, 'edit'))).toEqual([]);
    expect(await readFile(theirFile, 'utf8')).toBe('my own file');
    expect(await app.call('edit.list', {})).toEqual([]);
    await app.services.dispose();
  });

  it('"Overwrite" replaces the server\'s change, "Stop editing" removes the copy, and "Open with…" hands the file to the chosen app', async () => {
    const bucket = await freshBucket(s3, { versioning: true });
    buckets.push(bucket);
    const Bucket = bucket.name;
    const Key = 'report.md';
    await client.send(new PutObjectCommand({ Bucket, Key, Body: '# v1\n' }));
    const app = await editingServices();
    const session = await app.call<EditSession>('edit.open', { bucket: Bucket, key: Key, app: 'choose' });
    const path = app.opened[0]!;
    await client.send(new PutObjectCommand({ Bucket, Key, Body: '# theirs\n' }));
    await writeFile(path, '# mine\n');
    await waitFor(() => app.sessions.get(session.id)?.session.state === 'conflict', 'the conflict', 20_000);
    const overwritten = await app.call<{ session: EditSession }>('edit.resolve', {
      sessionId: session.id,
      choice: 'overwrite',
    });
    expect(overwritten.session).toMatchObject({ state: 'uploaded', uploads: 1 });
    expect((await objectBytes(Bucket, Key)).toString()).toBe('# mine\n');
    // Later saves go on over the version just written.
    await writeFile(path, '# mine, again\n');
    await waitFor(() => app.sessions.get(session.id)?.session.uploads === 2, 'the next upload', 20_000);
    expect((await objectBytes(Bucket, Key)).toString()).toBe('# mine, again\n');

    expect(await app.call('edit.stop', { sessionId: session.id })).toEqual({ stopped: true });
    expect(await exists(path)).toBe(false);
    expect(await exists(dirname(path))).toBe(false);
    // Saves after the end go nowhere.
    expect(app.sessions.get(session.id)?.ended).toBe(true);
    await app.services.dispose();
  });

  it('after a crash, a copy with changes not uploaded comes back: uploaded over its version, or asked about when the server changed; unchanged copies are removed', async () => {
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const Bucket = bucket.name;
    await client.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'a v1\n' }));
    await client.send(new PutObjectCommand({ Bucket, Key: 'b.txt', Body: 'b v1\n' }));
    await client.send(new PutObjectCommand({ Bucket, Key: 'c.txt', Body: 'c v1\n' }));
    // The first run sees no save before it "crashes": its watch waits far longer than the test.
    const slow = { debounceMs: 600_000, pollMs: 600_000 };
    const first = await editingServices(true, { editTiming: slow });
    for (const key of ['a.txt', 'b.txt', 'c.txt']) await first.call('edit.open', { bucket: Bucket, key });
    const [pathA, pathB, pathC] = first.opened;
    if (!pathA || !pathB || !pathC) throw new Error('the app was not opened three times');
    await writeFile(pathA, 'a, mine\n');
    await writeFile(pathC, 'c, mine\n');
    // Someone else changes c.txt on the server meanwhile.
    await client.send(new PutObjectCommand({ Bucket, Key: 'c.txt', Body: 'c, theirs\n' }));

    // The next start over the same data folder (the first run never ended: a crash).
    const second = await editingServices(true, { dataDir: first.dataDir });
    const recovered = await second.call<EditSession[]>('edit.list', {});
    expect(recovered.map((s) => [s.key, s.state]).sort()).toEqual([
      ['a.txt', 'recovered'],
      ['c.txt', 'recovered'],
    ]);
    expect(recovered[0]?.message).toMatch(/saved after the app last stopped and not uploaded/);
    // b.txt's copy held only what the server has: it is gone. The edited copies stay.
    expect(await exists(dirname(pathB))).toBe(false);
    expect(await readFile(pathA, 'utf8')).toBe('a, mine\n');
    expect((await objectBytes(Bucket, 'a.txt')).toString()).toBe('a v1\n');

    // "Upload my changes" sends a.txt over the version it was opened from.
    const a = recovered.find((s) => s.key === 'a.txt')!;
    const uploaded = await second.call<{ session: EditSession }>('edit.resolve', {
      sessionId: a.id,
      choice: 'overwrite',
    });
    expect(uploaded.session).toMatchObject({ state: 'uploaded', uploads: 1 });
    expect((await objectBytes(Bucket, 'a.txt')).toString()).toBe('a, mine\n');

    // c.txt changed on the server: the upload is refused and the conflict question is asked.
    const c = recovered.find((s) => s.key === 'c.txt')!;
    const refused = await second.call<{ session: EditSession }>('edit.resolve', {
      sessionId: c.id,
      choice: 'overwrite',
    });
    expect(refused.session.state).toBe('conflict');
    expect((await objectBytes(Bucket, 'c.txt')).toString()).toBe('c, theirs\n');
    const copied = await second.call<{ session: EditSession }>('edit.resolve', {
      sessionId: c.id,
      choice: 'save-copy',
    });
    expect(copied.session?.copyKey).toBeTruthy();
    expect((await objectBytes(Bucket, copied.session!.copyKey!)).toString()).toBe('c, mine\n');
    expect(await exists(dirname(pathC))).toBe(false);

    // Quitting when nothing is new removes the copy.
    await second.services.dispose();
    expect(await exists(dirname(pathA))).toBe(false);

    // Quitting with a save not uploaded yet (the slow watch has not seen it) keeps the copy, and
    // the next start offers it back; "Discard my changes" then removes it and leaves the object.
    const third = await editingServices(true, { dataDir: first.dataDir, editTiming: slow });
    expect(await third.call<EditSession[]>('edit.list', {})).toEqual([]);
    await third.call('edit.open', { bucket: Bucket, key: 'b.txt' });
    const pathD = third.opened[0]!;
    await writeFile(pathD, 'b, mine\n');
    await third.services.dispose();
    expect(await readFile(pathD, 'utf8')).toBe('b, mine\n');
    const fourth = await editingServices(true, { dataDir: first.dataDir });
    const left = await fourth.call<EditSession[]>('edit.list', {});
    expect(left.map((s) => [s.key, s.state])).toEqual([['b.txt', 'recovered']]);
    expect(await fourth.call('edit.resolve', { sessionId: left[0]!.id, choice: 'discard' })).toEqual({
      session: null,
    });
    expect(await exists(dirname(pathD))).toBe(false);
    expect((await objectBytes(Bucket, 'b.txt')).toString()).toBe('b v1\n');
    await fourth.services.dispose();
    await first.services.dispose();
  });

  it('web mode: a download link for the recorded version, then "Upload my changes" with the same ETag check', async () => {
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const Bucket = bucket.name;
    const Key = 'data/table.csv';
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'a,b\n1,2\n' }));
    const app = await editingServices(false);
    // Web mode has no local app to open the file with: it says what to do instead.
    expect(await app.callRaw('edit.open', { accountId: 'launch', bucket: Bucket, key: Key }, 'ws')).toMatchObject({
      ok: false,
      error: { code: 'not-supported', message: expect.stringContaining('upload your changes') },
    });
    const { session, url } = await app.call<{ session: EditSession; url: string }>(
      'edit.download',
      { bucket: Bucket, key: Key },
      'ws',
    );
    expect(session).toMatchObject({ mode: 'browser', state: 'watching' });
    const fetched = await fetch(url);
    expect(fetched.headers.get('content-disposition')).toContain('attachment; filename="table.csv"');
    expect(await fetched.text()).toBe('a,b\n1,2\n');

    const send = async (text: string) => {
      const { spoolId } = await app.call<{ spoolId: string }>('transfers.openSpool', {}, 'ws');
      await app.services.spool.write(
        spoolId,
        'table.csv',
        (async function* () {
          yield Buffer.from(text);
        })(),
      );
      return app.call<EditSession>('edit.uploadChanges', { sessionId: session.id, spoolId }, 'ws');
    };
    expect(await send('a,b\n1,3\n')).toMatchObject({ state: 'uploaded', uploads: 1 });
    expect((await objectBytes(Bucket, Key)).toString()).toBe('a,b\n1,3\n');
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'theirs' }));
    expect(await send('a,b\n1,4\n')).toMatchObject({ state: 'conflict', uploads: 1 });
    expect((await objectBytes(Bucket, Key)).toString()).toBe('theirs');
    expect(await app.call('edit.resolve', { sessionId: session.id, choice: 'discard' }, 'ws')).toEqual({
      session: null,
    });
    expect((await objectBytes(Bucket, Key)).toString()).toBe('theirs');
    expect(await readdir(join(app.dataDir, 'spool'))).toEqual([]);
    await app.services.dispose();
  });

  it('MinIO honours If-Match: an object changed between the HEAD compare and the PUT is not overwritten', async () => {
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const Bucket = bucket.name;
    const Key = 'race.txt';
    const { ETag } = await client.send(new PutObjectCommand({ Bucket, Key, Body: 'opened' }));
    const racing = s3ClientFor(s3);
    let raced = false;
    // Another client writes after our HEAD, just before our PUT leaves.
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' && !raced) {
          raced = true;
          await client.send(new PutObjectCommand({ Bucket, Key, Body: 'theirs, in between' }));
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const writes = { ifMatch: 'try' as const };
    const result = await putIfUnchanged(
      racing,
      { bucket: Bucket, key: Key, expectedEtag: ETag ?? null },
      Buffer.from('mine'),
      { ...writes },
      { etagsAreMd5: true },
    );
    racing.destroy();
    expect(raced).toBe(true);
    expect(result.kind).toBe('changed');
    expect((await objectBytes(Bucket, Key)).toString()).toBe('theirs, in between');
  });
});
