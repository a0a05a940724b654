/**
 * `npm start` and `npm run dev`: the desktop app once Electron's binary is installed
 * (scripts/ensure-electron.ts downloads it on first use), web mode where it cannot be.
 *
 * Usage: node --import tsx scripts/start.ts <preview|dev> [electron-vite options, e.g. --skipBuild]
 * Run from the project's root (npm does); the project is the current directory.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureElectron } from './ensure-electron';

/** electron-vite's command-line entry, as installed in the project's node_modules. */
function electronViteBin(projectRoot: string): string {
  const packageJson = createRequire(path.join(projectRoot, 'package.json')).resolve('electron-vite/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: Record<string, string> };
  return path.join(path.dirname(packageJson), bin['electron-vite'] ?? 'bin/electron-vite.js');
}

/**
 * Runs a child with the terminal attached and resolves with its exit status. SIGTERM and
 * SIGHUP reach only us when sent to our pid (a process manager, a test), so we pass them on;
 * Ctrl-C already reaches the whole process group, so SIGINT is only kept from ending us
 * before the child has shut down.
 */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onTerm = forward('SIGTERM');
    const onHup = forward('SIGHUP');
    const onInt = (): void => {};
    process.on('SIGTERM', onTerm).on('SIGHUP', onHup).on('SIGINT', onInt);
    const settle = (status: number): void => {
      process.off('SIGTERM', onTerm).off('SIGHUP', onHup).off('SIGINT', onInt);
      resolve(status);
    };
    child.once('error', (error) => {
      console.error(`Could not run ${args.join(' ')}: ${error.message}`);
      settle(1);
    });
    child.once('exit', (code, signal) => settle(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const [mode, ...options] = process.argv.slice(2);
  if (mode !== 'preview' && mode !== 'dev') {
    console.error('Usage: node --import tsx scripts/start.ts <preview|dev> [electron-vite options]');
    return 2;
  }
  const projectRoot = process.cwd();
  const electronVite = electronViteBin(projectRoot);
  const electron = await ensureElectron({ projectRoot });

  if (electron.installed) {
    // electron-vite launches Electron, as before this script existed: for people who have the
    // binary nothing changes (preview builds first, dev serves the renderer with hot reload,
    // same flags and signal handling). ELECTRON_EXEC_PATH is electron-vite's own override of
    // its path.txt lookup: it launches the very binary we checked, also under
    // ELECTRON_OVERRIDE_DIST_PATH, which electron-vite's lookup ignores.
    return run([electronVite, mode, ...options], { ...process.env, ELECTRON_EXEC_PATH: electron.executable });
  }

  console.error(`\n${electron.explanation}\n`);
  // Web mode has no dev server: `npm run dev` falls back to the same build as `npm start`.
  if (!options.includes('--skipBuild')) {
    const built = await run([electronVite, 'build'], process.env);
    if (built !== 0) return built;
  }
  // out/main/web.js prints "S3 File Manager (web mode) is at <URL with its token>".
  return run([path.join(projectRoot, 'out', 'main', 'web.js')], process.env);
}

void main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error('The app could not start:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
