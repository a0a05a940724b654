import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createLocalVolumes } from './local-volumes';

const EXT4 = 0xef53;
const NFS = 0x6969;

describe('local volumes', () => {
  test('a folder on ext4 is local, on NFS or an unknown file system it is not, and each folder is asked once', async () => {
    const asked: string[] = [];
    const types: Record<string, number> = { '/home/me': EXT4, '/mnt/share': NFS, '/mnt/odd': 0x1234 };
    const volumes = createLocalVolumes({
      platform: 'linux',
      statfs: async (path) => {
        asked.push(path);
        return { type: types[path] ?? 0 };
      },
    });
    expect(await volumes.isLocal('/home/me/a.txt')).toBe(true);
    expect(await volumes.isLocal('/home/me/b.txt')).toBe(true);
    expect(await volumes.isLocal('/mnt/share/a.txt')).toBe(false);
    expect(await volumes.isLocal('/mnt/odd/a.txt')).toBe(false);
    expect(asked).toEqual(['/home/me', '/mnt/share', '/mnt/odd']);
  });

  test('a folder that cannot be looked at is not local, and no other system is called local', async () => {
    const failing = createLocalVolumes({
      platform: 'linux',
      statfs: async () => Promise.reject(Object.assign(new Error('gone'), { code: 'ENOENT' })),
    });
    expect(await failing.isLocal('/gone/a.txt')).toBe(false);
    const mac = createLocalVolumes({ platform: 'darwin', statfs: async () => ({ type: EXT4 }) });
    expect(await mac.isLocal('/Users/me/a.txt')).toBe(false);
  });

  test.runIf(process.platform === 'linux')('this machine’s temporary folder is local (a real statfs)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3fm-volumes-'));
    try {
      expect(await createLocalVolumes().isLocal(join(dir, 'file.bin'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
