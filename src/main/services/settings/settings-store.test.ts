import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftFromPreset } from '../../../shared/accounts';
import { createSettingsStore } from './settings-store';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 's3fm-settings-'));
});
afterEach(async () => rm(folder, { recursive: true, force: true }));

const { secretAccessKey: _s, sessionToken: _t, ...settings } = draftFromPreset('minio');
const account = { ...settings, id: 'a1', name: 'One' };

describe('settings store', () => {
  it('starts empty, writes atomically and reads back what it wrote', async () => {
    const store = createSettingsStore(join(folder, 'settings.json'));
    expect(await store.read()).toEqual({ version: 1, accounts: [] });
    await store.update((current) => ({ ...current, accounts: [account] }));
    expect(await createSettingsStore(join(folder, 'settings.json')).read()).toEqual({
      version: 1,
      accounts: [account],
    });
    expect(await readdir(folder)).toEqual(['settings.json']);
  });

  it('applies quick successive updates in order, losing none', async () => {
    const store = createSettingsStore(join(folder, 'settings.json'));
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) =>
        store.update((current) => ({ ...current, accounts: [...current.accounts, { ...account, id, name: id }] })),
      ),
    );
    expect((await store.read()).accounts.map((a) => a.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps an unreadable file aside instead of overwriting it', async () => {
    const file = join(folder, 'settings.json');
    await writeFile(file, '{ not json');
    const store = createSettingsStore(file, () => new Date('2026-11-21T10:00:00Z'));
    expect(await store.read()).toEqual({ version: 1, accounts: [] });
    expect(await readFile(join(folder, 'settings.json.corrupt-2026-11-21T10-00-00-000Z'), 'utf8')).toBe('{ not json');
  });

  it('refuses to write settings that do not match the schema', async () => {
    const store = createSettingsStore(join(folder, 'settings.json'));
    await expect(
      store.update((current) => ({ ...current, accounts: [{ ...account, region: 'us east 1' }] })),
    ).rejects.toThrow();
    await expect(readFile(join(folder, 'settings.json'))).rejects.toThrow();
  });
});
