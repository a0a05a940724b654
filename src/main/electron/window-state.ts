import { join } from 'node:path';
import { app, screen, type BrowserWindow } from 'electron';
import { chooseWindowBounds, type InitialWindowBounds, type Size, type WindowState } from './window-bounds';
import { createWindowStateFile, type WindowStateFile } from './window-state-file';

/** How long moving or resizing must pause before the state is written; dragging fires dozens of events a second. */
const SAVE_DELAY_MS = 500;

/** The state file in the app's per-user data folder. */
export function openWindowStateFile(): WindowStateFile {
  return createWindowStateFile(join(app.getPath('userData'), 'window-state.json'), (error) => {
    console.warn('Could not save the window position:', error instanceof Error ? error.message : error);
  });
}

/**
 * Decides the window's first bounds from the saved state and the displays attached now,
 * so a window last seen on an unplugged monitor opens on a visible one. Needs `ready`.
 */
export async function restoreWindowBounds(
  file: WindowStateFile,
  sizes: { defaultSize: Size; minSize: Size },
): Promise<InitialWindowBounds> {
  return chooseWindowBounds({
    saved: await file.read(),
    workAreas: screen.getAllDisplays().map((display) => display.workArea),
    ...sizes,
  });
}

function snapshot(window: BrowserWindow): WindowState {
  // Normal bounds, not current ones: a maximized or full-screen window remembers the size
  // it returns to, and maximized is remembered separately.
  const bounds = window.getNormalBounds();
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.round(bounds.width),
    height: Math.round(bounds.height),
    maximized: window.isMaximized(),
  };
}

/**
 * Saves the window's state while it lives: after moves and resizes have settled, on
 * maximize and restore, and synchronously on close, since the app may quit right after.
 */
export function trackWindowState(window: BrowserWindow, file: WindowStateFile): void {
  let timer: NodeJS.Timeout | undefined;
  const saveSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // A minimized window's bounds are not where it should reopen (Windows reports -32000).
      if (!window.isDestroyed() && !window.isMinimized()) void file.write(snapshot(window));
    }, SAVE_DELAY_MS);
  };
  window.on('move', saveSoon);
  window.on('resize', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  window.on('close', () => {
    clearTimeout(timer);
    file.writeNow(snapshot(window));
  });
}
