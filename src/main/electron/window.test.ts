import { describe, expect, it, vi } from 'vitest';

// The window's webPreferences (Electron's checklist 2, 3, 4, 6, 8, 9, 10, 11), read from the
// options createMainWindow hands BrowserWindow: a stand-in, since the real package would try to
// download its binary.
const created = vi.hoisted(() => ({ options: [] as Record<string, unknown>[] }));
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: Record<string, unknown>) {
      created.options.push(options);
    }
    once(): void {}
  },
}));

const { createMainWindow } = await import('./window');

function webPreferences(): Record<string, unknown> {
  createMainWindow({
    bounds: { width: 1200, height: 780, maximized: false },
    preloadPath: '/app/out/preload/index.cjs',
    title: 'S3 File Manager',
  });
  return (created.options.at(-1)?.webPreferences ?? {}) as Record<string, unknown>;
}

describe('the main window’s webPreferences', () => {
  it('isolate the page, sandbox it and give it no Node, in every frame and worker', () => {
    expect(webPreferences()).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keep web security, refuse insecure content and <webview>, and let no dropped file navigate', () => {
    expect(webPreferences()).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    });
  });

  it('enable no experimental or Blink features, and load only our bundled preload', () => {
    const preferences = webPreferences();
    expect(preferences.experimentalFeatures).toBeUndefined();
    expect(preferences.enableBlinkFeatures).toBeUndefined();
    expect(preferences.preload).toBe('/app/out/preload/index.cjs');
    // Everything set is a known, reviewed key: a new one must be added here, on purpose.
    expect(Object.keys(preferences).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'plugins',
        'preload',
        'safeDialogs',
        'sandbox',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });
});
