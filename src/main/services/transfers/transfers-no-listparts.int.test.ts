/**
 * Resuming uploads on a service without ListParts (s3rver has none; here MinIO behind the
 * fault proxy answers ListParts with 501 NotImplemented): the upload resumes from the
 * journal's own record of the parts that completed, the capability model learns the gap (no
 * second ListParts), and where the service lost those parts after all (the upload was aborted
 * behind the app's back) the object starts again and says so. Either way the object is whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { TransferSnapshot } from '../../../shared/transfers';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { objectSha256, writeRandomFile } from '../../../../test/transfer-files';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';

const s3 = inject('s3');
const MiB = 1024 * 1024;

let bucket: FreshBucket;
let client: S3Client;
let proxy: FaultProxy;
let work: string;
let transfers: TestTransferServices;

/** A ListParts request: GET on a key with ?uploadId. */
const isListParts = (r: { method: string; query: URLSearchParams }) => r.method === 'GET' && r.query.has('uploadId');

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  proxy = await startFaultProxy({ target: s3.endpoint });
  proxy.addFault({
    match: { predicate: isListParts },
    fault: { kind: 'status', status: 501, code: 'NotImplemented', message: 'ListParts not implemented' },
  });
  // Parts arrive slowly, so that a pause lands between them.
  proxy.addFault({ match: { method: 'PUT', queryHas: 'partNumber' }, fault: { kind: 'delay', ms: 400 } });
  work = await mkdtemp(join(tmpdir(), 's3fm-no-listparts-'));
  transfers = await startTransferServices({
    endpoint: proxy.url,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  await transfers.callRaw('transfers.saveSettings', {
    settings: { multipartThresholdMiB: 5, partSizeMiB: 5, partsInParallel: 1, filesInParallel: 1, maxRetries: 3 },
  });
});

afterAll(async () => {
  await transfers?.dispose();
  await proxy?.stop();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Uploads one file and pauses it once its first part is confirmed; returns the transfer and its batch. */
async function uploadAndPause(name: string): Promise<{ id: string; batchId: string; sha: string }> {
  const file = join(work, name);
  const sha = await writeRandomFile(file, 21 * MiB);
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
    bucket: bucket.name,
    prefix: '',
    source: { kind: 'paths', paths: [file] },
    onConflict: 'replace',
  });
  const running = await transfers.waitFor(
    () => transfers.batchSnapshots(batchId).find((t: TransferSnapshot) => t.bytesDone >= 5 * MiB),
    60_000,
    'the first part',
  );
  await transfers.callRaw('transfers.pause', { ids: [running.id] });
  await transfers.waitFor(() => transfers.snapshots.get(running.id)?.state === 'paused', 10_000, 'the pause');
  return { id: running.id, batchId, sha };
}

describe('resume without ListParts', () => {
  test("resumes from the journal's record of its parts, never asking ListParts again once it knows", async () => {
    const { id, batchId, sha } = await uploadAndPause('journal.bin');
    const before = proxy.requests.length;
    await transfers.callRaw('transfers.resume', { ids: [id] });
    expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
    expect(await objectSha256(client, bucket.name, 'journal.bin')).toBe(sha);
    const after = proxy.requests.slice(before);
    // The capability probe's one ListParts was answered 501, so the resume asked none; and no new multipart
    // upload began: the same one went on.
    expect(proxy.requests.filter(isListParts)).toHaveLength(1);
    expect(after.filter(isListParts)).toHaveLength(0);
    expect(after.some((r) => r.method === 'POST' && r.query.has('uploads'))).toBe(false);
    expect(transfers.snapshots.get(id)?.note).toMatch(/app's own record/);

    // Known now: a second pause and resume sends no ListParts at all.
    const second = await uploadAndPause('second.bin');
    const mark = proxy.requests.length;
    await transfers.callRaw('transfers.resume', { ids: [second.id] });
    expect(await transfers.batchFinished(second.batchId)).toMatchObject({ finished: 1 });
    expect(proxy.requests.slice(mark).filter(isListParts)).toHaveLength(0);
    expect(await objectSha256(client, bucket.name, 'second.bin')).toBe(second.sha);
  }, 120_000);

  test('where the service lost the parts (aborted behind its back), the upload starts again and says so', async () => {
    const { id, batchId, sha } = await uploadAndPause('lost.bin');
    const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: 'lost.bin' }));
    const upload = listed.Uploads?.[0];
    expect(upload?.UploadId).toBeDefined();
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket.name, Key: 'lost.bin', UploadId: upload!.UploadId! }),
    );
    await transfers.callRaw('transfers.resume', { ids: [id] });
    expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
    expect(await objectSha256(client, bucket.name, 'lost.bin')).toBe(sha);
    expect(transfers.snapshots.get(id)?.note).toMatch(/started again/);
  }, 120_000);
});
