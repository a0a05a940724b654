import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../shared/activity';
import type { TransferBatchOutcome } from '../../../shared/transfers';
import { AppFailure } from '../app-failure';
import { createEventBus, type EventBus } from '../event-bus';
import type { Handlers } from '../handlers';
import { createSecretRegistry } from '../logging/redaction';
import { createOperationRegistry, type OperationRegistry } from '../operations/operation-registry';
import { createActivityRecorder } from './activity-recorder';
import { activityRules } from './activity-rules';
import { createActivityStore } from './activity-store';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function newFile(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 's3fm-activity-'));
  folders.push(folder);
  return join(folder, 'activity.jsonl');
}

/** A recorder over a real store, bus and operation registry, wrapping the handlers made from them. */
function setUp(file: string, make: (parts: { bus: EventBus; operations: OperationRegistry }) => Partial<Handlers>) {
  const bus = createEventBus();
  const store = createActivityStore({ file });
  const secrets = createSecretRegistry();
  const operations = createOperationRegistry({ bus, classify: () => undefined });
  const recorder = createActivityRecorder({
    store,
    bus,
    accountNames: async () => [{ id: 'a1', name: 'Home MinIO' }],
    classify: () => undefined,
    secrets,
  });
  const handlers = recorder.wrap(make({ bus, operations }) as Handlers);
  const entries = async (): Promise<ActivityEntry[]> => {
    await store.flush();
    return store.all();
  };
  return { bus, store, handlers, operations, entries, secrets };
}

const ipc = { host: 'ipc' } as const;

