/**
 * Copies and moves of objects encrypted with a customer key (SSE-C), through the real services
 * and a MinIO over TLS (MinIO accepts SSE-C only there). S3 needs the key twice for such a
 * copy: to read the original and to write the copy. What lands in the bucket is read directly.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSettings } from '../../../shared/accounts';
import type { OperationOutcome } from '../../../shared/operations';
import type { RunningS3 } from '../../../../scripts/minio';
import { startTlsMinio, type TlsMinio } from '../../../../test/tls-minio';
import { dispatch } from '../../host/dispatch';
import { createServices, type Services } from '../create-services';
import { customerKeyParams, CUSTOMER_KEY_MISSING } from '../details/sse-c';
import { createSessionCustomerKeyStore, type CustomerKeyStore } from '../keychain/customer-key-store';
import { createSessionSecretStore } from '../keychain/secret-store';
import { silentLogger } from '../logging/logger';
import { NO_KEY_FOR_COPY } from './copy-objects';

const MiB = 1024 * 1024;
const bucket = 'ssec-copies';
const customerKey = randomBytes(32);
const small = randomBytes(20_000);
// Above the lowered single-copy limit: copied in two parts with UploadPartCopy.
const large = randomBytes(5 * MiB + 1024);

let tls: TlsMinio | undefined;
let minio: RunningS3;
let folder: string;
let direct: S3Client;
let services: Services;
let keys: CustomerKeyStore;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Sends a request through the hosts' dispatch as the one account. */
const call = (channel: string, input: object) =>
  dispatch(services, channel, { accountId: 'launch', ...input }, { host: 'ws' });

/** Starts a long operation and resolves with its outcome. */
async function runOperation(channel: string, input: object): Promise<OperationOutcome> {
  const outcomes = new Map<string, OperationOutcome>();
  let wanted: string | undefined;
  let resolve: (outcome: OperationOutcome) => void = () => undefined;
  const finished = new Promise<OperationOutcome>((done) => (resolve = done));
  const unsubscribe = services.bus.onAny((event, payload) => {
    if (event !== 'operations.finished') return;
    const outcome = payload as OperationOutcome;
    outcomes.set(outcome.operationId, outcome);
    if (outcome.operationId === wanted) resolve(outcome);
  });
  try {
    const started = await call(channel, input);
    if (!started.ok) throw new Error(`${channel}: ${started.error.code}: ${started.error.message}`);
    wanted = (started.value as { operationId: string }).operationId;
    return outcomes.get(wanted) ?? (await finished);
  } finally {
    unsubscribe();
  }
}

/** The bytes' SHA-256 of a GET (with the key, where given), or the HTTP status it failed with. */
async function read(key: string, withKey?: Buffer): Promise<string | number> {
  try {
    const got = await direct.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(withKey ? customerKeyParams(withKey) : {}) }),
    );
    return sha256((await got.Body?.transformToByteArray()) ?? new Uint8Array());
  } catch (error) {
    return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1;
  }
}

const putEncrypted = (key: string, body: Uint8Array) =>
  direct.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...customerKeyParams(customerKey) }));

async function keysInBucket(): Promise<string[]> {
  const listed = await direct.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
}

beforeAll(async () => {
  tls = await startTlsMinio('s3fm-copy-ssec-', bucket);
  ({ minio, direct, folder } = tls);
  keys = createSessionCustomerKeyStore();
  const settings: AccountSettings = {
    id: 'launch',
    name: 'MinIO over TLS',
    provider: 'minio',
    credentialSource: 'static',
    accessKeyId: minio.accessKeyId,
    profile: '',
    region: minio.region,
    endpoint: minio.endpoint,
    pathStyle: true,
    shareHost: '',
    rootBucket: '',
    rootPrefix: '',
    caCertFile: '',
    // The account trusts the server's self-signed certificate, as a person would in the account form.
    trustedCertificatePem: tls.pem,
    secretStorage: 'session',
  };
  services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir: folder,
    keychain: createSessionSecretStore(),
    customerKeys: keys,
    logger: silentLogger,
    singleCopyLimit: 5 * MiB,
    launchAccounts: [{ settings, secrets: { secretAccessKey: minio.secretAccessKey } }],
  });
}, 120_000);

afterEach(async () => {
  await keys.delete('launch');
  const present = await keysInBucket();
  if (present.length > 0) {
    await direct.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: present.map((Key) => ({ Key })) } }),
    );
  }
});

afterAll(async () => {
  await services?.dispose();
  await tls?.stop();
});

const transfer = (mode: 'copy' | 'move', items: string[], targetPrefix: string, extra: object = {}) =>
  runOperation('objects.transfer', {
    mode,
    sourceBucket: bucket,
    items,
    targetBucket: bucket,
    targetPrefix,
    onConflict: 'replace',
    ...extra,
  });

