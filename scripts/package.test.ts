import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronCacheDir, electronZipsFor, packagingPreflight, signingPlan } from './package';

describe('npm run package', () => {
  let server: Server;
  let mirror: string;
  let cache: string;
  beforeAll(async () => {
    // A local "mirror" that has only the Linux x64 zip of 45.0.0.
    server = createServer((request, response) => {
      response.statusCode = request.url === '/v45.0.0/electron-v45.0.0-linux-x64.zip' ? 200 : 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    cache = await mkdtemp(path.join(tmpdir(), 's3fm-electron-cache-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(cache, { recursive: true, force: true });
  });

  it('needs one zip per architecture it packs: both Mac ones for the universal dmg', () => {
    expect(electronZipsFor('linux', 'x64', '45.4.1')).toEqual(['electron-v45.4.1-linux-x64.zip']);
    expect(electronZipsFor('darwin', 'arm64', '45.4.1')).toEqual([
      'electron-v45.4.1-darwin-x64.zip',
      'electron-v45.4.1-darwin-arm64.zip',
    ]);
    expect(electronZipsFor('win32', 'x64', '45.4.1')).toHaveLength(2);
  });

  it("looks in Electron's download cache where @electron/get keeps it", () => {
    expect(electronCacheDir('linux', {}, '/home/a')).toBe(path.join('/home/a', '.cache', 'electron'));
    expect(electronCacheDir('darwin', {}, '/Users/a')).toBe(path.join('/Users/a', 'Library', 'Caches', 'electron'));
    expect(electronCacheDir('linux', { electron_config_cache: '/c' }, '/home/a')).toBe('/c');
  });

  it('goes ahead when the mirror has the zip, or the cache holds it', async () => {
    const env = { ELECTRON_MIRROR: mirror, electron_config_cache: cache };
    await expect(packagingPreflight('linux', 'x64', '45.0.0', env)).resolves.toBeUndefined();
    await mkdir(path.join(cache, 'a1b2'), { recursive: true });
    await writeFile(path.join(cache, 'a1b2', 'electron-v45.9.9-linux-x64.zip'), 'zip');
    await expect(packagingPreflight('linux', 'x64', '45.9.9', env)).resolves.toBeUndefined();
  });

  it('stops up front, saying which file it needs, why it cannot have it and what helps', async () => {
    const missing = await packagingPreflight('darwin', 'arm64', '45.0.0', {
      ELECTRON_MIRROR: mirror,
      electron_config_cache: cache,
    });
    expect(missing).toContain(`${mirror}v45.0.0/electron-v45.0.0-darwin-x64.zip answered 404`);
    expect(missing).toContain('electron-v45.0.0-darwin-arm64.zip');
    expect(missing).toMatch(/ELECTRON_MIRROR/);
    expect(missing).toMatch(/release\.yml/);
    const offline = await packagingPreflight('linux', 'x64', '45.0.0', {
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: cache,
    });
    expect(offline).toMatch(/could not be reached/);
  });

  it('signs and notarizes only with the credentials in the environment, and says so', () => {
    const unsigned = signingPlan('darwin', {});
    expect(unsigned.env).toEqual({ CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
    expect(unsigned.args).toEqual([]);
    expect(unsigned.notes.join(' ')).toMatch(/unsigned.*not notarized/);
    const notarized = signingPlan('darwin', {
      CSC_LINK: 'cert.p12',
      APPLE_API_KEY: 'key.p8',
      APPLE_API_KEY_ID: 'id',
      APPLE_API_ISSUER: 'issuer',
    });
    expect(notarized.env).toEqual({});
    expect(notarized.args).toEqual(['-c.mac.notarize=true']);
    expect(signingPlan('darwin', { APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't' }).args).toEqual(
      [],
    );
    expect(signingPlan('win32', {}).notes[0]).toMatch(/unsigned/);
    expect(signingPlan('win32', { WIN_CSC_LINK: 'c.pfx' }).notes[0]).toMatch(/signing/);
  });
});
