import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BucketDetails, ObjectDetails } from '../../shared/details';
import type { OperationOutcome } from '../../shared/operations';
import { quietBrowserApi } from '../test-support/quiet-api';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';
import { DETAILS_DEBOUNCE_MS } from './details-slice';

const objectOf = (key: string, fields: Partial<ObjectDetails> = {}): ObjectDetails => ({
  bucket: 'b',
  key,
  size: 1,
  lastModified: null,
  etag: null,
  contentType: 'text/plain',
  storageClass: 'STANDARD',
  versionId: null,
  encryption: { algorithm: null, kmsKeyId: null, customerKey: false },
  checksum: null,
  metadata: {},
  cacheControl: null,
  contentDisposition: null,
  contentEncoding: null,
  contentLanguage: null,
  expires: null,
  tags: { available: false, reason: 'Tags: not supported by this service.' },
  acl: { available: false, reason: 'Not supported.' },
  ...fields,
});

const outcome = (operationId: string): OperationOutcome => ({
  operationId,
  kind: 'edit-metadata',
  state: 'finished',
  done: 1,
  failures: [],
  failedCount: 0,
  summary: 'Edited 1 object.',
});

/** A fake details API whose answers the test releases one by one, recording what was asked. */
function store() {
  const asked: { channel: string; input: Record<string, unknown> }[] = [];
  const held: Array<() => void> = [];
  let contentType = 'text/plain';
  let changed: ((c: { accountId: string; bucket: string; keys: string[] }) => void) | null = null;
  const answer = <T>(value: T) =>
    new Promise<{ ok: true; value: T }>((resolve) => held.push(() => resolve({ ok: true, value })));
  const api = {
    ...quietBrowserApi(),
    details: {
      object: (input: { key: string }) => {
        asked.push({ channel: 'object', input });
        return answer(objectOf(input.key, { contentType }));
      },
      bucket: (input: { bucket: string }) => {
        asked.push({ channel: 'bucket', input });
        return answer<BucketDetails>({
          name: input.bucket,
          region: 'us-east-1',
          versioning: { available: true, value: 'never-enabled' },
          defaultEncryption: { available: true, value: null },
        });
      },
      setVersioning: async (input: { bucket: string; status: 'enabled' | 'suspended' }) => ({
        ok: true,
        value: {
          name: input.bucket,
          region: 'us-east-1',
          versioning: { available: true, value: input.status },
          defaultEncryption: { available: true, value: null },
        },
      }),
      folderSize: (input: { prefix: string }) => {
        asked.push({ channel: 'folderSize', input });
        return answer({ objects: input.prefix === 'a/' ? 3 : 9, bytes: 300 });
      },
      editObjects: async (input: Record<string, unknown>) => {
        asked.push({ channel: 'editObjects', input });
        contentType = 'text/csv';
        return { ok: true, value: { operationId: 'op1' } };
      },
      onChanged: (listener: typeof changed) => {
        changed = listener;
        return () => (changed = null);
      },
    },
    sse: {
      status: async () => ({ ok: true, value: { hasKey: false, fingerprint: null } }),
      setKey: async (input: Record<string, unknown>) => {
        asked.push({ channel: 'setKey', input });
        return { ok: true, value: { hasKey: true, fingerprint: 'md5' } };
      },
      removeKey: async () => ({ ok: true, value: { hasKey: false, fingerprint: null } }),
    },
  } as unknown as StoreDependencies['api'];
  return {
    store: createAppStore({ api }),
    asked,
    /** Lets the oldest held answer through, and waits for it to land. */
    async release(index = 0) {
      const [next] = held.splice(index, 1);
      next?.();
      await vi.advanceTimersByTimeAsync(0);
    },
    emitChanged: (c: { accountId: string; bucket: string; keys: string[] }) => changed?.(c),
  };
}

