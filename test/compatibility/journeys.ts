/**
 * The journeys of the compatibility suite: what people do with the app, each driven through
 * `dispatch` as the UI drives it, and each checked by what landed (bytes, metadata, tags,
 * what is left in the bucket). A journey passes, or comes out "unavailable, because …" where
 * the app itself said the service cannot do it (a not-supported answer, or the capability
 * model), or fails with what went wrong.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ServiceCapabilities } from '../../src/shared/capabilities';
import type { ListingPage, TransferConflicts, VersionListing } from '../../src/shared/objects';
import type { BucketDetails } from '../../src/shared/details';
import type { PostPolicyLink, ShareLink } from '../../src/shared/share';
import type { EncryptionChoice, TransferSnapshot } from '../../src/shared/transfers';
import { TEST_KMS_KEY_ID } from '../../scripts/minio';
import { startFaultProxy } from '../fault-proxy';
import { startTlsMinio } from '../tls-minio';
import { bucketSettingsJourneys } from './bucket-settings-journeys';
import { AppErrorResult, connectApp, waitFor, type AppOnTarget } from './harness';
import type { JourneyResult } from './results';

export type { JourneyResult } from './results';

/** One journey: its id, what the matrix calls it, and how to run it. */
export interface Journey {
  id: string;
  label: string;
  run(app: AppOnTarget): Promise<JourneyResult>;
}

const MiB = 1024 * 1024;

/** A journey's success, with what it checked. */
const pass = (detail: string): JourneyResult => ({ status: 'pass', detail });

/** The service cannot do it, in the app's own words. */
const unavailable = (detail: string): JourneyResult => ({ status: 'unavailable', detail });

/** Thrown by a journey's check: the journey fails with this message. */
class CheckFailed extends Error {}

/** Fails the journey unless `condition` holds. */
function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/** Runs a journey, turning the app's not-supported answers into "unavailable" and anything else thrown into a failure. */
export async function runJourney(journey: Journey, app: AppOnTarget): Promise<JourneyResult> {
  try {
    return await journey.run(app);
  } catch (error) {
    if (error instanceof AppErrorResult && error.code === 'not-supported') {
      return unavailable(error.message.replace(/^[^:]+: not-supported: /, ''));
    }
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'fail', detail: message };
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The bytes of an object, read directly from the server. */
async function objectBytes(client: S3Client, bucket: string, key: string, extra: object = {}): Promise<Buffer> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return Buffer.from(await output.Body!.transformToByteArray());
}

/** Puts many objects directly, some at a time (set-up, not what is tested). */
async function putMany(client: S3Client, bucket: string, entries: [string, Uint8Array | string][], parallel = 24) {
  let next = 0;
  const refused: string[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < entries.length) {
        const [key, body] = entries[next++]!;
        try {
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        } catch {
          refused.push(key);
        }
      }
    }),
  );
  return refused;
}

/** Every key under a prefix, read directly from the server. */
async function keysUnder(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const output = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    keys.push(...(output.Contents ?? []).map((entry) => entry.Key ?? ''));
    if (!output.IsTruncated || !output.NextContinuationToken) break;
    token = output.NextContinuationToken;
  }
  return keys;
}

/** True when the object exists (HEAD answers). */
async function exists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** Writes local files for an upload; returns their paths and SHA-256s. */
async function localFiles(app: AppOnTarget, folder: string, sizes: Record<string, number>) {
  const dir = join(app.work, folder);
  await mkdir(dir, { recursive: true });
  const files: { name: string; path: string; sha: string; size: number }[] = [];
  for (const [name, size] of Object.entries(sizes)) {
    const bytes = randomBytes(size);
    const path = join(dir, name);
    await writeFile(path, bytes);
    files.push({ name, path, sha: sha256(bytes), size });
  }
  return files;
}

/** Small part sizes so that an 11 MiB file is a 3-part multipart upload. */
async function smallParts(app: AppOnTarget, partsInParallel = 2): Promise<void> {
  await app.global('transfers.saveSettings', {
    settings: { multipartThresholdMiB: 5, partSizeMiB: 5, partsInParallel, filesInParallel: 3, maxRetries: 3 },
  });
}

