import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm start` on a machine without Electron's binary: scripts/start.ts downloads it through
// Electron's own installer from a mirror on 127.0.0.1 that serves a stub "Electron", and
// falls back to web mode when the mirror cannot be reached. Each case runs in a scratch
// project whose node_modules/electron is a fresh copy (the real one is never touched).

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const electronVersion = (
  JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version;
const zipName = `electron-v${electronVersion}-${process.platform}-${process.arch}.zip`;
/** The executable's place in the zip, as install.js writes it to path.txt. */
const executableInZip = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';

/** A zip of stored (uncompressed) files, each with Unix mode bits, which the installer's extractor keeps. */
function zip(files: { name: string; data: Buffer; mode: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name);
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(file.data.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold a mode
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(file.data.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | file.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, file.data);
    centrals.push(central, name);
    offset += local.length + name.length + file.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An Electron release mirror laid out as @electron/get asks for it: `<mirror>v<version>/<file>`. */
async function startMirror(
  files: Record<string, Buffer>,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    const body = files[request.url ?? ''];
    response.writeHead(body ? 200 : 404, { 'content-length': body?.length ?? 0 }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that refuses connections: one the system just gave out and that is closed again. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/`;
}

/**
 * A project folder like a fresh checkout after `npm install`: its own copy of
 * node_modules/electron (no binary), every other package linked to ours, and out/ linked to
 * our build.
 */
function scratchProject(root: string): string {
  const project = path.join(root, 'project');
  mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module', main: 'out/main/index.js' }),
  );
  symlinkSync(path.join(repoRoot, 'out'), path.join(project, 'out'));
  for (const entry of readdirSync(path.join(repoRoot, 'node_modules'))) {
    // .bin is left out: its electron link would lead to the real package.
    if (entry === 'electron' || entry === '.bin') continue;
    symlinkSync(path.join(repoRoot, 'node_modules', entry), path.join(project, 'node_modules', entry));
  }
  cpSync(path.join(repoRoot, 'node_modules/electron'), path.join(project, 'node_modules/electron'), {
    recursive: true,
    filter: (source) => !/[\\/]electron[\\/](dist|path\.txt)/.test(path.relative(repoRoot, source)),
  });
  return realpathSync(project);
}

/** process.env without anything that would steer Electron's installer or the app elsewhere. */
function cleanEnvironment(root: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(electron_|npm_config_electron|npm_package_config_electron|force_no_cache|S3FM_)/i.test(name),
    ),
  );
  return { ...env, S3FM_DATA_DIR: path.join(root, 'data') };
}

/** Every start.ts this file runs, so that a failed test leaves none behind. */
const started: ChildProcess[] = [];

