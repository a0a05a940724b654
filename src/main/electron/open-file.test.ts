import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createFileOpener, type FileOpenerPorts } from './open-file';

/**
 * Electron's binary cannot run here, so the glue runs over stand-ins for shell.openPath, the open
 * dialog and spawn, which record what they were asked; the services' side is covered by the
 * integration test (edit-in-place.int.test.ts) against MinIO.
 */
function standIns(overrides: Partial<FileOpenerPorts> & { failSpawn?: boolean } = {}) {
  const calls: { opened: string[]; spawned: [string, readonly string[], object][]; dialogs: object[] } = {
    opened: [],
    spawned: [],
    dialogs: [],
  };
  const ports: FileOpenerPorts = {
    openPath: async (path) => {
      calls.opened.push(path);
      return '';
    },
    showOpenDialog: async (options) => {
      calls.dialogs.push(options);
      return { canceled: false, filePaths: ['/usr/bin/gedit'] };
    },
    spawn: (command, args, options) => {
      calls.spawned.push([command, args, options]);
      const child = Object.assign(new EventEmitter(), { unref: () => undefined });
      setTimeout(() => child.emit(overrides.failSpawn ? 'error' : 'spawn', new Error('ENOENT')), 0);
      return child as unknown as ChildProcess;
    },
    platform: 'linux',
    ...overrides,
  };
  return { opener: createFileOpener(ports), calls };
}

describe('opening a file being edited (Electron glue over stand-ins)', () => {
  it('opens with the default app through shell.openPath, and turns its error string into words', async () => {
    const { opener, calls } = standIns();
    await opener.openPath('/data/edit/session-1/a.txt');
    expect(calls.opened).toEqual(['/data/edit/session-1/a.txt']);
    const failing = standIns({ openPath: async () => 'No application is associated' });
    await expect(failing.opener.openPath('/x.weird')).rejects.toMatchObject({
      code: 'not-supported',
      message: expect.stringContaining('Open with…'),
    });
  });

  it('starts the chosen app with the path as one argument, without a shell', async () => {
    const { opener, calls } = standIns();
    expect(await opener.openWith('/data/edit/s/it has spaces; rm -rf ~.txt')).toBe(true);
    expect(calls.spawned).toEqual([
      [
        '/usr/bin/gedit',
        ['/data/edit/s/it has spaces; rm -rf ~.txt'],
        { detached: true, stdio: 'ignore', shell: false },
      ],
    ]);
  });

  it('on macOS opens the picked .app bundle with `open -a`', async () => {
    const { opener, calls } = standIns({
      platform: 'darwin',
      showOpenDialog: async () => ({ canceled: false, filePaths: ['/Applications/TextEdit.app'] }),
    });
    await opener.openWith('/tmp/a.txt');
    expect(calls.spawned[0]?.slice(0, 2)).toEqual(['open', ['-a', '/Applications/TextEdit.app', '/tmp/a.txt']]);
  });

  it('a cancelled picker opens nothing; an app that cannot start is an error in words', async () => {
    const cancelled = standIns({ showOpenDialog: async () => ({ canceled: true, filePaths: [] }) });
    expect(await cancelled.opener.openWith('/tmp/a.txt')).toBe(false);
    expect(cancelled.calls.spawned).toEqual([]);
    const broken = standIns({ failSpawn: true });
    await expect(broken.opener.openWith('/tmp/a.txt')).rejects.toMatchObject({
      message: expect.stringContaining('could not be started'),
    });
  });
});
