import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyPath, type CompareSettings } from './compare';
import { compareKeys } from './key-order';
import { walkLocalTree } from './local-tree';
import { mergeByPath } from './merge-join';

/** S3's order: the UTF-8 bytes of each key. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Names that sort differently in UTF-16, by locale, by case or around '/'. */
const trickyNames = [
  'a.txt',
  'a-b',
  'a/b',
  'a0',
  'A',
  'B/c d.txt',
  'space name',
  'é.txt',
  'e\u0301.txt',
  '\uff21wide',
  '\u{1f600}smile',
  '\ue000private',
  'z',
];

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('compareKeys', () => {
  it('orders keys as S3 does (UTF-8 bytes), not as JavaScript strings do', () => {
    expect([...trickyNames].sort(compareKeys)).toEqual([...trickyNames].sort(byUtf8));
    // JavaScript's own order puts U+E000 after the emoji's surrogates: the case that differs.
    expect([...trickyNames].sort()).not.toEqual([...trickyNames].sort(byUtf8));
  });
});

describe('walkLocalTree', () => {
  it('walks a folder in S3 key order, with "/" between names, and skips links and temporary files', async () => {
    const root = await mkdtemp(join(tmpdir(), 's3fm-sync-walk-'));
    folders.push(root);
    const files = ['a.txt', 'a-b', 'a/b', 'a/c/d', 'a0', 'A', 'B/c d.txt', 'é.txt', '\u{1f600}', '\ue000', 'z'];
    for (const file of files) {
      await mkdir(join(root, ...file.split('/').slice(0, -1)), { recursive: true });
      await writeFile(join(root, ...file.split('/')), file);
    }
    await mkdir(join(root, 'empty'));
    await writeFile(join(root, '.z.1234.s3fm-part'), 'partial');
    await symlink(join(root, 'a.txt'), join(root, 'link'));
    const walked: string[] = [];
    for await (const file of walkLocalTree(root)) walked.push(file.path);
    expect(walked).toEqual([...files].sort(byUtf8));
  });
});

describe('mergeByPath', () => {
  it('joins sorted streams path by path and refuses one out of order', async () => {
    const joined = [];
    for await (const entry of mergeByPath<{ left: { path: string }; right: { path: string } }>({
      left: from([{ path: 'a' }, { path: 'a/b' }, { path: '\u{1f600}' }]),
      right: from([{ path: 'a/b' }, { path: '\ue000' }]),
    })) {
      joined.push([entry.path, entry.left !== undefined, entry.right !== undefined]);
    }
    expect(joined).toEqual([
      ['a', true, false],
      ['a/b', true, true],
      ['\ue000', false, true],
      ['\u{1f600}', true, false],
    ]);
    const unordered = mergeByPath<{ only: { path: string } }>({ only: from([{ path: 'b' }, { path: 'a' }]) });
    await expect(async () => {
      for await (const _ of unordered) void _;
    }).rejects.toThrow(/out of order/);
  });
});

describe('classifyPath', () => {
  const upload: CompareSettings = { direction: 'upload', mode: 'mirror', deletes: true, targetDeletes: true };
  const older = { size: 1, mtimeMs: 1_000_000 };
  const newer = { size: 1, mtimeMs: 5_000_000 };

  it('copies what only the source has and deletes extras only when asked', () => {
    expect(classifyPath({ source: older }, upload)).toMatchObject({ action: 'upload', ticked: true });
    expect(classifyPath({ target: older }, upload)).toMatchObject({ action: 'delete', ticked: true });
    expect(classifyPath({ target: older }, { ...upload, deletes: false })).toMatchObject({
      action: 'skip',
      tickable: false,
    });
    expect(classifyPath({ target: older }, { ...upload, mode: 'update' })).toEqual({ kind: 'kept' });
    const download = { ...upload, direction: 'download' as const, targetDeletes: false };
    expect(classifyPath({ target: older }, download)).toMatchObject({ action: 'skip', reason: /trash/ });
  });

  it('shows a conflict, unticked, where both sides changed since the last sync', () => {
    const both = { sourceChanged: true, targetChanged: true };
    expect(classifyPath({ source: older, target: newer, equal: false, since: both }, upload)).toMatchObject({
      action: 'conflict',
      ticked: false,
      tickable: true,
    });
    const sourceOnly = { sourceChanged: true, targetChanged: false };
    expect(classifyPath({ source: older, target: newer, equal: false, since: sourceOnly }, upload)).toMatchObject({
      action: 'replace',
    });
    const targetOnly = { sourceChanged: false, targetChanged: true };
    expect(
      classifyPath({ source: older, target: newer, equal: false, since: targetOnly }, { ...upload, mode: 'update' }),
    ).toMatchObject({ action: 'skip' });
  });

  it('without a last sync, replaces an older target and calls a newer one a conflict', () => {
    expect(classifyPath({ source: newer, target: older, equal: false }, upload)).toMatchObject({ action: 'replace' });
    expect(classifyPath({ source: older, target: newer, equal: false }, upload)).toMatchObject({ action: 'conflict' });
    expect(classifyPath({ source: older, target: newer, equal: true }, upload)).toEqual({ kind: 'same' });
  });
});
