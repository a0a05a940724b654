import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createTransferSettingsStore, defaultTransferSettings } from './transfer-settings-store';

let folder: string | undefined;
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('transfer settings', () => {
  test('keep the downloads root beside the tuning, each saved without losing the other', async () => {
    folder = await mkdtemp(join(tmpdir(), 's3fm-tsettings-'));
    const file = join(folder, 'transfers-settings.json');
    const store = createTransferSettingsStore(file);
    await store.load();
    expect(store.downloadsRoot()).toBeNull();
    await store.saveDownloadsRoot('/srv/downloads');
    await store.save({ ...defaultTransferSettings, partsInParallel: 2 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      ...defaultTransferSettings,
      partsInParallel: 2,
      downloadsRoot: '/srv/downloads',
    });

    const again = createTransferSettingsStore(file);
    expect(await again.load()).toEqual({ ...defaultTransferSettings, partsInParallel: 2 });
    expect(again.downloadsRoot()).toBe('/srv/downloads');
    await again.saveDownloadsRoot(null);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...defaultTransferSettings, partsInParallel: 2 });
    await expect(again.saveDownloadsRoot('relative/path')).rejects.toThrow(/absolute/);
  });

  test('a root that is not an absolute path is ignored (downloads stay in the OS Downloads folder)', async () => {
    folder = await mkdtemp(join(tmpdir(), 's3fm-tsettings-'));
    const file = join(folder, 'transfers-settings.json');
    await writeFile(file, JSON.stringify({ ...defaultTransferSettings, downloadsRoot: '~' }));
    const store = createTransferSettingsStore(file);
    expect(await store.load()).toEqual(defaultTransferSettings);
    expect(store.downloadsRoot()).toBeNull();
  });
});
