import { fileURLToPath } from 'node:url';
import { app, ipcMain, Menu, session, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { registerIpcHost } from '../host/ipc-host';
import { accountFromEnvironment } from '../services/accounts/env-account';
import { createServices } from '../services/create-services';
import { s3LinkInArguments } from '../../shared/s3-location';
import { APP_ENTRY_URL, createAppUrlCheck, isLocalDevServerUrl, isTrustedSenderFrame } from './app-origin';
import { createDesktopIntegration } from './desktop-integration';
import { bundlePaths } from './bundle-paths';
import { buildApplicationMenu } from './menu';
import { createElectronUpdater } from './updater';
import {
  addDevContentSecurityPolicy,
  lockDownAllWebContents,
  registerAppSchemeAsPrivileged,
  restrictPermissions,
  serveRendererFiles,
} from './security';
import { createMainWindow, DEFAULT_WINDOW_SIZE, focusWindow, MIN_WINDOW_SIZE } from './window';
import { openWindowStateFile, restoreWindowBounds, trackWindowState } from './window-state';

// The desktop app's entry (built to out/main/index.js). Lifecycle only: the security
// policy, window, menu and state live beside this file, the features in ../services.

const PRODUCT_NAME = 'S3 File Manager';
// The other bundles and the icon, relative to this file once built into out/main/.
const BUNDLE = bundlePaths(fileURLToPath(new URL('.', import.meta.url)));

// Both must happen before `ready`.
registerAppSchemeAsPrivileged();
// Sandbox every renderer, including any a future change forgets to configure.
app.enableSandbox();

let mainWindow: BrowserWindow | undefined;

// s3:// links that arrive before the services exist (the launch's own, macOS's open-url at
// launch) wait here; afterwards each goes straight to the services' link inbox.
const earlyLinks: string[] = [];
let deliverLink = (link: string): void => {
  earlyLinks.push(link);
};

/**
 * Makes the app the OS's handler of s3:// links. Installers declare it too (electron-builder's
 * `protocols`: the .desktop file's x-scheme-handler/s3, Info.plist's CFBundleURLTypes, the
 * Windows registry); an unpackaged run does not claim the scheme for Electron's own binary.
 */
function claimS3Links(): void {
  if (app.isPackaged && !app.isDefaultProtocolClient('s3')) app.setAsDefaultProtocolClient('s3');
}

async function start(): Promise<void> {
  // Windows and Linux start a second instance with the clicked link on its command line; it
  // hands its arguments over and quits.
  app.on('second-instance', (_event, argv) => {
    const link = s3LinkInArguments(argv);
    if (link !== undefined) deliverLink(link);
    if (mainWindow) focusWindow(mainWindow);
  });
  // macOS sends links to the running app, and at launch, as open-url (possibly before ready).
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliverLink(url);
    if (mainWindow) focusWindow(mainWindow);
  });
  const launchLink = s3LinkInArguments(process.argv);
  if (launchLink !== undefined) deliverLink(launchLink);
  // macOS apps stay running without windows until the person quits them.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await app.whenReady();

  // The dev server URL (set by `electron-vite dev`) is honoured only in an unpackaged app
  // and only on this machine, so an environment variable cannot point a release at a
  // remote page that would then be handed window.api.
  const rendererUrl = process.env.ELECTRON_RENDERER_URL;
  const devServerUrl = !app.isPackaged && isLocalDevServerUrl(rendererUrl) ? rendererUrl : undefined;
  const isAppUrl = createAppUrlCheck(devServerUrl);

  lockDownAllWebContents(isAppUrl);
  restrictPermissions(session.defaultSession, isAppUrl);
  serveRendererFiles(session.defaultSession, BUNDLE.rendererRoot);
  if (devServerUrl !== undefined) addDevContentSecurityPolicy(session.defaultSession, devServerUrl);
  Menu.setApplicationMenu(buildApplicationMenu());

  const account = accountFromEnvironment(process.env);
  const services = createServices({
    appInfo: { name: PRODUCT_NAME, version: app.getVersion(), mode: 'electron' },
    dataDir: process.env.S3FM_DATA_DIR || app.getPath('userData'),
    launchAccounts: account ? [account] : [],
    desktop: createDesktopIntegration(() => mainWindow),
    // Only an installed build updates itself (an unpackaged run has no app-update.yml).
    ...(app.isPackaged ? { updater: createElectronUpdater() } : {}),
  });
  claimS3Links();
  deliverLink = (link) => {
    if (!services.links.deliver(link)) console.warn('S3 File Manager: ignored a link that is not an s3:// location');
  };
  for (const link of earlyLinks.splice(0)) deliverLink(link);
  // The transfer queue flushes its journal before the process ends, so a quit mid-upload resumes.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void services.dispose().finally(() => app.quit());
  });
  registerIpcHost<IpcMainInvokeEvent>({
    ipcMain,
    isTrustedSender: (event) =>
      mainWindow !== undefined &&
      !mainWindow.isDestroyed() &&
      isTrustedSenderFrame(event.senderFrame, mainWindow.webContents.mainFrame, isAppUrl),
    services,
    bus: services.bus,
    send: (channel, message) => {
      // send() throws on destroyed web contents; an event for a closing window is simply dropped.
      if (mainWindow === undefined || mainWindow.isDestroyed() || mainWindow.webContents.isDestroyed()) return;
      mainWindow.webContents.send(channel, message);
    },
  });

  const stateFile = openWindowStateFile();
  let opening = false;
  const openWindow = async (): Promise<void> => {
    // Reading the saved bounds is async; without this guard a dock click in that moment
    // would open a second window.
    if (opening || mainWindow !== undefined) return;
    opening = true;
    try {
      const bounds = await restoreWindowBounds(stateFile, {
        defaultSize: DEFAULT_WINDOW_SIZE,
        minSize: MIN_WINDOW_SIZE,
      });
      const window = createMainWindow({
        bounds,
        preloadPath: BUNDLE.preload,
        iconPath: BUNDLE.windowIcon,
        title: PRODUCT_NAME,
      });
      mainWindow = window;
      trackWindowState(window, stateFile);
      window.on('closed', () => {
        if (mainWindow === window) mainWindow = undefined;
      });
      await window.loadURL(devServerUrl ?? APP_ENTRY_URL);
    } finally {
      opening = false;
    }
  };
  // macOS: clicking the dock icon with no window open opens one again.
  app.on('activate', () => {
    openWindow().catch(reportFatal);
  });
  await openWindow();
}

function reportFatal(error: unknown): void {
  console.error('S3 File Manager could not start:', error instanceof Error ? (error.stack ?? error.message) : error);
  app.exit(1);
}

// One instance per user: a second start hands over to the first (which comes to the
// front) and quits, so two copies never run two transfer queues over the same state.
if (app.requestSingleInstanceLock()) {
  start().catch(reportFatal);
} else {
  app.quit();
}
