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

  it('copies an unreadable file aside once, however often it is read, also after a restart', async () => {
    const file = join(folder, 'settings.json');
    await writeFile(file, '{ not json');
    let clock = Date.parse('2026-11-21T10:00:00Z');
    const now = () => new Date((clock += 1000));
    const store = createSettingsStore(file, now);
    for (let read = 0; read < 5; read++) expect(await store.read()).toEqual({ version: 1, accounts: [] });
    // A new process reads the same broken file: it finds its copy already there.
    expect(await createSettingsStore(file, now).read()).toEqual({ version: 1, accounts: [] });
    const copies = (await readdir(folder)).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(store.status()).toMatchObject({ copiedAside: join(folder, copies[0] ?? ''), setAsideAccounts: 0 });
    expect(store.status().message).toMatch(/could not be read; it was copied to/);

    // Written again, then broken differently: that is new content, so one more copy.
    await store.update((current) => ({ ...current, accounts: [account] }));
    expect(store.status().message).toBeNull();
    await writeFile(file, '[1, 2');
    await store.read();
    await store.read();
    expect((await readdir(folder)).filter((name) => name.startsWith('settings.json.corrupt-'))).toHaveLength(2);
  });

  it('keeps the valid accounts when one entry is invalid, and sets that one aside without losing it', async () => {
    const file = join(folder, 'settings.json');
    const broken = { ...account, id: 'bad', name: 'Broken', provider: 'no-such-provider', region: 'us east 1' };
    const other = { ...account, id: 'a2', name: 'Two' };
    await writeFile(file, JSON.stringify({ version: 1, accounts: [account, broken, other] }));
    const store = createSettingsStore(file);
    const settings = await store.read();
    expect(settings.accounts.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(settings.setAsideAccounts).toEqual([{ entry: broken, reason: expect.stringMatching(/provider/) }]);
    expect(store.status()).toMatchObject({ copiedAside: null, setAsideAccounts: 1 });
    expect(store.status().message).toMatch(/One saved account does not match/);

    // The next change writes the set-aside entry back under setAsideAccounts, unchanged.
    await store.update((current) => ({ ...current, accounts: current.accounts.filter((a) => a.id !== 'a2') }));
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(written.accounts).toEqual([account]);
    expect(written.setAsideAccounts).toEqual([{ entry: broken, reason: expect.any(String) }]);
    expect((await createSettingsStore(file).read()).setAsideAccounts).toHaveLength(1);
    expect((await readdir(folder)).filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('refuses to write settings that do not match the schema', async () => {
    const store = createSettingsStore(join(folder, 'settings.json'));
    await expect(
      store.update((current) => ({ ...current, accounts: [{ ...account, region: 'us east 1' }] })),
    ).rejects.toThrow();
    await expect(readFile(join(folder, 'settings.json'))).rejects.toThrow();
  });
});
