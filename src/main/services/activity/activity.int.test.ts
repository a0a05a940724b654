import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ActivityEntry, ActivityExport, ActivityPage } from '../../../shared/activity';
import type { PostPolicyLink, ShareLink } from '../../../shared/share';
import type { TransferSettings } from '../../../shared/transfers';
import { startAppServices, waitFor, type AppServices } from '../../../../test/app-services';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';

/**
 * The activity log against MinIO and a real local folder: changes made through dispatch, as the
 * UI makes them, and what the log says of each (with the real end of long ones), read back
 * through `activity.list` and from the file on disk.
 */
const s3 = inject('s3');
const client = s3ClientFor(s3);
let app: AppServices;
let bucket: FreshBucket;
let local: string;
const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const files = { 'a.txt': randomBytes(1000), 'b, "c".txt': randomBytes(2000), 'd.bin': randomBytes(70_000) };

beforeAll(async () => {
  bucket = await freshBucket(s3);
  local = await mkdtemp(join(tmpdir(), 's3fm-activity-local-'));
  await mkdir(join(local, 'album'));
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(local, 'album', name), bytes);
  app = await startAppServices(s3);
});
afterAll(async () => {
  await app.dispose();
  await rm(app.dataDir, { recursive: true, force: true });
  await bucket.cleanup();
  await rm(local, { recursive: true, force: true });
  client.destroy();
});

/** The log's entries matching a filter, newest first. */
async function listed(filter: object = {}): Promise<ActivityPage> {
  return app.callRaw<ActivityPage>('activity.list', { filter });
}

/** The newest entry of a channel, once it is no longer running. */
async function ended(channel: string): Promise<ActivityEntry> {
  return waitFor(async () => {
    const entry = (await listed()).entries.find((e) => e.channel === channel);
    return entry && entry.result !== 'running' ? entry : undefined;
  }, `the ${channel} entry to end`);
}

/** The activity file as it is on disk. */
async function logText(): Promise<string> {
  await app.services.activity.flush();
  return readFile(join(app.dataDir, 'activity', 'activity.jsonl'), 'utf8');
}