describe('copy and move of SSE-C objects (MinIO over TLS)', () => {
  it('copies with the stored key: the copy has the same bytes with the key and cannot be read without it', async () => {
    expect(minio.endpoint).toMatch(/^https:/);
    await keys.set('launch', customerKey);
    await putEncrypted('secret/small.bin', small);
    await putEncrypted('secret/large.bin', large);

    const outcome = await transfer('copy', ['secret/'], 'copies/');
    expect(outcome).toMatchObject({ state: 'finished', done: 2, failedCount: 0 });

    expect(await read('copies/secret/small.bin', customerKey)).toBe(sha256(small));
    expect(await read('copies/secret/large.bin', customerKey)).toBe(sha256(large));
    // Still encrypted with the customer key: without it, or with another, the service refuses.
    expect(await read('copies/secret/small.bin')).toBe(400);
    expect(await read('copies/secret/large.bin')).toBe(400);
    expect(await read('copies/secret/small.bin', randomBytes(32))).toBe(403);
    // A copy leaves its originals.
    expect(await read('secret/small.bin', customerKey)).toBe(sha256(small));
  });

  it('moves with the stored key: the original goes, the moved object keeps its key', async () => {
    await keys.set('launch', customerKey);
    await putEncrypted('secret/small.bin', small);
    await putEncrypted('secret/large.bin', large);

    const outcome = await transfer('move', ['secret/small.bin', 'secret/large.bin'], 'moved/');
    expect(outcome).toMatchObject({ state: 'finished', done: 2, failedCount: 0 });
    expect(await keysInBucket()).toEqual(['moved/large.bin', 'moved/small.bin']);
    expect(await read('moved/small.bin', customerKey)).toBe(sha256(small));
    expect(await read('moved/large.bin', customerKey)).toBe(sha256(large));
    expect(await read('moved/small.bin')).toBe(400);
  });

  it('renames an SSE-C object with the stored key', async () => {
    await keys.set('launch', customerKey);
    await putEncrypted('secret/small.bin', small);
    const outcome = await runOperation('objects.rename', { bucket, key: 'secret/small.bin', newName: 'renamed.bin' });
    expect(outcome).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });
    expect(await keysInBucket()).toEqual(['secret/renamed.bin']);
    expect(await read('secret/renamed.bin', customerKey)).toBe(sha256(small));
  });

  it('without a stored key, the copy fails saying what to do, and a move keeps its original', async () => {
    await putEncrypted('secret/small.bin', small);
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret/plain.txt', Body: 'plain' }));

    const copied = await transfer('copy', ['secret/small.bin'], 'copies/');
    expect(copied).toMatchObject({
      state: 'failed',
      done: 0,
      failures: [{ key: 'secret/small.bin', message: CUSTOMER_KEY_MISSING }],
    });

    const moved = await transfer('move', ['secret/'], 'moved/');
    expect(moved).toMatchObject({
      state: 'failed',
      done: 1,
      failures: [{ key: 'secret/small.bin', message: CUSTOMER_KEY_MISSING }],
    });
    expect(moved.summary).toMatch(/1 could not be copied and stay where they were/);
    // The plain file moved; the encrypted one stayed, still readable with its key, and no copy appeared.
    expect(await keysInBucket()).toEqual(['moved/secret/plain.txt', 'secret/small.bin']);
    expect(await read('secret/small.bin', customerKey)).toBe(sha256(small));
  });

  it('applies a chosen encryption: SSE-C on a plain object, none on an SSE-C one', async () => {
    await keys.set('launch', customerKey);
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.bin', Body: small }));
    await putEncrypted('secret.bin', small);

    const encrypted = await transfer('copy', ['plain.bin'], 'to-ssec/', { encryption: { mode: 'SSE-C' } });
    expect(encrypted).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });
    expect(await read('to-ssec/plain.bin')).toBe(400);
    expect(await read('to-ssec/plain.bin', customerKey)).toBe(sha256(small));

    const decrypted = await transfer('copy', ['secret.bin'], 'to-plain/', { encryption: { mode: 'none' } });
    expect(decrypted).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });
    expect(await read('to-plain/secret.bin')).toBe(sha256(small));
  });

  it('SSE-C chosen without a stored key stops before copying anything, saying what to do', async () => {
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.bin', Body: small }));
    const outcome = await transfer('move', ['plain.bin'], 'to-ssec/', { encryption: { mode: 'SSE-C' } });
    expect(outcome).toMatchObject({ state: 'failed', done: 0 });
    expect(outcome.summary).toContain(NO_KEY_FOR_COPY);
    expect(await keysInBucket()).toEqual(['plain.bin']);
  });

  it('an SSE-C object at the destination counts as existing (keep both numbers the copy)', async () => {
    await keys.set('launch', customerKey);
    await putEncrypted('a/file.bin', small);
    await putEncrypted('b/file.bin', large);
    const conflicts = await call('objects.conflicts', {
      sourceBucket: bucket,
      items: ['a/file.bin'],
      targetBucket: bucket,
      targetPrefix: 'b/',
    });
    expect(conflicts).toEqual({ ok: true, value: { conflicts: ['file.bin'], collisions: [] } });
    const outcome = await transfer('copy', ['a/file.bin'], 'b/', { onConflict: 'keep-both' });
    expect(outcome).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });
    expect(await read('b/file.bin', customerKey)).toBe(sha256(large));
    expect(await read('b/file (1).bin', customerKey)).toBe(sha256(small));
  });
});
