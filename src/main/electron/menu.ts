import { app, Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu, built from Electron's standard roles so that each platform gets
 * its native items and shortcuts. The Edit menu is what makes copy and paste work in text
 * fields at all on macOS, where shortcuts only exist as menu items. Reload and developer
 * tools are left out of packaged builds: a reload loses in-page state, and DevTools is
 * a way into the renderer that end users do not need.
 */
export function buildApplicationMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const devOnly: MenuItemConstructorOptions[] = app.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    {
      role: 'editMenu',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      role: 'viewMenu',
      submenu: [
        ...devOnly,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    // macOS has About in the app menu; elsewhere it lives under Help.
    { role: 'help', submenu: isMac ? [] : [{ role: 'about' }] },
  ];
  return Menu.buildFromTemplate(template);
}