/** Runs scripts/start.ts in `project` and collects what it prints. */
function startScript(project: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'scripts/start.ts'), 'preview', '--skipBuild'],
    { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(child);
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** The child's exit status, or an error with what it printed if it is still running after `timeoutMs`. */
function exitOf(child: ChildProcess, output = (): string => '', timeoutMs = 30_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(
      () => reject(new Error(`still running after ${timeoutMs} ms; it printed:\n${output()}`)),
      timeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function waitFor<T>(what: string, poll: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = poll();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(process.platform === 'win32')('npm start without Electron installed', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 's3fm-start-'));
    // npm test builds before Vitest runs; alone, this test builds once itself.
    if (
      !['out/main/index.js', 'out/main/web.js', 'out/renderer/index.html'].every((f) =>
        existsSync(path.join(repoRoot, f)),
      )
    ) {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('npx electron-vite build failed');
    }
  }, 120_000);

  afterAll(async () => {
    // start.ts passes SIGTERM on to web mode or electron-vite, and exits when they have.
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGTERM');
        await exitOf(child);
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('downloads Electron from the mirror, installs it, and launches it on the built app', async () => {
    const root = mkdtempSync(path.join(scratch, 'online-'));
    const project = scratchProject(root);
    const stubLog = path.join(root, 'stub-electron.log');
    const stub = Buffer.from(`#!/bin/sh\n{ pwd; for arg in "$@"; do echo "$arg"; done; } > '${stubLog}'\n`);
    // Like a real release: the executable, and the version file install.js checks to skip a second install.
    const archive = zip([
      { name: executableInZip, data: stub, mode: 0o755 },
      { name: 'version', data: Buffer.from(electronVersion), mode: 0o644 },
    ]);
    const sha256 = createHash('sha256').update(archive).digest('hex');
    const mirror = await startMirror({
      [`/v${electronVersion}/${zipName}`]: archive,
      [`/v${electronVersion}/SHASUMS256.txt`]: Buffer.from(`${sha256} *${zipName}\n`),
    });
    try {
      const env = {
        ...cleanEnvironment(root),
        ELECTRON_MIRROR: mirror.url,
        electron_config_cache: path.join(root, 'electron-cache'),
        // The stub's checksum is not in the package's checksums.json: check it against the mirror's file.
        electron_use_remote_checksums: '1',
      };

      const first = startScript(project, env);
      expect(await exitOf(first.child, first.output), first.output()).toBe(0);

      const electronDir = path.join(project, 'node_modules/electron');
      expect(readFileSync(path.join(electronDir, 'path.txt'), 'utf8')).toBe(executableInZip);
      expect(existsSync(path.join(electronDir, 'dist', executableInZip))).toBe(true);
      expect(mirror.requests).toContain(`/v${electronVersion}/${zipName}`);
      expect(first.output()).toContain(`Electron ${electronVersion} is not installed yet`);
      // electron-vite preview runs Electron on "." in the project, whose package.json main is the built entry.
      const [cwd, ...args] = readFileSync(stubLog, 'utf8').trim().split('\n');
      expect(cwd).toBe(project);
      expect(args[0]).toBe('.');
      expect(existsSync(path.join(project, 'out/main/index.js'))).toBe(true);

      // Once installed, a start asks nobody and launches at once.
      rmSync(stubLog);
      const requestsBefore = mirror.requests.length;
      const second = startScript(project, env);
      expect(await exitOf(second.child, second.output), second.output()).toBe(0);
      expect(mirror.requests.length).toBe(requestsBefore);
      expect(second.output()).not.toContain('is not installed yet');
      expect(readFileSync(stubLog, 'utf8').trim().split('\n')[1]).toBe('.');
    } finally {
      await mirror.close();
    }
  }, 60_000);

  it('explains what failed and starts web mode when the mirror cannot be reached', async () => {
    const root = mkdtempSync(path.join(scratch, 'offline-'));
    const project = scratchProject(root);
    const env = {
      ...cleanEnvironment(root),
      ELECTRON_MIRROR: await closedPortUrl(),
      electron_config_cache: path.join(root, 'electron-cache'),
    };

    const start = startScript(project, env);
    try {
      const url = await waitFor(
        'web mode to print its URL',
        () => /web mode\) is at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(start.output())?.[1],
        30_000,
      );
      const explanation = start.output();
      expect(explanation).toContain(`The desktop app cannot start: Electron ${electronVersion} is not installed`);
      expect(explanation).toContain(env.ELECTRON_MIRROR);
      for (const variable of ['ELECTRON_MIRROR=', 'electron_config_cache=', 'ELECTRON_OVERRIDE_DIST_PATH=']) {
        expect(explanation).toContain(variable);
      }
      expect(explanation).toContain('the same app runs in your browser');
      expect(existsSync(path.join(project, 'node_modules/electron/path.txt'))).toBe(false);

      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      if (start.child.exitCode === null && start.child.pid !== undefined) process.kill(start.child.pid, 'SIGTERM');
    }
    expect(await exitOf(start.child, start.output), start.output()).toBe(0);
  }, 60_000);
});