/** "checked by size" etc. for the transfers of a batch, in words. */
function verifications(transfers: TransferSnapshot[]): string {
  const counts = new Map<string, number>();
  for (const transfer of transfers) {
    const how = transfer.verifiedBy ?? 'unchecked';
    counts.set(how, (counts.get(how) ?? 0) + 1);
  }
  const words: Record<string, string> = {
    checksum: 'stored checksum (CRC32 or SHA-256)',
    md5: 'MD5 ETag',
    size: 'size only',
  };
  return [...counts].map(([how, n]) => `${n} by ${words[how] ?? how}`).join(', ');
}

/** Fails unless every transfer finished, naming those that did not. */
function allFinished(transfers: TransferSnapshot[], expected: number): void {
  check(transfers.length === expected, `${transfers.length} transfers, expected ${expected}`);
  const unfinished = transfers.filter((t) => t.state !== 'finished');
  check(
    unfinished.length === 0,
    unfinished.map((t) => `${t.name}: ${t.state}${t.error ? ` (${t.error.message})` : ''}`).join('; '),
  );
}

/** Keys that exercise listing: characters that need encoding, Unicode, depth, case, and enough to cross pages. */
export function awkwardKeys(): string[] {
  return [
    'plain.txt',
    'with space.txt',
    'ünïcödé/ñame.txt',
    '日本語/ファイル.txt',
    'emoji 😀.txt',
    'plus+sign.txt',
    'percent%25.txt',
    'question?mark.txt',
    'hash#tag.txt',
    'amp&ersand.txt',
    'equals=sign.txt',
    'semi;colon,comma.txt',
    "quote's.txt",
    'brackets[1](2){3}.txt',
    'tilde~caret^.txt',
    'dollar$at@.txt',
    'CaseA.txt',
    'casea.txt',
    'dots...txt',
    ' leading space.txt',
    'trailing space .txt',
    `${'long-'.repeat(40)}.txt`,
    'dir/a.txt',
    'dir/b.txt',
    'dir/sub/c.txt',
    'dir/sub/deep/d.txt',
    'a/b/c/d/e/f/g/h.txt',
    ...Array.from({ length: 30 }, (_, i) => `page/${String(i).padStart(4, '0')}.txt`),
  ];
}

/** Lists with the app, page by page (small pages, so page boundaries fall between awkward keys). */
async function listAll(app: AppOnTarget, bucket: string, prefix: string, recursive: boolean, pageSize: number) {
  const files: string[] = [];
  const folders: string[] = [];
  let token: string | null = null;
  for (let pages = 0; ; pages += 1) {
    check(pages < 500, 'the listing did not end after 500 pages');
    const page: ListingPage = await app.call<ListingPage>('objects.list', {
      bucket,
      prefix,
      recursive,
      pageSize,
      ...(token ? { continuationToken: token } : {}),
    });
    files.push(...page.files.map((file) => file.key));
    folders.push(...page.folders.map((folder) => folder.key));
    if (!page.nextToken) return { files, folders, pages: pages + 1 };
    token = page.nextToken;
  }
}