describe('activity log against MinIO and a local folder', () => {
  it('records an upload batch with its real end, and the bytes landed', async () => {
    const { batchId } = await app.call<{ batchId: string }>('transfers.upload', {
      bucket: bucket.name,
      prefix: 'in/',
      source: { kind: 'paths', paths: [join(local, 'album')] },
      onConflict: 'skip',
    });
    await app.batchFinished(batchId);
    for (const [name, bytes] of Object.entries(files)) {
      const body = await client.send(new GetObjectCommand({ Bucket: bucket.name, Key: `in/album/${name}` }));
      expect(sha(await body.Body!.transformToByteArray())).toBe(sha(bytes));
    }
    expect(await ended('transfers.upload')).toMatchObject({
      accountId: 'launch',
      accountName: 'Local S3',
      kind: 'upload',
      what: `Upload album to ${bucket.name}/in/`,
      bucket: bucket.name,
      result: 'ok',
      resultText: expect.stringMatching(/^Uploaded 3 files to .*in\/\.$/),
      ref: batchId,
    });
  });

  it('records a download into a local folder, whose files match', async () => {
    const target = join(local, 'downloaded');
    await mkdir(target);
    const { batchId } = await app.call<{ batchId: string }>('transfers.download', {
      bucket: bucket.name,
      items: ['in/album/'],
      targetDir: target,
    });
    await app.batchFinished(batchId);
    for (const [name, bytes] of Object.entries(files)) {
      expect(sha(await readFile(join(target, 'album', name)))).toBe(sha(bytes));
    }
    expect(await ended('transfers.download')).toMatchObject({
      kind: 'download',
      what: `Download in/album/ from ${bucket.name} to ${target}`,
      result: 'ok',
      resultText: expect.stringMatching(/^Downloaded 3 files/),
    });
  });

  it('records a copy that partly failed as failed, with what was and was not done', async () => {
    const outcome = await app.operation('objects.transfer', {
      mode: 'copy',
      sourceBucket: bucket.name,
      items: ['in/album/a.txt', 'in/album/missing.txt'],
      targetBucket: bucket.name,
      targetPrefix: 'copies/',
      onConflict: 'replace',
    });
    expect(outcome.failedCount).toBe(1);
    await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'copies/a.txt' }));
    expect(await ended('objects.transfer')).toMatchObject({
      kind: 'copy',
      what: `Copy in/album/a.txt and in/album/missing.txt from ${bucket.name} to ${bucket.name}/copies/`,
      result: 'failed',
      resultText: outcome.summary,
    });
  });

  it('records a rename, a delete, and a rename refused at once', async () => {
    await app.operation('objects.rename', { bucket: bucket.name, key: 'copies/a.txt', newName: 'renamed.txt' });
    await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'copies/renamed.txt' }));
    expect(await ended('objects.rename')).toMatchObject({ kind: 'rename', result: 'ok' });

    const refused = await app.result('objects.rename', {
      bucket: bucket.name,
      key: 'in/album/a.txt',
      newName: 'd.bin',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const entry = (await listed()).entries[0];
    expect(entry).toMatchObject({
      what: `Rename in/album/a.txt in ${bucket.name} to d.bin`,
      result: 'failed',
      resultText: '"d.bin" already exists here. Choose another name.',
    });

    await app.operation('objects.delete', { bucket: bucket.name, keys: ['copies/renamed.txt'] });
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'copies/renamed.txt' })),
    ).rejects.toThrow();
    expect(await ended('objects.delete')).toMatchObject({
      kind: 'delete',
      what: `Delete copies/renamed.txt from ${bucket.name}`,
      result: 'ok',
      resultText: expect.stringMatching(/1/),
    });
  });

  it('records share links and a settings change, and no secret, signature or form field reaches the file', async () => {
    const [link] = await app.call<ShareLink[]>('share.getLinks', {
      bucket: bucket.name,
      keys: ['in/album/d.bin'],
      expiresInSeconds: 3600,
    });
    expect(link?.url).toContain('X-Amz-Signature=');
    // The link works: the entry is about a real link.
    const fetched = await fetch(link!.url);
    expect(sha(new Uint8Array(await fetched.arrayBuffer()))).toBe(sha(files['d.bin']));
    const put = await app.call<ShareLink>('share.putLink', {
      bucket: bucket.name,
      key: 'in/upload-here.txt',
      expiresInSeconds: 600,
    });
    const post = await app.call<PostPolicyLink>('share.postPolicy', {
      bucket: bucket.name,
      keyPrefix: 'drop/',
      maxSizeBytes: 1024,
      expiresInSeconds: 600,
    });
    const settings = await app.callRaw<TransferSettings>('transfers.settings', {});
    await app.callRaw('transfers.saveSettings', { settings: { ...settings, maxRetries: 7 } });

    // An account saved with a secret key, and an SSE-C key: the two secrets the app holds.
    const accountSecret = `acct-secret-${randomBytes(12).toString('hex')}`;
    await app.callRaw('accounts.save', {
      draft: {
        name: 'Second MinIO',
        provider: 'minio',
        credentialSource: 'static',
        accessKeyId: s3.accessKeyId,
        secretAccessKey: accountSecret,
        profile: '',
        region: '',
        endpoint: s3.endpoint.replace('://', '://someone:pw-in-url-9876@'),
        pathStyle: true,
        shareHost: '',
        rootBucket: '',
        rootPrefix: '',
        caCertFile: '',
        trustedCertificatePem: '',
        secretStorage: 'session',
      },
    });
    const customerKey = randomBytes(32).toString('base64');
    await app.call('sse.setKey', { key: customerKey });

    const kinds = (await listed()).entries.slice(0, 6).map((e) => [e.channel, e.kind, e.result]);
    expect(kinds).toEqual([
      ['sse.setKey', 'settings', 'ok'],
      ['accounts.save', 'settings', 'ok'],
      ['transfers.saveSettings', 'settings', 'ok'],
      ['share.postPolicy', 'link', 'ok'],
      ['share.putLink', 'link', 'ok'],
      ['share.getLinks', 'link', 'ok'],
    ]);
    const { entries } = await listed({ kind: 'link' });
    expect(entries.map((e) => e.what)).toEqual([
      `Make an upload form for ${bucket.name}/drop/, valid for 10 minutes`,
      `Make an upload link for in/upload-here.txt in ${bucket.name}, valid for 10 minutes`,
      `Make a download link for in/album/d.bin in ${bucket.name}, valid for 1 hour`,
    ]);
    expect((await listed({ query: 'second minio' })).entries[0]?.what).toMatch(
      /^Add the account Second MinIO \(127\.0\.0\.1:\d+\)$/,
    );
    expect((await listed({ query: 'retries' })).entries[0]?.what).toMatch(/7 retries$/);

    const text = await logText();
    const secrets = [
      accountSecret,
      'pw-in-url-9876',
      s3.secretAccessKey,
      customerKey,
      new URL(link!.url).searchParams.get('X-Amz-Signature')!,
      new URL(put.url).searchParams.get('X-Amz-Signature')!,
      ...Object.values(post.fields).filter((value) => value.length > 20),
    ];
    for (const secret of secrets) expect(text, 'the activity file holds a secret').not.toContain(secret);
    expect(text).not.toMatch(/X-Amz-Signature|x-amz-signature|X-Amz-Credential/);
  });

  it('filters by result and words, and exports CSV and JSON', async () => {
    const failed = await listed({ result: 'failed' });
    expect(failed.entries.map((e) => e.channel)).toEqual(['objects.rename', 'objects.transfer']);
    expect(failed.total).toBe(2);
    expect((await listed({ query: 'DOWNLOADED  3 files' })).entries.map((e) => e.channel)).toEqual([
      'transfers.download',
    ]);
    expect(failed.accounts).toEqual(expect.arrayContaining([{ id: 'launch', name: 'Local S3' }]));

    const csv = await app.callRaw<ActivityExport>('activity.export', { format: 'csv', filter: { result: 'failed' } });
    expect(csv).toMatchObject({
      mimeType: 'text/csv',
      count: 2,
      fileName: expect.stringMatching(/^activity-.*\.csv$/),
    });
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`Rename in/album/a.txt in ${bucket.name} to d.bin`);
    expect(lines[1]).toContain('"""d.bin"" already exists here. Choose another name."');

    const json = await app.callRaw<ActivityExport>('activity.export', { format: 'json', filter: {} });
    const all = JSON.parse(json.content) as ActivityEntry[];
    expect(all).toEqual((await listed()).entries);
  });

  it('keeps the log across a restart, and clears it', async () => {
    const before = (await listed()).entries;
    await app.services.dispose();
    const again = await startAppServices({ ...s3, dataDir: app.dataDir });
    try {
      expect((await again.callRaw<ActivityPage>('activity.list', {})).entries).toEqual(before);
      expect(await again.callRaw('activity.clear', {})).toEqual({ cleared: before.length });
      await waitFor(async () => (await again.callRaw<ActivityPage>('activity.list', {})).total === 1, 'the clearing');
      expect((await again.callRaw<ActivityPage>('activity.list', {})).entries[0]?.what).toBe('Clear the activity log');
    } finally {
      await again.services.dispose();
    }
    app = await startAppServices({ ...s3, dataDir: app.dataDir });
  });
});
