/**
 * SSE-C keys never travel over plain http. The account's endpoint is a recorder on
 * 127.0.0.1 (test/header-recorder.ts) that answers as S3 does for an SSE-C object asked for
 * without its key, so every path that can add the key (uploads, downloads, copies, edits,
 * previews, HEAD retries) goes as far as trying to; none may send it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutcome } from '../../../shared/operations';
import type { Result } from '../../../shared/result';
import type { TransferBatchOutcome, TransferSnapshot } from '../../../shared/transfers';
import { registerTestSecrets } from '../../../../scripts/test-secrets';
import { startHeaderRecorder, requestsWithCustomerKey, type HeaderRecorder } from '../../../../test/header-recorder';
import { dispatch } from '../../host/dispatch';
import { accountFromEnvironment } from '../accounts/env-account';
import { createServices, type Services } from '../create-services';
import { createSessionCustomerKeyStore } from '../keychain/customer-key-store';
import { createSessionSecretStore } from '../keychain/secret-store';
import { silentLogger } from '../logging/logger';

const customerKey = randomBytes(32).toString('base64');
registerTestSecrets('SSE-C key of customer-keys-over-tls.test', customerKey);
const bucket = 'ssec-over-http';
let recorder: HeaderRecorder;
let folder: string;
let services: Services;
const batches: TransferBatchOutcome[] = [];
const snapshots = new Map<string, TransferSnapshot>();
const operations: OperationOutcome[] = [];

/** Sends a request for the account as the desktop host would (local paths allowed). */
function call(channel: string, input: object): Promise<Result<unknown>> {
  return dispatch(services, channel, { accountId: 'launch', ...input }, { host: 'ipc' });
}

/** Polls until `probe` gives a value. */
async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a long operation and resolves with its outcome. */
async function runOperation(channel: string, input: object): Promise<OperationOutcome> {
  const started = await call(channel, input);
  if (!started.ok) throw new Error(`${channel}: ${started.error.message}`);
  const { operationId } = started.value as { operationId: string };
  return waitFor(() => operations.find((o) => o.operationId === operationId), `operation ${channel}`);
}

/** Runs a transfer batch to its end and returns the error of its one transfer. */
async function failedTransfer(channel: string, input: object) {
  const started = await call(channel, input);
  if (!started.ok) return started.error;
  const { batchId } = started.value as { batchId: string };
  const outcome = await waitFor(() => batches.find((b) => b.batchId === batchId), `batch ${channel}`);
  expect(outcome.failed).toBe(1);
  return [...snapshots.values()].find((s) => s.batchId === batchId)?.error;
}

const refusal = expect.stringMatching(
  /SSE-C keys are sent only over HTTPS: this account's endpoint is http:\/\/127\.0\.0\.1:\d+/,
);

beforeAll(async () => {
  recorder = await startHeaderRecorder();
  folder = await mkdtemp(join(tmpdir(), 's3fm-ssec-http-'));
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: recorder.url,
    S3FM_ACCESS_KEY_ID: 'recorder-access-key',
    S3FM_SECRET_ACCESS_KEY: 'recorder-secret-key',
  });
  services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'electron' },
    dataDir: join(folder, 'data'),
    keychain: createSessionSecretStore(),
    customerKeys: createSessionCustomerKeyStore(),
    logger: silentLogger,
    launchAccounts: launch ? [launch] : [],
  });
  services.bus.onAny((channel, payload) => {
    if (channel === 'transfers.batchFinished') batches.push(payload as TransferBatchOutcome);
    if (channel === 'operations.finished') operations.push(payload as OperationOutcome);
    if (channel === 'transfers.changed') {
      for (const snapshot of (payload as { transfers: TransferSnapshot[] }).transfers)
        snapshots.set(snapshot.id, snapshot);
    }
  });
  const stored = await call('sse.setKey', { key: customerKey });
  expect(stored.ok).toBe(true);
});

afterAll(async () => {
  await services?.dispose();
  await recorder?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('SSE-C over http', () => {
  it('refuses every path that would send the key, before any request carries it', async () => {
    await writeFile(join(folder, 'secret.txt'), 'to be encrypted');

    // Upload with SSE-C: PutObject would carry the key.
    const upload = await failedTransfer('transfers.upload', {
      bucket,
      prefix: '',
      source: { kind: 'paths', paths: [join(folder, 'secret.txt')] },
      onConflict: 'replace',
      options: { encryption: { mode: 'SSE-C' } },
    });

    // Download of an SSE-C object: the HEAD without the key gets 400, the retry would carry it.
    const download = await failedTransfer('transfers.download', {
      bucket,
      items: ['object.bin'],
      targetDir: join(folder, 'down'),
    });

    // Details (HEAD retried with the key), the text preview (ranged GET retried with it).
    const details = await call('details.object', { bucket, key: 'object.bin' });
    const text = await call('details.previewText', { bucket, key: 'notes.txt', maxBytes: 1024 });

    // A metadata edit (CopyObject onto itself with both key sets) and a copy encrypted with the key.
    const edit = await runOperation('details.editObjects', {
      bucket,
      keys: ['object.bin'],
      edit: { contentType: 'text/plain' },
    });
    const copy = await runOperation('objects.transfer', {
      mode: 'copy',
      sourceBucket: bucket,
      items: ['object.bin'],
      targetBucket: bucket,
      targetPrefix: 'copies/',
      onConflict: 'replace',
      encryption: { mode: 'SSE-C' },
    });

    // Every path reached the server (so each was really tried), and no request carried the key.
    const methods = recorder.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`);
    expect(methods).toEqual(expect.arrayContaining([`HEAD /${bucket}/object.bin`, `GET /${bucket}/notes.txt`]));
    expect(requestsWithCustomerKey(recorder.requests).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(JSON.stringify(recorder.requests)).not.toContain(customerKey);

    // Each refusal says why, in words.
    expect(upload?.message).toEqual(refusal);
    expect(download?.message).toEqual(refusal);
    expect(details).toMatchObject({ ok: false, error: { code: 'not-supported', message: refusal } });
    expect(text).toMatchObject({ ok: false, error: { code: 'not-supported', message: refusal } });
    expect(JSON.stringify(edit)).toMatch(/SSE-C keys are sent only over HTTPS/);
    expect(JSON.stringify(copy)).toMatch(/SSE-C keys are sent only over HTTPS/);
  }, 60_000);
});