const target = (key: string) => ({ accountId: 'acc', bucket: 'b', key });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('object details', () => {
  it('waits for the selection to settle, asking only for the last object', async () => {
    const { store: s, asked, release } = store();
    s.getState().showObjectDetails(target('a.txt'));
    await vi.advanceTimersByTimeAsync(DETAILS_DEBOUNCE_MS / 2);
    s.getState().showObjectDetails(target('b.txt'));
    // The new name shows at once, with no values of the old object under it.
    expect(s.getState().objectDetails).toMatchObject({ subject: target('b.txt'), status: 'loading', value: null });
    await vi.advanceTimersByTimeAsync(DETAILS_DEBOUNCE_MS);
    expect(asked.map((a) => a.input.key)).toEqual(['b.txt']);
    await release();
    expect(s.getState().objectDetails).toMatchObject({ status: 'ready', value: { key: 'b.txt' } });
  });

  it('drops an answer for an object that is no longer shown', async () => {
    const { store: s, release } = store();
    s.getState().showObjectDetails(target('a.txt'));
    await vi.advanceTimersByTimeAsync(DETAILS_DEBOUNCE_MS);
    s.getState().showObjectDetails(target('b.txt'));
    await vi.advanceTimersByTimeAsync(DETAILS_DEBOUNCE_MS);
    // b's answer lands first, then a's late one: b stays.
    await release(1);
    await release(0);
    expect(s.getState().objectDetails).toMatchObject({ subject: target('b.txt'), value: { key: 'b.txt' } });
  });

  it('reloads when details.changed names the shown key, and not for others', async () => {
    const { store: s, asked, release, emitChanged } = store();
    const unwatch = s.getState().watchDetailsChanges();
    s.getState().showObjectDetails(target('a.txt'));
    await vi.advanceTimersByTimeAsync(DETAILS_DEBOUNCE_MS);
    await release();
    emitChanged({ accountId: 'acc', bucket: 'b', keys: ['other.txt'] });
    emitChanged({ accountId: 'acc', bucket: 'other-bucket', keys: ['a.txt'] });
    expect(asked).toHaveLength(1);
    emitChanged({ accountId: 'acc', bucket: 'b', keys: ['a.txt', 'z.txt'] });
    expect(asked).toHaveLength(2);
    // While it reloads, the values already shown stay.
    expect(s.getState().objectDetails).toMatchObject({ status: 'loading', value: { key: 'a.txt' } });
    await release();
    unwatch();
    emitChanged({ accountId: 'acc', bucket: 'b', keys: ['a.txt'] });
    expect(asked).toHaveLength(2);
  });

  it('sends an edit, and reloads the shown object once the operation has finished', async () => {
    const { store: s, asked, release } = store();
    s.getState().showObjectDetails(target('a.txt'));
    await vi.advanceTimersByTimeAsync(DETAILS_DEBOUNCE_MS);
    await release();
    expect(s.getState().objectDetails.value?.contentType).toBe('text/plain');

    const result = await s
      .getState()
      .editObjects({ accountId: 'acc', bucket: 'b' }, ['a.txt'], { contentType: 'text/csv' });
    expect(result).toEqual({ ok: true, value: { operationId: 'op1' } });
    expect(asked.at(-1)).toEqual({
      channel: 'editObjects',
      input: { accountId: 'acc', bucket: 'b', keys: ['a.txt'], edit: { contentType: 'text/csv' } },
    });
    // Nothing reloads before the operation ends.
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.filter((a) => a.channel === 'object')).toHaveLength(1);
    s.getState().receiveOutcome(outcome('op1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.filter((a) => a.channel === 'object')).toHaveLength(2);
    await release();
    expect(s.getState().objectDetails.value?.contentType).toBe('text/csv');
  });
});

describe('bucket details', () => {
  it('loads a bucket once, and takes the answer of a versioning change', async () => {
    const { store: s, asked, release } = store();
    s.getState().showBucketDetails({ accountId: 'acc', bucket: 'b' });
    s.getState().showBucketDetails({ accountId: 'acc', bucket: 'b' });
    await release();
    expect(asked.filter((a) => a.channel === 'bucket')).toHaveLength(1);
    expect(s.getState().bucketDetails.value?.versioning).toEqual({ available: true, value: 'never-enabled' });
    await s.getState().setBucketVersioning({ accountId: 'acc', bucket: 'b' }, 'enabled');
    expect(s.getState().bucketDetails.value?.versioning).toEqual({ available: true, value: 'enabled' });
  });

  it('keeps only the newest folder size asked for', async () => {
    const { store: s, release } = store();
    const first = s.getState().calculateFolderSize({ accountId: 'acc', bucket: 'b', prefix: 'a/' });
    const second = s.getState().calculateFolderSize({ accountId: 'acc', bucket: 'b', prefix: '' });
    await release(1);
    await release(0);
    await Promise.all([first, second]);
    expect(s.getState().folderSize).toMatchObject({ subject: { prefix: '' }, value: { objects: 9 } });
  });
});

describe('customer keys', () => {
  it('keeps only the status: the key goes to main and never into the store', async () => {
    const { store: s, asked } = store();
    await s.getState().loadCustomerKeyStatus('acc');
    expect(s.getState().customerKeys.acc?.value).toEqual({ hasKey: false, fingerprint: null });
    const key = 'A'.repeat(43) + '=';
    await s.getState().setCustomerKey('acc', key);
    expect(asked.at(-1)).toEqual({ channel: 'setKey', input: { accountId: 'acc', key } });
    expect(s.getState().customerKeys.acc?.value).toEqual({ hasKey: true, fingerprint: 'md5' });
    expect(JSON.stringify(s.getState().customerKeys)).not.toContain(key);
    await s.getState().removeCustomerKey('acc');
    expect(s.getState().customerKeys.acc?.value?.hasKey).toBe(false);
  });
});