/** Fails unless `listed` holds each of `expected` exactly once, and nothing else. */
function checkExactlyOnce(listed: string[], expected: string[], what: string): void {
  const seen = new Map<string, number>();
  for (const key of listed) seen.set(key, (seen.get(key) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([key]) => key);
  const missing = expected.filter((key) => !seen.has(key));
  const extra = listed.filter((key) => !expected.includes(key));
  check(twice.length === 0, `${what}: listed twice: ${twice.join(', ')}`);
  check(missing.length === 0, `${what}: missing: ${missing.map((k) => JSON.stringify(k)).join(', ')}`);
  check(extra.length === 0, `${what}: unexpected: ${extra.join(', ')}`);
}

/** Enables versioning through the app (the details panel's switch); not-supported where the service has none. */
async function enableVersioning(app: AppOnTarget, bucket: string): Promise<JourneyResult | undefined> {
  const model = await app.call<ServiceCapabilities>('capabilities.get', { bucket });
  const entry = model.features.versioning;
  if (entry.support === 'no') return unavailable(entry.reason ?? 'This service has no versioning.');
  const details = await app.call<BucketDetails>('details.setVersioning', { bucket, status: 'enabled' });
  if (!details.versioning.available) return unavailable(details.versioning.reason);
  check(details.versioning.value === 'enabled', `versioning is ${details.versioning.value} after enabling it`);
  return undefined;
}

/** An upload of some files through the queue, checked byte for byte; returns the batch's transfers. */
async function uploadAndCheck(
  app: AppOnTarget,
  bucket: string,
  prefix: string,
  sizes: Record<string, number>,
  encryption: EncryptionChoice = { mode: 'none' },
  readExtra: object = {},
) {
  const files = await localFiles(app, `${prefix}-local`, sizes);
  const { outcome, transfers } = await app.batch('transfers.upload', {
    bucket,
    prefix,
    source: { kind: 'paths', paths: files.map((file) => file.path) },
    onConflict: 'replace',
    options: { acl: 'private', metadata: {}, encryption },
  });
  const notSupported = transfers.find((t) => t.error?.code === 'not-supported');
  if (notSupported) throw new AppErrorResult('transfers.upload', 'not-supported', notSupported.error!.message);
  for (const file of files) {
    const stored = await objectBytes(app.direct, bucket, `${prefix}${file.name}`, readExtra).catch(() => undefined);
    const transfer = transfers.find((t) => t.key === `${prefix}${file.name}`);
    if (stored && sha256(stored) === file.sha) {
      // Stored whole: the app must not call it failed.
      check(
        transfer?.state === 'finished',
        `${file.name} was stored whole but the app says ${transfer?.state}: ${transfer?.error?.message ?? ''}`,
      );
    }
    check(stored !== undefined, `${file.name} is not in the bucket (${transfer?.error?.message ?? transfer?.state})`);
    check(sha256(stored) === file.sha, `${file.name} in the bucket differs from the file`);
  }
  allFinished(transfers, files.length);
  check(outcome.failed === 0, `the batch says ${outcome.failed} failed`);
  return { files, transfers };
}

/**
 * Where the service ignored an encryption header (stored the file in the clear): the app must
 * have said so on every transfer and learned it, so that the next upload asking for it is
 * refused before it starts. Then the journey is "unavailable", in the app's words.
 */
async function encryptionIgnored(
  app: AppOnTarget,
  bucket: string,
  id: 'sseS3' | 'sseKms',
  transfers: TransferSnapshot[],
): Promise<JourneyResult | undefined> {
  const model = await app.call<ServiceCapabilities>('capabilities.get', { bucket });
  const entry = model.features[id];
  if (entry.support !== 'no') return undefined;
  check(
    transfers.every((t) => /WITHOUT encryption/.test(t.note ?? '')),
    'a file stored without the encryption asked for was not said to be',
  );
  const again = await app
    .call('transfers.upload', {
      bucket,
      prefix: 'again/',
      source: { kind: 'paths', paths: [transfers[0]!.localPath] },
      onConflict: 'replace',
      options: { acl: 'private', metadata: {}, encryption: { mode: id === 'sseS3' ? 'SSE-S3' : 'SSE-KMS' } },
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  check(again instanceof AppErrorResult && again.code === 'not-supported', 'a second upload asking for it was queued');
  return unavailable(`${entry.reason ?? ''} (the first upload said so; later ones are refused before they start)`);
}

/** An SSE-C round trip: a key stored for the account, files up and down with it, and the bucket's copy unreadable without it. */
async function sseCJourney(app: AppOnTarget, bucket: string): Promise<JourneyResult> {
  const key = randomBytes(32);
  await app.call('sse.setKey', { key: key.toString('base64') });
  await smallParts(app);
  const { transfers } = await uploadAndCheck(
    app,
    bucket,
    'ssec/',
    { 'small.bin': 1024, 'multi.bin': 11 * MiB },
    { mode: 'SSE-C' },
    { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') },
  );
  const withoutKey = await app.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: 'ssec/small.bin' })).then(
    () => true,
    () => false,
  );
  check(!withoutKey, 'the object can be read without its key: it was not stored with SSE-C');
  const target = join(app.work, 'ssec-down');
  await mkdir(target, { recursive: true });
  const down = await app.batch('transfers.download', {
    bucket,
    items: ['ssec/small.bin', 'ssec/multi.bin'],
    targetDir: target,
    onConflict: 'replace',
  });
  allFinished(down.transfers, 2);
  return pass(
    `stored with the account's key, unreadable without it, downloaded back; checked: ${verifications(transfers)}`,
  );
}

/** Runs a journey against a MinIO over TLS of its own (MinIO, as AWS, takes SSE-C only over HTTPS). */
async function withTlsMinio(
  app: AppOnTarget,
  journey: (app: AppOnTarget, bucket: string) => Promise<JourneyResult>,
): Promise<JourneyResult> {
  const bucket = `c-ssec-${randomBytes(5).toString('hex')}`;
  const tls = await startTlsMinio('s3fm-compat-tls-', bucket);
  const secure = await connectApp(
    {
      ...app.target,
      app: { ...app.target.app, ...tls.minio, endpoint: tls.minio.endpoint },
      direct: tls.minio,
      tls: true,
    },
    { trustedCertificatePem: tls.pem },
  );
  try {
    secure.direct.destroy();
    return await journey({ ...secure, direct: tls.direct }, bucket);
  } finally {
    await secure.close().catch(() => undefined);
    await tls.stop();
  }
}

/** Every journey, in the order the report shows them. */
export const journeys: Journey[] = [
  {
    id: 'listing',
    label: 'Listing awkward keys across page boundaries',
    async run(app) {
      const bucket = await app.bucket();
      const keys = awkwardKeys();
      const refused = await putMany(
        app.direct,
        bucket,
        keys.map((key) => [key, key]),
      );
      const stored = keys.filter((key) => !refused.includes(key));
      const all = await listAll(app, bucket, '', true, 7);
      checkExactlyOnce(all.files, stored, 'every key (pages of 7)');
      const dir = await listAll(app, bucket, 'dir/', false, 1);
      checkExactlyOnce(dir.files, ['dir/a.txt', 'dir/b.txt'], 'the folder dir/ (pages of 1)');
      checkExactlyOnce(dir.folders, ['dir/sub/'], 'the subfolders of dir/');
      const note =
        refused.length > 0 ? `; the server itself refused ${refused.length} keys: ${refused.join(', ')}` : '';
      return pass(`${stored.length} keys in ${all.pages} pages, each listed once${note}`);
    },
  },
  {
    id: 'upload',
    label: 'Upload 0 B, 1 KiB and 11 MiB (multipart)',
    async run(app) {
      await smallParts(app);
      const bucket = await app.bucket();
      const { transfers } = await uploadAndCheck(app, bucket, 'up/', {
        'empty.bin': 0,
        'small.bin': 1024,
        'multi.bin': 11 * MiB,
      });
      return pass(`3 files stored byte for byte; checked: ${verifications(transfers)}`);
    },
  },
  {
    id: 'pause-resume',
    label: 'Pause and resume a multipart upload',
    async run(app) {
      // A slow link (each part delayed), so that the pause lands between parts.
      const slow = await startFaultProxy({ target: app.target.app.endpoint });
      slow.addFault({ match: { method: 'PUT', queryHas: 'partNumber' }, fault: { kind: 'delay', ms: 700 } });
      const throttled = await connectApp({ ...app.target, app: { ...app.target.app, endpoint: slow.url } });
      try {
        await smallParts(throttled, 1);
        const bucket = await app.bucket();
        const [file] = await localFiles(throttled, 'pause', { 'pause.bin': 21 * MiB });
        let pausedAt = 0;
        const { transfers } = await throttled.batch(
          'transfers.upload',
          {
            bucket,
            prefix: 'p/',
            source: { kind: 'paths', paths: [file!.path] },
            onConflict: 'replace',
          },
          async (batchId) => {
            const running = await waitFor(
              () =>
                [...throttled.snapshots.values()].find(
                  (t) => t.batchId === batchId && t.bytesDone >= 5 * MiB && t.state === 'running',
                ),
              'the first part to be confirmed',
            );
            await throttled.global('transfers.pause', { ids: [running.id] });
            await waitFor(() => throttled.snapshots.get(running.id)?.state === 'paused', 'the paused state', 30_000);
            pausedAt = throttled.snapshots.get(running.id)?.bytesDone ?? 0;
            await new Promise((resolve) => setTimeout(resolve, 300));
            await throttled.global('transfers.resume', { ids: [running.id] });
          },
        );
        allFinished(transfers, 1);
        const stored = await objectBytes(app.direct, bucket, 'p/pause.bin');
        check(sha256(stored) === file!.sha, 'the resumed upload differs from the file');
        const note = transfers[0]?.note ? ` (${transfers[0].note})` : '';
        return pass(
          `paused at ${Math.round(pausedAt / MiB)} MiB of 21, resumed, stored byte for byte; checked: ${verifications(transfers)}${note}`,
        );
      } finally {
        await throttled.close();
        await slow.stop();
      }
    },
  },
  {
    id: 'download',
    // 40 MiB: two ranges (of 32 and 8 MiB), read off the app's own sockets (socket-range.ts); 3 MiB
    // in its folder: one whole GET off a socket of its own (its size listed, no HEAD); 1 KiB: one
    // GET through the client's kept-alive connections.
    label: 'Download 1 KiB, 3 MiB (whole) and 40 MiB (ranged)',
    async run(app) {
      await smallParts(app);
      const bucket = await app.bucket();
      const files = new Map([
        ['small.bin', randomBytes(1024)],
        ['mid.bin', randomBytes(3 * MiB)],
        ['large.bin', randomBytes(40 * MiB)],
      ]);
      for (const [name, body] of files) {
        await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: `d/${name}`, Body: body }));
      }
      const target = join(app.work, 'downloads');
      await mkdir(target, { recursive: true });
      const { transfers } = await app.batch('transfers.download', {
        bucket,
        items: ['d/'],
        targetDir: target,
        onConflict: 'replace',
      });
      allFinished(transfers, 3);
      for (const [name, body] of files) {
        check(sha256(await readFile(join(target, 'd', name))) === sha256(body), `${name} differs`);
      }
      return pass('3 files written byte for byte');
    },
  },
  {
    id: 'copy-move-rename',
    label: 'Copy, move and rename, with colliding names',
    async run(app) {
      const bucket = await app.bucket();
      await putMany(app.direct, bucket, [
        ['x/f.txt', 'from x'],
        ['y/f.txt', 'from y'],
        ['r/a.txt', 'rename me'],
      ]);
      const found = await app.call<TransferConflicts>('objects.conflicts', {
        sourceBucket: bucket,
        items: ['x/f.txt', 'y/f.txt'],
        targetBucket: bucket,
        targetPrefix: 'z/',
      });
      check(
        found.collisions.length === 1,
        `expected one collision among the selection, got ${found.collisions.length}`,
      );
      const copied = await app.operation('objects.transfer', {
        mode: 'copy',
        sourceBucket: bucket,
        items: ['x/f.txt', 'y/f.txt'],
        targetBucket: bucket,
        targetPrefix: 'z/',
        onConflict: 'keep-both',
      });
      check(copied.state === 'finished' && copied.failedCount === 0, `copy: ${copied.summary}`);
      const copies = (await keysUnder(app.direct, bucket, 'z/')).sort();
      check(copies.length === 2, `copy left ${copies.join(', ')} in z/`);
      const contents = (await Promise.all(copies.map((key) => objectBytes(app.direct, bucket, key)))).map(String);
      check(contents.sort().join('|') === 'from x|from y', `copies hold ${contents.join(', ')}`);

      const moved = await app.operation('objects.transfer', {
        mode: 'move',
        sourceBucket: bucket,
        items: ['x/f.txt', 'y/f.txt'],
        targetBucket: bucket,
        targetPrefix: 'w/',
        onConflict: 'keep-both',
      });
      check(moved.state === 'finished' && moved.failedCount === 0, `move: ${moved.summary}`);
      const movedKeys = await keysUnder(app.direct, bucket, 'w/');
      const movedContents = (await Promise.all(movedKeys.map((key) => objectBytes(app.direct, bucket, key)))).map(
        String,
      );
      check(movedContents.sort().join('|') === 'from x|from y', `after the move w/ holds ${movedContents.join(', ')}`);
      check(!(await exists(app.direct, bucket, 'x/f.txt')), 'x/f.txt is still there after the move');
      check(!(await exists(app.direct, bucket, 'y/f.txt')), 'y/f.txt is still there after the move');

      const renamed = await app.operation('objects.rename', { bucket, key: 'r/a.txt', newName: 'b.txt' });
      check(renamed.state === 'finished' && renamed.failedCount === 0, `rename: ${renamed.summary}`);
      check(String(await objectBytes(app.direct, bucket, 'r/b.txt')) === 'rename me', 'r/b.txt does not hold the file');
      check(!(await exists(app.direct, bucket, 'r/a.txt')), 'r/a.txt is still there after the rename');
      return pass('two files with one name copied and moved without loss (kept both); a rename');
    },
  },
  {
    id: 'delete-folder',
    label: 'Delete a folder of 1,200 objects',
    async run(app) {
      const bucket = await app.bucket();
      const entries: [string, string][] = Array.from({ length: 1200 }, (_, i) => [`big/${i % 7}/${i}.txt`, `${i}`]);
      const refused = await putMany(app.direct, bucket, [...entries, ['keep.txt', 'keep']]);
      check(refused.length === 0, `set-up: the server refused ${refused.length} objects`);
      const outcome = await app.operation('objects.delete', { bucket, keys: ['big/'] });
      check(outcome.state === 'finished' && outcome.failedCount === 0, `delete: ${outcome.summary}`);
      const left = await keysUnder(app.direct, bucket, 'big/');
      check(left.length === 0, `${left.length} objects are left under big/`);
      check(await exists(app.direct, bucket, 'keep.txt'), 'keep.txt (outside the folder) was deleted');
      return pass(`${outcome.done} objects deleted in batches; the rest of the bucket kept`);
    },
  },
  {
    id: 'versions',
    label: 'Versions: list, restore, delete marker',
    async run(app) {
      const bucket = await app.bucket();
      const refusal = await enableVersioning(app, bucket);
      if (refusal) return refusal;
      await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'v.txt', Body: 'first' }));
      await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'v.txt', Body: 'second' }));
      const listing = await app.call<VersionListing>('versions.list', { bucket, key: 'v.txt' });
      if (!listing.supported) return unavailable(listing.reason ?? 'This service lists no versions.');
      check(listing.versions.length === 2, `${listing.versions.length} versions listed, expected 2`);
      const oldest = listing.versions[1]!;
      await app.call('versions.restore', { bucket, key: 'v.txt', versionId: oldest.versionId });
      check(String(await objectBytes(app.direct, bucket, 'v.txt')) === 'first', 'the restored version is not current');
      const deleted = await app.operation('objects.delete', { bucket, keys: ['v.txt'] });
      check(deleted.state === 'finished', `delete: ${deleted.summary}`);
      const after = await app.call<VersionListing>('versions.list', { bucket, key: 'v.txt' });
      check(
        after.versions.some((v) => v.isDeleteMarker && v.isLatest),
        'no delete marker is the latest version after deleting',
      );
      check(after.versions.filter((v) => !v.isDeleteMarker).length === 3, 'the three versions are not all kept');
      return pass('2 versions listed, the older restored (3 versions), a delete left a marker');
    },
  },
  {
    id: 'empty-versioned-bucket',
    label: 'Delete a bucket of 2,600 versions and delete markers',
    async run(app) {
      const bucket = await app.bucket();
      // Objects from before versioning have 'null' versions (the case that once left one behind).
      const before: [string, string][] = Array.from({ length: 300 }, (_, i) => [`old/${i}.txt`, 'v0']);
      check((await putMany(app.direct, bucket, before)).length === 0, 'set-up: the server refused objects');
      const refusal = await enableVersioning(app, bucket);
      if (refusal) return refusal;
      const fresh: [string, string][] = Array.from({ length: 800 }, (_, i) => [`new/${i}.txt`, 'v1']);
      const writes = [...before, ...fresh, ...fresh.map(([key]): [string, string] => [key, 'v2'])];
      check((await putMany(app.direct, bucket, writes)).length === 0, 'set-up: the server refused objects');
      const markers = fresh.slice(0, 400).map(([key]) => ({ Key: key }));
      await app.direct.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: markers, Quiet: true } }));
      const outcome = await app.operation('buckets.deleteWithContents', { name: bucket, confirmName: bucket });
      check(outcome.state === 'finished', `delete bucket: ${outcome.summary}`);
      const gone = await app.direct.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => false,
        (error: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
          error.$metadata?.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchBucket',
      );
      check(gone, 'the bucket still exists');
      return pass(
        `2,200 versions and 400 delete markers (2,600 entries) removed, then the bucket (${outcome.summary})`,
      );
    },
  },
  {
    id: 'share-get',
    label: 'Download link (presigned GET) fetched over HTTP',
    async run(app) {
      const bucket = await app.bucket();
      const body = randomBytes(64 * 1024);
      await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: 's/file name.bin', Body: body }));
      const [link] = await app.call<ShareLink[]>('share.getLinks', {
        bucket,
        keys: ['s/file name.bin'],
        expiresInSeconds: 900,
      });
      const response = await fetch(link!.url);
      check(response.status === 200, `GET answered ${response.status}`);
      check(sha256(new Uint8Array(await response.arrayBuffer())) === sha256(body), 'the link returned other bytes');
      return pass('64 KiB fetched byte for byte');
    },
  },
  {
    id: 'share-put',
    label: 'Upload link (presigned PUT) used over HTTP',
    async run(app) {
      const bucket = await app.bucket();
      const link = await app.call<ShareLink>('share.putLink', { bucket, key: 'in/up.bin', expiresInSeconds: 900 });
      const body = randomBytes(32 * 1024);
      const response = await fetch(link.url, { method: 'PUT', body });
      check(response.ok, `PUT answered ${response.status}: ${await response.text()}`);
      check(
        sha256(await objectBytes(app.direct, bucket, 'in/up.bin')) === sha256(body),
        'the bucket holds other bytes',
      );
      return pass('32 KiB uploaded byte for byte');
    },
  },
  {
    id: 'share-post',
    label: 'Upload form (POST policy) used over HTTP',
    async run(app) {
      const bucket = await app.bucket();
      const link = await app.call<PostPolicyLink>('share.postPolicy', {
        bucket,
        keyPrefix: 'drop/',
        maxSizeBytes: 1024 * 1024,
        expiresInSeconds: 900,
      });
      const body = randomBytes(10 * 1024);
      const form = new FormData();
      for (const [name, value] of Object.entries(link.fields)) form.append(name, value);
      form.append('file', new Blob([body]), 'dropped.bin');
      const response = await fetch(link.url, { method: 'POST', body: form });
      check(response.ok, `POST answered ${response.status}: ${await response.text()}`);
      const stored = await objectBytes(app.direct, bucket, 'drop/dropped.bin');
      check(sha256(stored) === sha256(body), 'the bucket holds other bytes');
      const tooBig = new FormData();
      for (const [name, value] of Object.entries(link.fields)) tooBig.append(name, value);
      tooBig.append('file', new Blob([randomBytes(1024 * 1024 + 1)]), 'big.bin');
      const refused = await fetch(link.url, { method: 'POST', body: tooBig });
      const limit = refused.ok ? '; the size limit was NOT enforced by the service' : '; a file over the limit refused';
      return pass(`10 KiB uploaded through the form${limit}`);
    },
  },
  {
    id: 'metadata',
    label: 'Edit metadata and content type',
    async run(app) {
      const bucket = await app.bucket();
      const body = randomBytes(2048);
      await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'm.bin', Body: body }));
      const outcome = await app.operation('details.editObjects', {
        bucket,
        keys: ['m.bin'],
        edit: { contentType: 'text/plain', metadata: { team: 'blue', 'note-x': 'ünï' } },
      });
      check(outcome.state === 'finished' && outcome.failedCount === 0, `edit: ${outcome.summary}`);
      const head = await app.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: 'm.bin' }));
      check(head.ContentType === 'text/plain', `Content-Type is ${head.ContentType}`);
      check(head.Metadata?.['team'] === 'blue', `metadata is ${JSON.stringify(head.Metadata)}`);
      check(sha256(await objectBytes(app.direct, bucket, 'm.bin')) === sha256(body), 'the edit changed the bytes');
      return pass('Content-Type and user metadata replaced, bytes kept');
    },
  },
  {
    id: 'tags',
    label: 'Edit object tags',
    async run(app) {
      const bucket = await app.bucket();
      await app.direct.send(new PutObjectCommand({ Bucket: bucket, Key: 't.txt', Body: 'tagged' }));
      const outcome = await app.operation('details.setTags', {
        bucket,
        keys: ['t.txt'],
        tags: [
          { key: 'project', value: 'apollo' },
          { key: 'stage', value: 'final' },
        ],
      });
      if (outcome.state === 'failed' && /does not (support|store)|no object tags/i.test(outcome.summary)) {
        return unavailable(outcome.summary);
      }
      check(outcome.state === 'finished' && outcome.failedCount === 0, `tags: ${outcome.summary}`);
      const tagging = await app.direct.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 't.txt' }));
      const tags = Object.fromEntries((tagging.TagSet ?? []).map((tag) => [tag.Key, tag.Value]));
      check(tags['project'] === 'apollo' && tags['stage'] === 'final', `tags are ${JSON.stringify(tags)}`);
      return pass('2 tags stored');
    },
  },
  {
    id: 'sse-s3',
    label: 'Upload with SSE-S3',
    async run(app) {
      await smallParts(app);
      const bucket = await app.bucket();
      const { transfers } = await uploadAndCheck(
        app,
        bucket,
        's3/',
        { 'small.bin': 1024, 'multi.bin': 11 * MiB },
        { mode: 'SSE-S3' },
      );
      const head = await app.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: 's3/small.bin' }));
      const ignored = await encryptionIgnored(app, bucket, 'sseS3', transfers);
      if (ignored) return ignored;
      check(head.ServerSideEncryption === 'AES256', `stored with encryption ${head.ServerSideEncryption ?? 'none'}`);
      return pass(`stored encrypted (AES256); checked: ${verifications(transfers)}`);
    },
  },
  {
    id: 'sse-kms',
    label: 'Upload with SSE-KMS',
    async run(app) {
      await smallParts(app);
      const bucket = await app.bucket();
      // MinIO (and every profile over it) has one named test key, SeaweedFS's local KMS makes keys on first
      // use; moto, as AWS, uses the account's default key when none is named.
      const keyId = app.target.id === 'moto' ? '' : TEST_KMS_KEY_ID;
      const { transfers } = await uploadAndCheck(
        app,
        bucket,
        'kms/',
        { 'small.bin': 1024, 'multi.bin': 11 * MiB },
        { mode: 'SSE-KMS', kmsKeyId: keyId },
      );
      const head = await app.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: 'kms/small.bin' }));
      const ignored = await encryptionIgnored(app, bucket, 'sseKms', transfers);
      if (ignored) return ignored;
      check(head.ServerSideEncryption === 'aws:kms', `stored with encryption ${head.ServerSideEncryption ?? 'none'}`);
      return pass(`stored encrypted (aws:kms); checked: ${verifications(transfers)}`);
    },
  },
  {
    id: 'sse-c',
    label: 'Upload and download with SSE-C (own key)',
    async run(app) {
      if (app.target.id === 'minio') return withTlsMinio(app, sseCJourney);
      // Every other target here speaks plain HTTP: the app must refuse before any request carries the key.
      try {
        return await sseCJourney(app, await app.bucket());
      } catch (error) {
        if (error instanceof AppErrorResult && /HTTPS/.test(error.message)) {
          return unavailable(`${error.message.replace(/^[^:]+: [a-z-]+: /, '')} (this test endpoint is plain HTTP)`);
        }
        throw error;
      }
    },
  },
  // The Bucket settings dialog's sections (issue #16), one journey each.
  ...bucketSettingsJourneys,
];
