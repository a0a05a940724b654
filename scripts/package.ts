/**
 * `npm run package`: builds the installers for this OS with electron-builder (electron-builder.yml):
 * AppImage and deb on Linux, a universal dmg on macOS, NSIS on Windows, into release/.
 *
 *   npm run package [-- <more electron-builder arguments, e.g. --publish always>]
 *
 * electron-builder needs Electron's prebuilt zip for each architecture it packs, downloaded from
 * GitHub (or ELECTRON_MIRROR) into Electron's download cache. Where that cannot work (no
 * internet, as on the machines this is built on), this says so up front, naming the files and
 * what helps, instead of failing deep inside a download. Signing and notarization follow the
 * environment (signingPlan; docs/packaging.md) and are skipped, saying so, without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mirrorInUse } from './ensure-electron';

/** The electron-builder platform flag of an OS. */
const PLATFORM_FLAG: Partial<Record<NodeJS.Platform, string>> = { linux: '--linux', darwin: '--mac', win32: '--win' };

/** The Electron zips electron-builder.yml's targets need on this OS (a universal dmg packs both Mac architectures). */
export function electronZipsFor(platform: NodeJS.Platform, arch: string, version: string): string[] {
  const archs = platform === 'darwin' ? ['x64', 'arm64'] : platform === 'win32' ? ['x64', 'arm64'] : [arch];
  return archs.map((a) => `electron-v${version}-${platform}-${a}.zip`);
}

/** Electron's download cache as @electron/get finds it (electron_config_cache wins). */
export function electronCacheDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home = homedir()): string {
  if (env.electron_config_cache) return env.electron_config_cache;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'electron');
  if (platform === 'win32')
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'electron');
}

/** Whether a zip is in the cache (at its top, or in the per-URL folders @electron/get makes). */
function inCache(cacheDir: string, zip: string): boolean {
  if (existsSync(path.join(cacheDir, zip))) return true;
  try {
    return readdirSync(cacheDir, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && existsSync(path.join(cacheDir, entry.name, zip)),
    );
  } catch {
    return false;
  }
}

/** Why a zip cannot be fetched, or undefined when the mirror answers for it. */
async function unreachable(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    return response.ok ? undefined : `${url} answered ${response.status}`;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${url} could not be reached (${error instanceof Error ? error.message : String(error)}${cause})`;
  }
}

/**
 * Checks, before anything is built, that every Electron zip needed is cached or downloadable;
 * returns the paragraph to print when one is not, or undefined when packaging can go ahead.
 */
export async function packagingPreflight(
  platform: NodeJS.Platform,
  arch: string,
  version: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const cacheDir = electronCacheDir(platform, env);
  const mirror = mirrorInUse(env).replace(/\/?$/, '/');
  const problems: string[] = [];
  for (const zip of electronZipsFor(platform, arch, version)) {
    if (inCache(cacheDir, zip)) continue;
    const problem = await unreachable(`${mirror}v${version}/${zip}`);
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) return undefined;
  return [
    `npm run package cannot build the installers here: electron-builder packs Electron's prebuilt binary,`,
    `which is neither in Electron's download cache (${cacheDir}) nor downloadable: ${problems.join('; ')}.`,
    `It needs ${electronZipsFor(platform, arch, version).join(' and ')} (about 100 MB each).`,
    `Set ELECTRON_MIRROR to a mirror of Electron's releases (a URL under which v${version}/<zip> is found),`,
    `or copy those zips into the cache folder (or set electron_config_cache to a folder holding them), then run it again.`,
    `The installers are built by .github/workflows/release.yml on GitHub's runners; npm run build and web mode work here.`,
  ].join(' ');
}

/** What signing and notarization electron-builder does, from the environment. */
export interface SigningPlan {
  /** Extra electron-builder arguments. */
  args: string[];
  /** Extra environment for electron-builder. */
  env: Record<string, string>;
  /** One line per decision, printed before the build. */
  notes: string[];
}

/**
 * Decides signing from the environment: macOS signs with CSC_LINK (+ CSC_KEY_PASSWORD) and
 * notarizes with an App Store Connect API key (APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER)
 * or an Apple ID (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID); Windows signs with
 * WIN_CSC_LINK or CSC_LINK (+ its password). Without them the build is unsigned and says so.
 */
export function signingPlan(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): SigningPlan {
  const plan: SigningPlan = { args: [], env: {}, notes: [] };
  if (platform === 'darwin') {
    if (env.CSC_LINK) {
      plan.notes.push('macOS: signing with the certificate in CSC_LINK.');
    } else {
      // Without this electron-builder would sign with whatever identity the keychain holds.
      plan.env.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
      plan.notes.push('macOS: unsigned (set CSC_LINK and CSC_KEY_PASSWORD to sign).');
    }
    const apiKey = env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER;
    const appleId = env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID;
    if (env.CSC_LINK && (apiKey || appleId)) {
      plan.args.push('-c.mac.notarize=true');
      plan.notes.push(`macOS: notarizing with ${apiKey ? 'the App Store Connect API key' : 'the Apple ID'}.`);
    } else {
      plan.notes.push(
        'macOS: not notarized (needs signing and APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER, or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID).',
      );
    }
  } else if (platform === 'win32') {
    plan.notes.push(
      env.WIN_CSC_LINK || env.CSC_LINK
        ? 'Windows: signing with the certificate in WIN_CSC_LINK or CSC_LINK.'
        : 'Windows: unsigned (set WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD to sign).',
    );
  } else {
    plan.notes.push('Linux: AppImage and deb are not signed (their stores do not require it).');
  }
  return plan;
}

async function main(extraArgs: string[]): Promise<number> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const flag = PLATFORM_FLAG[process.platform];
  if (!flag) {
    console.error(`npm run package: electron-builder does not build installers on ${process.platform}.`);
    return 1;
  }
  const electronPackage = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  };
  const blocked = await packagingPreflight(process.platform, process.arch, electronPackage.version, process.env);
  if (blocked) {
    console.error(blocked);
    return 1;
  }
  const plan = signingPlan(process.platform, process.env);
  for (const note of plan.notes) console.log(`package: ${note}`);
  const run = (command: string, args: string[]): number =>
    spawnSync(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...plan.env },
      shell: process.platform === 'win32',
    }).status ?? 1;
  const built = run('npx', ['electron-vite', 'build']);
  if (built !== 0) return built;
  const publish = extraArgs.includes('--publish') ? [] : ['--publish', 'never'];
  return run('npx', ['electron-builder', flag, ...publish, ...plan.args, ...extraArgs]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
