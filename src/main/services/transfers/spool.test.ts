import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createSpools, spoolPathProblem } from './spool';

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('spool paths', () => {
  test('relative paths with / are accepted', () => {
    expect(spoolPathProblem('a.txt')).toBeUndefined();
    expect(spoolPathProblem('photos/2024/a b.jpg')).toBeUndefined();
    expect(spoolPathProblem('..hidden/..x')).toBeUndefined();
  });

  test.each(['', '/abs', 'C:/x', 'c:x', '../x', 'a/../b', 'a/..', 'a\\b', 'a//b', './a', 'a/.', 'a\0b'])(
    'refuses %j',
    (path) => {
      expect(spoolPathProblem(path)).toBeDefined();
    },
  );
});

describe('spools', () => {
  test('write files into their own folder, refuse unknown ids and writes after sealing, and remove the folder', async () => {
    root = await mkdtemp(join(tmpdir(), 's3fm-spool-test-'));
    const spools = createSpools(root);
    const id = await spools.open();
    await spools.write(id, 'photos/a.txt', bytes('hello ', 'world'));
    expect(await readFile(join(root, id, 'photos', 'a.txt'), 'utf8')).toBe('hello world');
    await expect(spools.write(id, '../escape.txt', bytes('x'))).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(spools.write('not-a-uuid', 'a.txt', bytes('x'))).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(spools.write('11111111-1111-4111-8111-111111111111', 'a.txt', bytes('x'))).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect(await readdir(root)).toEqual([id]);

    // A write that breaks off leaves nothing behind.
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('part');
      throw new Error('the browser went away');
    }
    await expect(spools.write(id, 'photos/b.txt', broken())).rejects.toThrow('the browser went away');
    expect(await readdir(join(root, id, 'photos'))).toEqual(['a.txt']);

    spools.seal(id);
    await expect(spools.write(id, 'late.txt', bytes('x'))).rejects.toMatchObject({ code: 'conflict' });
    await spools.remove(id);
    expect(await readdir(root)).toEqual([]);
    expect(spools.isOpen(id)).toBe(false);
  });
});
