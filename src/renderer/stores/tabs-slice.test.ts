import { describe, expect, it } from 'vitest';
import type { FileEntry, ListingPage } from '../../shared/objects';
import type { Result } from '../../shared/result';
import { quietBrowserApi } from '../test-support/quiet-api';
import { sampleAccount } from '../test-support/sample-accounts';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';
import { readSavedTabs, rememberTabs, tabsToSave, tabTitle } from './tabs-slice';

const file = (key: string): FileEntry => ({
  kind: 'file',
  key,
  name: key.slice(key.lastIndexOf('/') + 1),
  size: 1,
  lastModified: null,
  storageClass: null,
  etag: null,
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A store whose folders each hold the files named here (every listing answers at once). */
function setup(folders: Record<string, string[]>) {
  const api = {
    ...quietBrowserApi(),
    objects: {
      list: async ({ prefix, recursive }: { prefix: string; recursive?: boolean }): Promise<Result<ListingPage>> => ({
        ok: true,
        value: { folders: [], files: recursive ? [] : (folders[prefix] ?? []).map(file), nextToken: null },
      }),
      onChanged: () => () => undefined,
    },
  } as unknown as StoreDependencies['api'];
  const store = createAppStore({ api });
  store.setState({ accounts: [sampleAccount({ id: 'acc', name: 'Acc', endpoint: '' })] });
  return store;
}

const at = (prefix: string) => ({ accountId: 'acc', bucket: 'b', prefix });
const shown = (store: ReturnType<typeof setup>) => {
  const { listing, listSelection, history } = store.getState();
  return {
    prefix: listing.location?.prefix,
    keys: listing.entries.map((e) => e.key),
    selected: [...listSelection.selected],
    back: history.back.map((l) => l.prefix),
  };
};

describe('tabs', () => {
  it('keeps each tab its own folder, history and selected rows, and brings them back on switching', async () => {
    const store = setup({ 'a/': ['a/1.txt', 'a/2.txt'], 'b/': ['b/3.txt'], 'c/': ['c/4.txt'] });
    store.getState().navigate(at('a/'));
    await tick();
    store.getState().navigate(at('c/'));
    store.getState().goBack();
    await tick();
    store.getState().setListSelection({ selected: new Set(['a/2.txt']), anchor: 'a/2.txt', focus: 'a/2.txt' });
    const first = store.getState().activeTabId;

    store.getState().openTab();
    const second = store.getState().activeTabId;
    expect(second).not.toBe(first);
    await tick();
    // A new tab opens on the folder shown, with a history and a selection of its own.
    expect(shown(store)).toEqual({ prefix: 'a/', keys: ['a/1.txt', 'a/2.txt'], selected: [], back: [] });
    store.getState().navigate(at('b/'));
    await tick();
    expect(shown(store)).toMatchObject({ prefix: 'b/', keys: ['b/3.txt'], back: ['a/'] });

    store.getState().switchTab(first);
    await tick();
    expect(shown(store)).toEqual({ prefix: 'a/', keys: ['a/1.txt', 'a/2.txt'], selected: ['a/2.txt'], back: [] });
    expect(store.getState().history.forward.map((l) => l.prefix)).toEqual(['c/']);

    store.getState().switchTab(second);
    await tick();
    expect(shown(store)).toEqual({ prefix: 'b/', keys: ['b/3.txt'], selected: [], back: ['a/'] });
    expect(
      store.getState().tabs.map((t) => tabTitle(t.id === second ? store.getState().selection : t.selection, [])),
    ).toEqual(['a', 'b']);
  });

  it('closes a tab (never the last), showing its neighbour when it was the active one', async () => {
    const store = setup({ 'a/': ['a/1.txt'], 'b/': ['b/3.txt'] });
    store.getState().navigate(at('a/'));
    const first = store.getState().activeTabId;
    store.getState().openTab({ kind: 'folder', ...at('b/') });
    await tick();
    expect(shown(store).prefix).toBe('b/');
    store.getState().closeTab(store.getState().activeTabId);
    await tick();
    expect(store.getState().tabs.map((t) => t.id)).toEqual([first]);
    expect(shown(store).prefix).toBe('a/');
    store.getState().closeTab(first);
    expect(store.getState().tabs).toHaveLength(1);
  });

  it('remembers the places of the tabs, and a restart opens them again (a removed account’s tab opens empty)', async () => {
    const store = setup({ 'a/': ['a/1.txt'], 'b/': ['b/3.txt'] });
    const saved = new Map<string, string>();
    const storage = {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
    };
    rememberTabs(store, storage);
    store.getState().navigate(at('a/'));
    store.getState().openTab({ kind: 'folder', ...at('b/') });
    store.getState().openTab({ kind: 'folder', accountId: 'gone', bucket: 'x', prefix: 'y/' });
    store.getState().switchTab(store.getState().tabs[1]?.id ?? '');
    await tick();
    const before = tabsToSave(store.getState());

    const restarted = setup({ 'a/': ['a/1.txt'], 'b/': ['b/3.txt'] });
    const read = readSavedTabs(storage);
    expect(read).toEqual(before);
    restarted.getState().restoreTabs(read ?? before);
    await tick();
    // The tab opened on an account that does not exist was shown empty, and is remembered so.
    expect(restarted.getState().tabs.map((t) => tabTitle(t.selection, []))).toEqual(['a', 'b', 'New tab']);
    expect(shown(restarted).prefix).toBe('b/');

    const later = setup({});
    later.getState().restoreTabs({
      tabs: [{ id: 'one', selection: { kind: 'folder', accountId: 'gone', bucket: 'x', prefix: 'y/' } }],
      activeTabId: 'one',
    });
    expect(later.getState().selection).toBeNull();
    expect(readSavedTabs({ getItem: () => '{"tabs": "nonsense"}', setItem: () => undefined })).toBeNull();
  });

  it('opens Copy to on the folder of the tab rows are dropped on, or Copy to another account for another account', () => {
    const store = setup({});
    const items = { location: at('a/'), keys: ['a/1.txt', 'a/sub/'] };
    expect(store.getState().dropItems(items, at('a/'), 'copy')).toBe('These items are in that folder already.');
    expect(store.getState().browserDialog).toBeNull();
    expect(store.getState().dropItems(items, at('b/'), 'move')).toBeNull();
    expect(store.getState().browserDialog).toEqual({
      kind: 'transfer',
      mode: 'move',
      location: at('a/'),
      items: ['a/1.txt', 'a/sub/'],
      target: { bucket: 'b', prefix: 'b/' },
    });
    const elsewhere = { accountId: 'other', bucket: 'c', prefix: 'in/' };
    expect(store.getState().dropItems(items, elsewhere, 'copy')).toBeNull();
    expect(store.getState().browserDialog).toEqual({
      kind: 'transfer-across',
      mode: 'copy',
      location: at('a/'),
      items: ['a/1.txt', 'a/sub/'],
      target: elsewhere,
    });
  });
});
