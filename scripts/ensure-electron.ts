/**
 * Makes sure Electron's binary is installed before the desktop app starts (`npm start`,
 * `npm run dev`, `npm run demo`), through Electron's own installer.
 *
 * Since Electron 42 the `electron` npm package no longer downloads its binary in
 * postinstall: node_modules/electron/index.js downloads it on first `require`, and only
 * then writes path.txt. electron-vite 6 reads path.txt without that require and fails
 * with "Electron uninstall" (https://github.com/alex8088/electron-vite/issues/904). We
 * run the installer from the start scripts, not from a postinstall of ours, so that
 * `npm install` keeps working offline.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Either the executable to launch, or a paragraph that says why there is none and what helps. */
export type ElectronInstall = { installed: true; executable: string } | { installed: false; explanation: string };

/** Where to look and what to tell; every field has a default for the real project. */
export interface EnsureElectronOptions {
  /** The folder whose node_modules holds `electron` (default: the current directory, where npm runs scripts). */
  projectRoot?: string;
  /** The environment the installer sees; ELECTRON_MIRROR and friends are read from it (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where the one-line notice before a download goes (default: console.log). */
  log?: (line: string) => void;
}

/** Where the GitHub releases live when no mirror is set: @electron/get's default. */
const GITHUB_RELEASES = 'https://github.com/electron/electron/releases/download/';

/** The executable's path inside an unpacked Electron, as install.js writes it to path.txt. */
function platformExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The installed executable, or undefined when the installer has work to do. It asks what
 * install.js's own isInstalled() asks (same version, same path.txt, the file exists), so an
 * up-to-date install starts without spawning the installer and a download is announced only
 * when one is coming. ELECTRON_OVERRIDE_DIST_PATH wins as it does in electron/index.js,
 * which launches from that folder and never downloads.
 */
function installedExecutable(packageDir: string, version: string, env: NodeJS.ProcessEnv): string | undefined {
  const pathTxt = readText(path.join(packageDir, 'path.txt'));
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = path.join(override, pathTxt || platformExecutable(process.platform));
    return existsSync(executable) ? executable : undefined;
  }
  const distVersion = readText(path.join(packageDir, 'dist', 'version'))?.replace(/^v/, '');
  if (distVersion !== version || pathTxt !== platformExecutable(process.platform)) return undefined;
  const executable = path.join(packageDir, 'dist', pathTxt);
  return existsSync(executable) ? executable : undefined;
}

/** The download's source as @electron/get picks it: an npm config or ELECTRON_MIRROR, else GitHub. */
export function mirrorInUse(env: NodeJS.ProcessEnv): string {
  return (
    env.npm_config_electron_mirror ||
    env.NPM_CONFIG_ELECTRON_MIRROR ||
    env.npm_package_config_electron_mirror ||
    env.ELECTRON_MIRROR ||
    GITHUB_RELEASES
  );
}

/**
 * The paragraph printed when the binary cannot be had: what failed, the environment variables
 * that help, and that web mode starts instead. `version` is undefined when the electron
 * package itself is missing.
 */
export function explainMissingElectron(failure: string, version: string | undefined, env: NodeJS.ProcessEnv): string {
  const electron = version ? `Electron ${version}` : 'Electron';
  const zip = `electron-v${version ?? '<version>'}-${process.platform}-${process.arch}.zip`;
  return [
    `The desktop app cannot start: ${electron} is not installed, because ${failure}.`,
    `${env.ELECTRON_OVERRIDE_DIST_PATH ? 'Without it, the' : 'The'} installer downloads ${zip} (about 100 MB) once, from ${mirrorInUse(env)}.`,
    'Where that cannot work, one of these environment variables helps:',
    `ELECTRON_MIRROR=<a URL ending in / under which v${version ?? '<version>'}/${zip} is found>,`,
    'electron_config_cache=<a copy of the download cache of a machine that has fetched it; by default ~/.cache/electron on Linux>,',
    `or ELECTRON_OVERRIDE_DIST_PATH=<a folder with an unpacked ${electron}>; then run the same command again.`,
    'Meanwhile the same app runs in your browser: web mode starts now; open the URL it prints.',
  ].join(' ');
}

/** Runs a command with the terminal attached and resolves with how it ended. */
function runAttached(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    // stdio is inherited, not captured: @electron/get draws its progress bar only on a TTY.
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) =>
      resolve(code === 0 ? undefined : signal ? `it was stopped by ${signal}` : `it exited with status ${code}`),
    );
  });
}

/**
 * Returns the Electron executable, downloading it first with node_modules/electron/install.js
 * (the `install-electron` bin) when it is missing; never throws. When the download fails the
 * installer's own error is on the terminal, and the result carries the paragraph to print.
 */
export async function ensureElectron(options: EnsureElectronOptions = {}): Promise<ElectronInstall> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));

  let packageDir: string;
  let version: string;
  try {
    const packageJson = createRequire(path.join(projectRoot, 'package.json')).resolve('electron/package.json');
    packageDir = path.dirname(packageJson);
    version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  } catch {
    const failure = `the electron package is not in ${path.join(projectRoot, 'node_modules')} (run npm install)`;
    return { installed: false, explanation: explainMissingElectron(failure, undefined, env) };
  }

  const installed = installedExecutable(packageDir, version, env);
  if (installed) return { installed: true, executable: installed };
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    // Electron itself never downloads when this is set (electron/index.js), so neither do we.
    const failure = `ELECTRON_OVERRIDE_DIST_PATH (${env.ELECTRON_OVERRIDE_DIST_PATH}) holds no ${platformExecutable(process.platform)}`;
    return { installed: false, explanation: explainMissingElectron(failure, version, env) };
  }

  log(
    `Electron ${version} is not installed yet: its installer downloads it now, once ` +
      '(a progress bar appears if it takes more than 30 seconds).',
  );
  const installer = path.join(packageDir, 'install.js');
  const installerFailure = await runAttached(process.execPath, [installer], env);
  const executable = installedExecutable(packageDir, version, env);
  if (installerFailure === undefined && executable) return { installed: true, executable };
  const reason =
    installerFailure === undefined
      ? 'it finished but left no executable'
      : installerFailure.startsWith('it ')
        ? `${installerFailure} (its error is printed above)`
        : installerFailure;
  const failure = `Electron's installer (${installer}) failed: ${reason}`;
  return { installed: false, explanation: explainMissingElectron(failure, version, env) };
}
