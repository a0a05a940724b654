import { BrowserWindow } from 'electron';
import type { InitialWindowBounds, Size } from './window-bounds';

/** The window's size on a first start. */
export const DEFAULT_WINDOW_SIZE: Size = { width: 1200, height: 780 };
/** Below this the folder tree, file list and details panel no longer fit side by side. */
export const MIN_WINDOW_SIZE: Size = { width: 760, height: 480 };

/** What the main window is built from. */
export interface MainWindowOptions {
  /** From window-state.ts: the restored or default bounds. */
  bounds: InitialWindowBounds;
  /** Absolute path of the built preload, out/preload/index.cjs. */
  preloadPath: string;
  /** The window title until the page sets its own. */
  title: string;
  /** The window icon (Linux, Windows); from resources/icon.png. */
  iconPath?: string;
}

/**
 * Creates the app's one window with the checklist's web preferences spelled out (even
 * where they are Electron's defaults, so a reader or a future default change cannot
 * weaken them): isolated, sandboxed, no Node in the page. It is shown once the first
 * paint is ready, maximized if it was last time, to avoid a white flash.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { bounds } = options;
  const window = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: options.title,
    ...(options.iconPath !== undefined ? { icon: options.iconPath } : {}),
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A file dropped outside the upload area must not navigate the window to file://.
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Chromium's built-in PDF viewer, for the details panel's PDF preview (a plugin of the browser, not a page's).
      plugins: true,
    },
  });
  window.once('ready-to-show', () => {
    if (bounds.maximized) window.maximize();
    window.show();
  });
  return window;
}

/** Brings the window to the front, restoring it if minimized; used when a second start is refused. */
export function focusWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
