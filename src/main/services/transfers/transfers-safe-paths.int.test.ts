/**
 * Downloading a folder whose keys try to leave the chosen folder ('..' segments, a leading
 * '/', empty segments, backslashes, drive letters, reserved names) writes only inside it,
 * and each renamed file's note says what became of it. MinIO refuses to store such keys (AWS
 * accepts them), so test/transfer-key-proxy.ts shows MinIO's objects under those names.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { startKeyAliasProxy, type KeyAliasProxy } from '../../../../test/transfer-key-proxy';
import { startTransferServices } from '../../../../test/transfer-services';

const s3 = inject('s3');

/** Shown key → stored key (what MinIO holds). */
const aliases: Record<string, string> = {
  'evil/../x': 'evil/alias-dotdot-x',
  'evil/../../escape.txt': 'evil/alias-escape',
  'evil/a/../../b.txt': 'evil/alias-a-b',
  'evil//abs.txt': 'evil/alias-empty-abs',
  '/abs.txt': 'slash/alias-abs',
  '/../up.txt': 'slash/alias-up',
};
/** Keys MinIO stores as they are. */
const plainKeys = ['evil/C:\\x', 'evil/con.txt', 'evil/ok.txt', 'evil/_/x', 'evil/trailing. '];

let bucket: FreshBucket;
let client: S3Client;
let proxy: KeyAliasProxy;
let work: string;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  for (const key of [...Object.values(aliases), ...plainKeys]) {
    const shown = Object.entries(aliases).find(([, stored]) => stored === key)?.[0] ?? key;
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: `content of ${shown}` }));
  }
  proxy = await startKeyAliasProxy({
    target: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    aliases,
    prefixAliases: { '/': 'slash/' },
  });
  work = await mkdtemp(join(tmpdir(), 's3fm-safe-'));
});

afterAll(async () => {
  await proxy?.stop();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every file below a folder, as '/'-separated relative paths with their text. */
async function tree(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[
      path
        .slice(folder.length + 1)
        .split('\\')
        .join('/')
    ] = await readFile(path, 'utf8');
  }
  return files;
}

describe('downloads never write outside the chosen folder', () => {
  test.each([
    {
      rules: 'posix' as const,
      expected: {
        'evil/_/x': 'either',
        'evil/_/x (1)': 'either',
        'evil/_/_/escape.txt': 'content of evil/../../escape.txt',
        'evil/a/_/_/b.txt': 'content of evil/a/../../b.txt',
        'evil/abs.txt': 'content of evil//abs.txt',
        'evil/C:_x': 'content of evil/C:\\x',
        'evil/con.txt': 'content of evil/con.txt',
        'evil/ok.txt': 'content of evil/ok.txt',
        // Windows, SMB and exFAT drop trailing dots and spaces, so they become '_' everywhere.
        'evil/trailing__': 'content of evil/trailing. ',
        'abs.txt': 'content of /abs.txt',
        '_/up.txt': 'content of /../up.txt',
      },
    },
    {
      rules: 'win32' as const,
      expected: {
        'evil/_/x': 'either',
        'evil/_/x (1)': 'either',
        'evil/_/_/escape.txt': 'content of evil/../../escape.txt',
        'evil/a/_/_/b.txt': 'content of evil/a/../../b.txt',
        'evil/abs.txt': 'content of evil//abs.txt',
        'evil/C__x': 'content of evil/C:\\x',
        'evil/_con.txt': 'content of evil/con.txt',
        'evil/ok.txt': 'content of evil/ok.txt',
        'evil/trailing__': 'content of evil/trailing. ',
        'abs.txt': 'content of /abs.txt',
        '_/up.txt': 'content of /../up.txt',
      },
    },
  ])(
    'with $rules file-name rules, and the notes say what was renamed',
    async ({ rules, expected }) => {
      const outer = await mkdtemp(join(work, `outer-${rules}-`));
      const target = join(outer, 'target');
      const transfers = await startTransferServices({
        endpoint: proxy.url,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        tuning: { pathRules: rules },
      });
      try {
        const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
          bucket: bucket.name,
          items: ['evil/', '/'],
          targetDir: target,
        });
        const outcome = await transfers.batchFinished(batchId);
        expect(outcome).toMatchObject({ finished: 11, failed: 0, skipped: 0 });

        // Nothing landed beside (or above) the chosen folder, and everything inside is where it should be.
        expect(await readdir(outer)).toEqual(['target']);
        expect(await readdir(work)).not.toContain('escape.txt');
        // 'evil/../x' and 'evil/_/x' both want evil/_/x: the second listed is numbered before either runs.
        const written = await tree(target);
        expect([written['evil/_/x'], written['evil/_/x (1)']].sort()).toEqual([
          'content of evil/../x',
          'content of evil/_/x',
        ]);
        expect({ ...written, 'evil/_/x': 'either', 'evil/_/x (1)': 'either' }).toEqual(expected);
        // The requests asked for the keys as they are named (the proxy saw '..').
        expect(proxy.requests.some((r) => r.method === 'GET' && r.path.endsWith('/evil/../../escape.txt'))).toBe(true);

        const byKey = new Map(transfers.batchSnapshots(batchId).map((s) => [s.key, s]));
        expect(byKey.get('evil/../../escape.txt')?.note).toBe(
          `Key made safe: saved as "evil/_/_/escape.txt" ('..' became '_').`,
        );
        expect(byKey.get('evil/../../escape.txt')?.localPath).toBe(join(target, 'evil', '_', '_', 'escape.txt'));
        expect(byKey.get('/abs.txt')?.note).toBe(`Key made safe: saved as "abs.txt" (a leading '/' was removed).`);
        expect(byKey.get('evil//abs.txt')?.note).toMatch(/empty or '\.' parts were removed/);
        expect(byKey.get('evil/C:\\x')?.note).toMatch(/backslashes became '_'/);
        expect(byKey.get('evil/ok.txt')?.note).toBeNull();
        // Two keys wanted evil/_/x: the second one is numbered, and its note says why.
        const renamed = [byKey.get('evil/../x'), byKey.get('evil/_/x')].filter((s) => s?.name === 'x (1)');
        expect(renamed).toHaveLength(1);
        expect(renamed[0]?.note).toMatch(
          /saved as "evil\/_\/x \(1\)" .*another key of this download is saved as "evil\/_\/x"/,
        );
        if (rules === 'win32') {
          expect(byKey.get('evil/con.txt')?.note).toMatch(/"con\.txt" is a name Windows reserves/);
          expect(byKey.get('evil/C:\\x')?.note).toMatch(/characters Windows does not allow/);
        }
      } finally {
        await transfers.dispose();
      }
    },
    60_000,
  );
});
