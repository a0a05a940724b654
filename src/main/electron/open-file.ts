import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { Dialog, OpenDialogOptions, Shell } from 'electron';
import { AppFailure } from '../services/app-failure';

/** What opening a file needs from Electron and Node, passed in so the glue is tested with stand-ins. */
export interface FileOpenerPorts {
  openPath: Shell['openPath'];
  /** The native open dialog (bound to the window by the caller). */
  showOpenDialog: (options: OpenDialogOptions) => ReturnType<Dialog['showOpenDialog']>;
  spawn: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
  platform: NodeJS.Platform;
}

/** How each system lets the person pick an app: a folder to start in and what counts as an app. */
function appPicker(platform: NodeJS.Platform): OpenDialogOptions {
  if (platform === 'darwin') {
    return {
      title: 'Open with…',
      defaultPath: '/Applications',
      // An .app is a folder on disk; the dialog offers it as one item (packages are not opened as folders).
      properties: ['openFile'],
      filters: [{ name: 'Applications', extensions: ['app'] }],
    };
  }
  if (platform === 'win32') {
    return {
      title: 'Open with…',
      properties: ['openFile'],
      filters: [{ name: 'Programs', extensions: ['exe', 'com', 'bat', 'cmd'] }],
    };
  }
  return { title: 'Open with…', defaultPath: '/usr/bin', properties: ['openFile'] };
}

/**
 * The desktop integration's openPath and openWith: Electron's shell.openPath for the default app
 * (it answers an error string rather than throwing), and a picked app started with the file as
 * its argument (macOS: `open -a <app> <file>`, since an .app is a bundle, not a program),
 * detached so it outlives nothing of ours. The path is passed as one argument, never through a shell.
 */
export function createFileOpener(ports: FileOpenerPorts) {
  return {
    async openPath(path: string): Promise<void> {
      const problem = await ports.openPath(path);
      if (problem !== '') {
        throw new AppFailure('not-supported', `No app opened the file: ${problem}. Use "Open with…" to choose one.`);
      }
    },
    async openWith(path: string): Promise<boolean> {
      const picked = await ports.showOpenDialog(appPicker(ports.platform));
      const app = picked.canceled ? undefined : picked.filePaths[0];
      if (app === undefined) return false;
      const [command, args] = ports.platform === 'darwin' ? ['open', ['-a', app, path]] : [app, [path]];
      await new Promise<void>((resolve, reject) => {
        const child = ports.spawn(command, args, { detached: true, stdio: 'ignore', shell: false });
        child.once('error', (error) =>
          reject(
            new AppFailure('not-supported', `That app could not be started: ${error.message}. Choose another one.`),
          ),
        );
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
      return true;
    },
  };
}
