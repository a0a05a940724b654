import { describe, expect, it } from 'vitest';
import type { ShareLink } from '../../shared/share';
import { quietBrowserApi } from '../test-support/quiet-api';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';

const location = { accountId: 'acc', bucket: 'photos', prefix: '2024/' };

const link = (fields: Partial<ShareLink>): ShareLink => ({
  id: 'id',
  kind: 'get',
  bucket: 'photos',
  key: '2024/a.jpg',
  url: 'https://s3.example/photos/2024/a.jpg?X-Amz-Signature=abc',
  expiresAt: '2026-03-01T13:00:00.000Z',
  limitedBy: 'expiry',
  notes: [],
  createdAt: '2026-03-01T12:00:00.000Z',
  ...fields,
});

/** A store over a fake share API that records what was asked and answers from `history`. */
function store(history: ShareLink[] = []) {
  const calls: { channel: string; input: unknown }[] = [];
  let stored = [...history];
  let releaseHistory: (() => void) | null = null;
  let holdHistory = false;
  const api = {
    ...quietBrowserApi(),
    share: {
      getLinks: async (input: { keys: string[] }) => {
        calls.push({ channel: 'getLinks', input });
        const made = input.keys.map((key, i) =>
          link({ id: `g${i}`, key, url: `https://s3.example/${key}`, createdAt: `2026-03-02T00:00:0${i}.000Z` }),
        );
        stored = [...made, ...stored];
        return { ok: true, value: made };
      },
      putLink: async (input: { key: string }) => {
        calls.push({ channel: 'putLink', input });
        return {
          ok: true,
          value: link({ id: 'p', kind: 'put', key: input.key, createdAt: '2026-03-03T00:00:00.000Z' }),
        };
      },
      postPolicy: async (input: unknown) => {
        calls.push({ channel: 'postPolicy', input });
        return { ok: false, error: { code: 'not-supported', message: 'POST uploads are not supported here.' } };
      },
      history: async () => {
        calls.push({ channel: 'history', input: {} });
        // What main had when it was asked: an answer overtaken by a clear still carries it.
        const answer = stored;
        if (holdHistory) await new Promise<void>((resolve) => (releaseHistory = resolve));
        return { ok: true, value: answer };
      },
      clearHistory: async () => {
        calls.push({ channel: 'clearHistory', input: {} });
        const cleared = stored.length;
        stored = [];
        return { ok: true, value: { cleared } };
      },
    },
  } as unknown as StoreDependencies['api'];
  return {
    store: createAppStore({ api }),
    calls,
    hold: () => (holdHistory = true),
    release: () => releaseHistory?.(),
  };
}

describe('the share slice', () => {
  it('opens the dialog for files of a folder, never for nothing', () => {
    const { store: s } = store();
    s.getState().openShareDialog(location, []);
    expect(s.getState().shareDialog).toBeNull();
    s.getState().openShareDialog(location, ['2024/a.jpg', '2024/b.jpg']);
    expect(s.getState().shareDialog).toEqual({ location, keys: ['2024/a.jpg', '2024/b.jpg'] });
    s.getState().closeShareDialog();
    expect(s.getState().shareDialog).toBeNull();
  });

  it('asks main for one link per key with the lifetime and options, and lists them newest first', async () => {
    const older = link({ id: 'old', createdAt: '2026-01-01T00:00:00.000Z' });
    const { store: s, calls } = store([older]);
    await s.getState().loadShareHistory();
    expect(s.getState().shareHistory.links.map((l) => l.id)).toEqual(['old']);

    const result = await s
      .getState()
      .createShareLinks(location, ['2024/a.jpg', '2024/b.jpg'], 3600, { forceDownload: true });
    expect(result.ok && result.value.map((l) => l.key)).toEqual(['2024/a.jpg', '2024/b.jpg']);
    expect(calls.find((c) => c.channel === 'getLinks')?.input).toEqual({
      accountId: 'acc',
      bucket: 'photos',
      keys: ['2024/a.jpg', '2024/b.jpg'],
      expiresInSeconds: 3600,
      options: { forceDownload: true },
    });
    expect(s.getState().shareHistory.links.map((l) => l.id)).toEqual(['g1', 'g0', 'old']);

    await s.getState().createUploadLink(location, '2024/in.jpg', 900, { acl: 'private' });
    expect(s.getState().shareHistory.links[0]).toMatchObject({ kind: 'put', key: '2024/in.jpg' });
  });

  it('hands a failure back to the dialog and lists nothing for it', async () => {
    const { store: s } = store();
    const result = await s
      .getState()
      .createPostPolicy(location, { keyPrefix: '2024/', maxSizeBytes: 10, expiresInSeconds: 60, acl: 'private' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'not-supported', message: 'POST uploads are not supported here.' },
    });
    expect(s.getState().shareHistory.links).toEqual([]);
  });

  it('clears the list, and a history answer that arrives after the clear does not bring it back', async () => {
    const { store: s, hold, release } = store([link({ id: 'x' })]);
    hold();
    const loading = s.getState().loadShareHistory();
    expect(s.getState().shareHistory.status).toBe('loading');
    const cleared = await s.getState().clearShareHistory();
    expect(cleared).toEqual({ ok: true, value: { cleared: 1 } });
    release();
    await loading;
    expect(s.getState().shareHistory).toEqual({ status: 'ready', links: [], error: null });
  });
});
