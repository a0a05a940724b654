/**
 * moto's server mode (PyPI `moto[server]`): AWS's S3 behaviour as emulated for boto, for the
 * compatibility suite. Installed once into a virtual environment under
 * `.cache/moto/<version>/venv`, started as `python -m moto.server` on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildAtomically,
  cacheDir,
  freePort,
  OutputTail,
  probe,
  retryOnAddressInUse,
  runBuildCommand,
  stopperFor,
  type RunningS3Server,
  type S3ServerLauncher,
  type StartS3ServerOptions,
  superviseStart,
} from './launcher';

/** The pinned moto version (PyPI). */
export const MOTO_VERSION = '5.2.5';

/** moto accepts any credentials and checks no signature; fixed ones keep runs reproducible. */
const ACCESS_KEY_ID = 'moto-test-key';
const SECRET_ACCESS_KEY = 'moto-test-secret';

/** moto's default region. */
const REGION = 'us-east-1';

const START_TIMEOUT_MS = 60_000;

/**
 * The interpreter the virtual environment is made from. Debian's /usr/bin/python3 first:
 * it is what scripts/test.sh installs python3-venv for, while a python3 earlier in PATH
 * (a pyenv shim, say) changes with the shell's settings and may lack `venv`/`ensurepip`.
 */
function basePython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** The virtual environment of the pinned version: `<repo>/.cache/moto/<version>/venv` (git-ignored). */
export function motoVenvPath(): string {
  return path.join(cacheDir('moto', MOTO_VERSION), 'venv');
}

function venvPython(venv: string): string {
  return path.join(venv, 'bin', 'python');
}

/**
 * Installs moto once. The venv is made in a staging folder and renamed into place, so an
 * interrupted install never looks finished. pip's entry-point scripts (moto_server) keep the
 * staging path in their first line after the rename, so the server is started as
 * `<venv>/bin/python -m moto.server`, which finds its packages from where it is.
 */
export async function ensureMoto(): Promise<string> {
  const venv = motoVenvPath();
  if (existsSync(venvPython(venv))) return venv;
  mkdirSync(path.dirname(venv), { recursive: true });
  process.stderr.write(`installing moto[server]==${MOTO_VERSION} once into ${venv} (a minute or two)\n`);
  const python = basePython();
  await buildAtomically(venv, async (staging) => {
    const target = path.join(staging, 'venv');
    await runBuildCommand(python, ['-m', 'venv', target], {
      missingHint: `${python} was not found: install Python 3 with venv (Debian: apt-get install python3-venv)`,
    });
    await runBuildCommand(venvPython(target), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `moto[server]==${MOTO_VERSION}`,
    ]);
    return target;
  });
  return venv;
}

async function startOnce(venv: string, timeoutMs: number): Promise<RunningS3Server> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 's3fm-moto-'));
  try {
    const port = await freePort();
    const tail = new OutputTail();
    const child = spawn(venvPython(venv), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      // moto keeps everything in memory; the folder is only its working directory.
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    const stop = stopperFor(child, [dataDir]);
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await superviseStart({
        label: 'moto',
        child,
        tail,
        // moto's own API answers once the server is up, whatever the S3 state.
        isReady: async () => (await probe(`${endpoint}/moto-api/`))?.status === 200,
        timeoutMs,
      });
    } catch (err) {
      await stop();
      throw err;
    }
    return {
      server: 'moto',
      version: MOTO_VERSION,
      endpoint,
      region: REGION,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      stop,
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** moto in server mode (PyPI, installed once into a venv). */
export const motoLauncher: S3ServerLauncher = {
  name: 'moto',
  version: MOTO_VERSION,
  prepare: async () => {
    await ensureMoto();
  },
  start: async (opts: StartS3ServerOptions = {}) => {
    const venv = await ensureMoto();
    return retryOnAddressInUse(() => startOnce(venv, opts.timeoutMs ?? START_TIMEOUT_MS));
  },
};
