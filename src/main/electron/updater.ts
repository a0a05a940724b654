import electronUpdater, { type UpdateInfo } from 'electron-updater';
import { releaseNotesText } from '../services/updates/update-policy';
import type { FoundUpdate, UpdaterPort } from '../services/updates/update-service';

function found(info: UpdateInfo): FoundUpdate {
  return { version: info.version, releaseNotes: releaseNotesText(info.releaseNotes) };
}

/**
 * electron-updater's autoUpdater as the update service's port: GitHub releases (the `publish`
 * of electron-builder.yml, written into the app as app-update.yml), downloaded in the
 * background. When to check and whether to install now are the service's decisions
 * (services/updates/); a quit installs a downloaded update, as the transfers have stopped by then.
 */
export function createElectronUpdater(): UpdaterPort {
  // A CommonJS module: its named exports come through the default import in ESM.
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  return {
    async check() {
      const result = await autoUpdater.checkForUpdates();
      return result?.isUpdateAvailable ? found(result.updateInfo) : null;
    },
    onDownloaded(listener) {
      autoUpdater.on('update-downloaded', (info) => listener(found(info)));
    },
    quitAndInstall() {
      autoUpdater.quitAndInstall();
    },
  };
}
