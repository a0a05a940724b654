import path from 'node:path';

/** The files the desktop app loads at run time, outside its own bundle. */
export interface BundlePaths {
  /** The preload, one CommonJS file (a sandboxed preload cannot load more). */
  preload: string;
  /** The renderer's folder, served as app://; `rendererIndex` is its page. */
  rendererRoot: string;
  rendererIndex: string;
  /** The window icon (Linux and Windows show it; macOS uses the bundle's ICNS). */
  windowIcon: string;
}

/**
 * Where those files are, from the folder of the built main process (out/main/): the same
 * relative layout in a checkout and in a packaged app (electron-builder.yml ships out/,
 * package.json and resources/icon.png). Kept apart from main.ts, which imports electron, so a
 * test checks after `npm run build` that every one exists (bundle-paths.test.ts).
 */
export function bundlePaths(mainDir: string): BundlePaths {
  const rendererRoot = path.join(mainDir, '..', 'renderer');
  return {
    preload: path.join(mainDir, '..', 'preload', 'index.cjs'),
    rendererRoot,
    rendererIndex: path.join(rendererRoot, 'index.html'),
    windowIcon: path.join(mainDir, '..', '..', 'resources', 'icon.png'),
  };
}