async function waitUntil(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('activity recorder', () => {
  it('records a change with when, account, what and result, and leaves reads out', async () => {
    const { handlers, entries } = setUp(await newFile(), () => ({
      'folders.create': async () => ({ key: 'docs/new/' }),
      'buckets.list': async () => [],
    }));
    await handlers['buckets.list']({ accountId: 'a1' }, ipc);
    await handlers['folders.create']({ accountId: 'a1', bucket: 'b', parent: 'docs/', name: 'new' }, ipc);
    const [entry, ...rest] = await entries();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      accountId: 'a1',
      accountName: 'Home MinIO',
      kind: 'create',
      channel: 'folders.create',
      what: 'Create the folder new in b/docs/',
      bucket: 'b',
      result: 'ok',
      resultText: 'Done.',
    });
    expect(Date.now() - Date.parse(entry?.at ?? '')).toBeLessThan(5000);
  });

  it("records a failure with the error's words, and still throws it", async () => {
    const { handlers, entries } = setUp(await newFile(), () => ({
      'buckets.delete': async () => {
        throw new AppFailure('conflict', 'The bucket is not empty. Delete what is in it first.');
      },
    }));
    await expect(handlers['buckets.delete']({ accountId: 'a1', name: 'full' }, ipc)).rejects.toThrow(/not empty/);
    expect(await entries()).toMatchObject([
      { what: 'Delete the empty bucket full', result: 'failed', resultText: expect.stringMatching(/not empty/) },
    ]);
  });

  it("records a long operation's real end, not only that it started", async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { handlers, entries } = setUp(await newFile(), ({ operations }) => ({
      'objects.delete': async () => {
        const { operationId } = operations.start('delete', 'Deleting', async (context) => {
          await gate;
          context.advance(12);
          context.fail('c.txt', 'Access denied.');
          return (done, failed) => `Deleted ${done} items; ${failed} failed.`;
        });
        return { operationId };
      },
    }));
    await handlers['objects.delete']({ accountId: 'a1', bucket: 'b', keys: ['a.txt', 'b.txt', 'c.txt'] }, ipc);
    expect(await entries()).toMatchObject([{ result: 'running', resultText: 'Running…' }]);
    release();
    await waitUntil(async () => (await entries())[0]?.result === 'failed');
    expect(await entries()).toMatchObject([
      {
        what: 'Delete a.txt, b.txt and c.txt from b',
        result: 'failed',
        resultText: 'Deleted 12 items; 1 failed.',
        ref: expect.any(String),
        endedAt: expect.any(String),
      },
    ]);
  });

  it('records the end of an operation that ended before its request answered', async () => {
    const { handlers, entries } = setUp(await newFile(), ({ operations }) => ({
      'objects.rename': async () => {
        const { operationId, finished } = operations.start('rename', 'Renaming', async () => {
          throw new AppFailure('access-denied', 'Access denied: ask for s3:PutObject.');
        });
        await finished;
        return { operationId };
      },
    }));
    await handlers['objects.rename']({ accountId: 'a1', bucket: 'b', key: 'a.txt', newName: 'b.txt' }, ipc);
    expect(await entries()).toMatchObject([
      { what: 'Rename a.txt in b to b.txt', result: 'failed', resultText: expect.stringMatching(/Access denied/) },
    ]);
  });

  it('updates a batch that ends after a restart from the entry on disk', async () => {
    const file = await newFile();
    const first = setUp(file, () => ({
      'transfers.upload': async () => ({ batchId: 'batch-1', count: 13 }),
    }));
    await first.handlers['transfers.upload'](
      {
        accountId: 'a1',
        bucket: 'b',
        prefix: 'in/',
        source: { kind: 'paths', paths: ['/home/me/album/'] },
        onConflict: 'skip',
        options: { acl: 'private', metadata: {}, encryption: { mode: 'none' } },
      },
      ipc,
    );
    expect(await first.entries()).toMatchObject([{ what: 'Upload album/ to b/in/', result: 'running' }]);

    const second = setUp(file, () => ({}));
    const outcome: TransferBatchOutcome = {
      batchId: 'batch-1',
      direction: 'upload',
      finished: 12,
      skipped: 0,
      failed: 1,
      cancelled: 0,
      summary: 'Uploaded 12 files to b/in/ (1 failed).',
    };
    second.bus.emit('transfers.batchFinished', outcome);
    await waitUntil(async () => (await second.entries())[0]?.result === 'failed');
    expect(await second.entries()).toMatchObject([
      { result: 'failed', resultText: 'Uploaded 12 files to b/in/ (1 failed).' },
    ]);
  });

  it('masks a registered secret that an error message would carry into the log', async () => {
    const file = await newFile();
    const { handlers, entries, secrets } = setUp(file, () => ({
      'sse.setKey': async () => {
        throw new AppFailure('invalid-input', 'Key AAAAsecretsecretsecretsecretsecretsecretAAA= refused?');
      },
    }));
    secrets.add('AAAAsecretsecretsecretsecretsecretsecretAAA=');
    await expect(
      handlers['sse.setKey']({ accountId: 'a1', key: 'AAAAsecretsecretsecretsecretsecretsecretAAA=' }, ipc),
    ).rejects.toThrow();
    expect(await entries()).toMatchObject([{ what: 'Save an SSE-C key', result: 'failed' }]);
    expect(await readFile(file, 'utf8')).not.toContain('secretsecret');
  });

  it('names the account a channel gives only in its answer', async () => {
    const bus = createEventBus();
    const store = createActivityStore({ file: await newFile() });
    const recorder = createActivityRecorder({
      store,
      bus,
      accountNames: async () => [{ id: 'a1', name: 'Home MinIO' }],
      classify: () => undefined,
      rules: {
        ...activityRules,
        'folders.create': {
          record: true,
          describe: (_input, output) => ({
            kind: 'create',
            accountId: output ? 'a1' : null,
            bucket: null,
            what: 'Create',
          }),
        },
      },
    });
    const handlers = recorder.wrap({ 'folders.create': async () => ({ key: 'x/' }) } as unknown as Handlers);
    await handlers['folders.create']({ accountId: 'a1', bucket: 'b', parent: '', name: 'x' }, ipc);
    await store.flush();
    expect(await store.all()).toMatchObject([{ accountId: 'a1', accountName: 'Home MinIO' }]);
  });

  it('does not change what a handler returns', async () => {
    const { handlers } = setUp(await newFile(), () => ({
      'share.putLink': async () => ({ id: 'l', url: 'https://x/?X-Amz-Signature=abc' }) as never,
    }));
    expect(
      await handlers['share.putLink'](
        { accountId: 'a1', bucket: 'b', key: 'k', expiresInSeconds: 3600, options: { acl: 'private' } },
        ipc,
      ),
    ).toEqual({ id: 'l', url: 'https://x/?X-Amz-Signature=abc' });
  });

  it('records the saves an editing session uploaded or refused on its own (no request made them), once each', async () => {
    const { bus, entries } = setUp(await newFile(), () => ({}));
    const session = {
      id: '00000000-0000-4000-8000-000000000001',
      accountId: 'a1',
      bucket: 'docs',
      key: 'notes/todo.txt',
      name: 'todo.txt',
      mode: 'desktop' as const,
      etag: '"e"',
      uploads: 1,
      uploadedAt: '2026-12-02T10:00:00.000Z',
      message: null,
      copyKey: null,
    };
    bus.emit('edit.changed', { session: { ...session, state: 'uploading' }, ended: false });
    bus.emit('edit.changed', { session: { ...session, state: 'uploaded' }, ended: false });
    const refused = '“todo.txt” changed on the server since you opened it. Your save was not uploaded.';
    bus.emit('edit.changed', { session: { ...session, state: 'conflict', message: refused }, ended: false });
    // Web mode's uploads are requests (edit.uploadChanges), recorded by their handler instead.
    bus.emit('edit.changed', { session: { ...session, mode: 'browser', state: 'uploaded' }, ended: false });
    await waitUntil(async () => (await entries()).length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await entries()).map((e) => [e.kind, e.accountName, e.what, e.result, e.resultText])).toEqual([
      ['edit', 'Home MinIO', 'Upload a save of notes/todo.txt to docs', 'ok', 'Done.'],
      ['edit', 'Home MinIO', 'Upload a save of notes/todo.txt to docs', 'failed', refused],
    ]);
  });
});
