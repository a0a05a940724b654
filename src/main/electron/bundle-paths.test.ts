import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlePaths } from './bundle-paths';

const root = path.resolve('.');
const builtMain = path.join(root, 'out', 'main', 'index.js');

describe('the built app', () => {
  it('has every file the Electron main process loads after npm run build', { timeout: 180_000 }, () => {
    // npm test builds first; run alone, this builds once.
    if (!existsSync(builtMain)) execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' });
    const paths = bundlePaths(path.dirname(builtMain));
    for (const [name, file] of Object.entries(paths)) {
      expect(existsSync(file), `${name}: ${file}`).toBe(true);
    }
    expect(statSync(paths.rendererRoot).isDirectory()).toBe(true);
    expect(readFileSync(paths.rendererIndex, 'utf8')).toContain('<div id="root"');
    expect(readFileSync(paths.windowIcon).subarray(1, 4).toString('latin1')).toBe('PNG');
    // The package's entry is the built main process, and it reaches its files through bundlePaths.
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(path.resolve(root, manifest.main)).toBe(builtMain);
    expect(readFileSync(builtMain, 'utf8')).toContain('resources');
  });
});
