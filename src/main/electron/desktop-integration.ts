import { app, dialog, Notification, shell, type BrowserWindow } from 'electron';
import type { DesktopIntegration } from '../services/service-context';

/** The desktop features the services may use, built on Electron's dialog, shell and Notification. */
export function createDesktopIntegration(currentWindow: () => BrowserWindow | undefined): DesktopIntegration {
  return {
    async chooseFolder(title) {
      const window = currentWindow();
      const options = { title, properties: ['openDirectory', 'createDirectory'] as const };
      const result = window
        ? await dialog.showOpenDialog(window, { ...options, properties: [...options.properties] })
        : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    reveal(path) {
      shell.showItemInFolder(path);
    },
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    downloadsDir() {
      return app.getPath('downloads');
    },
  };
}
