import * as fs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFileSystem } from './atomic-file';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 's3fm-atomic-'));
});
afterEach(async () => rm(folder, { recursive: true, force: true }));

type Step = 'write' | 'sync' | 'close' | 'rename';

/** Real file-system calls, with one step made to fail, and a record of what was opened and synced. */
function fileSystemFailingAt(step: Step | undefined, calls: string[] = []): AtomicWriteFileSystem {
  const fail = (what: Step) => {
    if (step === what) throw Object.assign(new Error(`injected ${what} failure`), { code: 'ENOSPC' });
  };
  return {
    mkdir: fs.mkdir,
    rm: fs.rm,
    rename: async (from, to) => {
      calls.push(`rename ${String(to)}`);
      fail('rename');
      return fs.rename(from, to);
    },
    open: (async (path: string, flags?: string, mode?: number) => {
      const handle = await fs.open(path, flags, mode);
      const label = path === folder ? 'folder' : 'file';
      calls.push(`open ${label}`);
      return Object.assign(Object.create(handle) as fs.FileHandle, {
        writeFile: async (data: string | Uint8Array) => {
          fail('write');
          return handle.writeFile(data);
        },
        sync: async () => {
          calls.push(`sync ${label}`);
          fail('sync');
          return handle.sync();
        },
        close: async () => {
          await handle.close();
          fail('close');
        },
      });
    }) as AtomicWriteFileSystem['open'],
  };
}

describe('writeFileAtomic', () => {
  it('writes the file, then syncs the folder after the rename', async () => {
    const calls: string[] = [];
    const target = join(folder, 'state.json');
    await writeFileAtomic(target, '{"a":1}', 0o600, fileSystemFailingAt(undefined, calls));
    expect(await readFile(target, 'utf8')).toBe('{"a":1}');
    expect(await readdir(folder)).toEqual(['state.json']);
    expect(calls).toEqual(['open file', 'sync file', `rename ${target}`, 'open folder', 'sync folder']);
  });

  it.each<Step>(['write', 'sync', 'close', 'rename'])(
    'leaves no temporary file behind when the %s step fails',
    async (step) => {
      const target = join(folder, 'state.json');
      await fs.writeFile(target, 'old');
      await expect(writeFileAtomic(target, 'new', 0o600, fileSystemFailingAt(step))).rejects.toThrow(
        `injected ${step} failure`,
      );
      expect(await readdir(folder)).toEqual(['state.json']);
      expect(await readFile(target, 'utf8')).toBe('old');
    },
  );

  it('leaves no temporary file behind when the data cannot be written (a real failure)', async () => {
    const target = join(folder, 'state.json');
    await expect(writeFileAtomic(target, 42 as unknown as string)).rejects.toThrow();
    expect(await readdir(folder)).toEqual([]);
  });

  it('goes on where the folder cannot be synced (EINVAL, EISDIR), and fails on other errors', async () => {
    const target = join(folder, 'state.json');
    for (const code of ['EINVAL', 'EISDIR', 'EIO']) {
      const base = fileSystemFailingAt(undefined);
      const fileSystem: AtomicWriteFileSystem = {
        ...base,
        open: (async (path: string, flags?: string, mode?: number) => {
          if (path === folder) throw Object.assign(new Error(`folder ${code}`), { code });
          return base.open(path, flags, mode);
        }) as AtomicWriteFileSystem['open'],
      };
      const writing = writeFileAtomic(target, code, 0o600, fileSystem);
      if (code === 'EIO') await expect(writing).rejects.toThrow('folder EIO');
      else await writing;
      expect(await readFile(target, 'utf8')).toBe(code);
    }
  });
});
