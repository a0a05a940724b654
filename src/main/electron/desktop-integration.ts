import { app, dialog, nativeImage, Notification, shell, type BrowserWindow } from 'electron';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DesktopIntegration } from '../services/service-context';
import { createFileOpener } from './open-file';

/** A 16×16 PNG shown under the pointer while files are dragged out. */
const DRAG_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGUlEQVR4nGOwqTjxnxLMMGrAqAGjBgwXAwDbCHsfW7QZVAAAAABJRU5ErkJggg==';

/** The desktop features the services may use, built on Electron's dialog, shell and Notification. */
export function createDesktopIntegration(currentWindow: () => BrowserWindow | undefined): DesktopIntegration {
  const opener = createFileOpener({
    openPath: (path) => shell.openPath(path),
    showOpenDialog: (options) => {
      const window = currentWindow();
      return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options);
    },
    spawn,
    platform: process.platform,
  });
  return {
    openPath: opener.openPath,
    openWith: opener.openWith,
    async chooseFolder(title) {
      const window = currentWindow();
      const options = { title, properties: ['openDirectory', 'createDirectory'] as const };
      const result = window
        ? await dialog.showOpenDialog(window, { ...options, properties: [...options.properties] })
        : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseSavePath(title, defaultName, filter) {
      const window = currentWindow();
      const options = { title, defaultPath: join(app.getPath('downloads'), defaultName), filters: [filter] };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    reveal(path) {
      shell.showItemInFolder(path);
    },
    // Sync's local deletes: to the OS trash, never unlinked (nothing deletes a user's files for good).
    trashItem: (path) => shell.trashItem(path),
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    downloadsDir() {
      return app.getPath('downloads');
    },
    startDrag(files) {
      const window = currentWindow();
      const [first] = files;
      if (!window || first === undefined) return;
      // An icon is required (macOS refuses an empty one): a small square in the accent colour.
      window.webContents.startDrag({ file: first, files, icon: nativeImage.createFromDataURL(DRAG_ICON) });
    },
  };
}
