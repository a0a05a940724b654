import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { draftFromPreset, type AccountDraft, type AccountSummary } from '../../../shared/accounts';
import type { Result } from '../../../shared/result';
import { startMinio, type RunningS3 } from '../../../../scripts/minio';
import { startFaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, type FreshBucket } from '../../../../test/s3-fixtures';
import { runServicesInChild } from '../../../../test/run-services-child';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';
import { makeSelfSignedCertificate } from '../../../../test/self-signed-certificate';
import { dispatch } from '../../host/dispatch';
import { createServices } from '../create-services';
import { createKeychainSecretStore } from '../keychain/secret-store';

const run = promisify(execFile);
const s3 = inject('s3');
const keychainService = `s3-file-manager-test-${randomBytes(4).toString('hex')}`;
const folders: string[] = [];
const buckets: FreshBucket[] = [];

async function tempFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

afterEach(async () => {
  for (const bucket of buckets.splice(0)) await bucket.cleanup();
});
afterAll(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A draft for the test MinIO with the given overrides. */
function minioDraft(overrides: Partial<AccountDraft> = {}): AccountDraft {
  return {
    ...draftFromPreset('minio'),
    name: 'Test MinIO',
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ...overrides,
  };
}

/** Services in this process with the real keychain (under a test-only service name). */
async function servicesIn(dataDir: string, awsPaths?: { credentialsFile: string; configFile: string }) {
  return createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir,
    keychain: createKeychainSecretStore(keychainService),
    ...(awsPaths ? { awsPaths } : {}),
  });
}

/** Calls one channel through the hosts' dispatch and returns its Result. */
function call(services: Awaited<ReturnType<typeof servicesIn>>, channel: string, input: unknown) {
  return dispatch(services, channel, input, { host: 'ws' });
}

/** Every file under a folder, as text. */
async function allText(folder: string): Promise<string> {
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    names.filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')),
  );
  return texts.join('\n');
}

describe('accounts survive a restart, with the secret in the keychain only', () => {
  it('saves an account, and a new process lists it and reaches its buckets; removal deletes the keychain entry', async () => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run through `npm test`: this needs the test keyring.');
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const dataDir = await tempFolder('s3fm-accounts-');
    const services = await servicesIn(dataDir);
    const saved = await call(services, 'accounts.save', { draft: minioDraft() });
    if (!saved.ok) throw new Error(saved.error.message);
    const account = saved.value as AccountSummary;
    expect(account).toMatchObject({ name: 'Test MinIO', hasSecret: true, origin: 'saved' });
    expect(JSON.stringify(account)).not.toContain(s3.secretAccessKey);
    await services.logger.flush();

    // A new process: the settings file and the keychain bring the account and its secret back.
    const [listed, bucketList] = await runServicesInChild({
      dataDir,
      keychainService,
      calls: [
        { channel: 'accounts.list', input: {} },
        { channel: 'buckets.list', input: { accountId: account.id } },
      ],
    });
    expect(listed).toMatchObject({ ok: true, value: [{ id: account.id, name: 'Test MinIO', hasSecret: true }] });
    expect(bucketList?.ok).toBe(true);
    expect((bucketList as Result<{ name: string }[]> & { ok: true }).value.map((b) => b.name)).toContain(bucket.name);

    // The secret is in the keychain, and in no file of the data folder (settings, logs).
    const entry = new AsyncEntry(keychainService, `account:${account.id}`, { linux: { store: 'secret-service' } });
    expect(await entry.getPassword()).toContain(s3.secretAccessKey);
    const files = await allText(dataDir);
    expect(files).toContain('Test MinIO');
    expect(files).toContain('account saved');
    expect(files).not.toContain(s3.secretAccessKey);

    const removed = await call(services, 'accounts.remove', { accountId: account.id });
    expect(removed).toEqual({ ok: true, value: { removed: true } });
    expect(await entry.getPassword()).toBeNull();
    const { stdout, stderr } = await run('secret-tool', ['search', '--all', 'service', keychainService]);
    expect(`${stdout}${stderr}`).not.toContain(account.id);
    expect(await call(services, 'accounts.list', {})).toEqual({ ok: true, value: [] });
  });

  it('says so when there is no keychain, and then keeps a secret for the session only', async () => {
    const dataDir = await tempFolder('s3fm-nokeychain-');
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/bus';
    const [status, refused, accepted, bucketList] = await runServicesInChild(
      {
        dataDir,
        keychainService,
        calls: [
          { channel: 'accounts.keychainStatus', input: {} },
          { channel: 'accounts.save', input: { draft: minioDraft() } },
          { channel: 'accounts.save', input: { draft: minioDraft({ secretStorage: 'session' }) } },
          { channel: 'accounts.list', input: {} },
        ],
      },
      env,
    );
    expect(status).toMatchObject({ ok: true, value: { available: false } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'keychain-unavailable' } });
    expect(accepted).toMatchObject({ ok: true, value: { secretStorage: 'session', hasSecret: true } });
    expect(bucketList).toMatchObject({ ok: true, value: [{ name: 'Test MinIO', hasSecret: true }] });
    expect(await allText(dataDir)).not.toContain(s3.secretAccessKey);
  });
});

describe('Test connection says what is wrong', () => {
  let services: Awaited<ReturnType<typeof servicesIn>>;
  let notS3: Server;
  beforeAll(async () => {
    services = await servicesIn(await tempFolder('s3fm-test-conn-'));
    notS3 = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>');
    });
    await new Promise<void>((resolve) => notS3.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => notS3.close(() => resolve())));

  const test = (draft: AccountDraft) => call(services, 'accounts.test', { draft });

  it('passes with the right keys, counting buckets', async () => {
    buckets.push(await freshBucket(s3));
    const result = await test(minioDraft());
    expect(result).toMatchObject({ ok: true, value: { method: 'ListBuckets' } });
    expect((result as { value: { bucketCount: number } }).value.bucketCount).toBeGreaterThanOrEqual(1);
  });

  it('names a wrong access key', async () => {
    const result = await test(minioDraft({ accessKeyId: 'NOSUCHACCESSKEY' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    expect(JSON.stringify(result)).toMatch(/access key ID/);
  });

  it('names a wrong secret, without echoing it', async () => {
    const result = await test(minioDraft({ secretAccessKey: 'a-wrong-secret-value-123' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    expect(JSON.stringify(result)).toMatch(/secret access key/);
    expect(JSON.stringify(result)).not.toContain('a-wrong-secret-value-123');
  });

  it('says an endpoint is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await test(minioDraft({ endpoint: `http://127.0.0.1:${port}` }))).toMatchObject({
      ok: false,
      error: { code: 'network' },
    });
  });

  it('says a port that answers is not S3', async () => {
    const port = (notS3.address() as AddressInfo).port;
    const result = await test(minioDraft({ endpoint: `http://127.0.0.1:${port}` }));
    expect(result).toMatchObject({ ok: false, error: { code: 'not-s3' } });
  });

  it('detects an empty region: a service that refuses us-east-1 naming its own is tested again in that one', async () => {
    // MinIO takes a signature for any region; the proxy answers a request signed for us-east-1
    // as AWS does for a bucket in another region.
    const proxy = await startFaultProxy({ target: s3.endpoint });
    proxy.addFault({
      match: { predicate: (request) => String(request.headers.authorization ?? '').includes('/us-east-1/s3/') },
      fault: {
        kind: 'status',
        status: 400,
        code: 'AuthorizationHeaderMalformed',
        message: "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
      },
    });
    try {
      expect(await test(minioDraft({ endpoint: proxy.url, region: '' }))).toMatchObject({
        ok: true,
        value: { method: 'ListBuckets', detectedRegion: 'eu-west-1' },
      });
      // A region the person set is theirs: the test says it is wrong, and which one the service wants.
      const set = await test(minioDraft({ endpoint: proxy.url, region: 'us-east-1' }));
      expect(set).toMatchObject({ ok: false, error: { code: 'wrong-region' } });
      expect(JSON.stringify(set)).toContain('expects the region eu-west-1');
      // Where us-east-1 is taken, nothing is detected.
      const plain = await test(minioDraft({ region: '' }));
      expect(plain.ok && (plain.value as { detectedRegion?: string }).detectedRegion).toBeUndefined();
    } finally {
      await proxy.stop();
    }
  });
});

describe('self-signed TLS', () => {
  let tlsMinio: RunningS3;
  let certPem: string;
  let certFile: string;
  beforeAll(async () => {
    const made = await makeSelfSignedCertificate(await tempFolder('s3fm-tls-'), {
      name: 'public',
      commonName: 's3fm-test-minio',
      subjectAltName: 'IP:127.0.0.1',
    });
    certFile = made.certFile;
    certPem = made.pem;
    const keyFile = made.keyFile;
    tlsMinio = await startMinio({ tls: { certFile, keyFile } });
  }, 120_000);
  afterAll(async () => tlsMinio?.stop());

  const tlsDraft = (overrides: Partial<AccountDraft> = {}) =>
    minioDraft({
      endpoint: tlsMinio.endpoint,
      accessKeyId: tlsMinio.accessKeyId,
      secretAccessKey: tlsMinio.secretAccessKey,
      ...overrides,
    });

  it('refuses the untrusted certificate, then works once it is trusted or its CA file is given', async () => {
    const services = await servicesIn(await tempFolder('s3fm-tls-services-'));
    expect(tlsMinio.endpoint).toMatch(/^https:/);
    const refused = await call(services, 'accounts.test', { draft: tlsDraft() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'certificate-untrusted' } });
    expect(JSON.stringify(refused)).toMatch(/self-signed/);

    const inspected = await call(services, 'accounts.inspectCertificate', { endpoint: tlsMinio.endpoint });
    expect(inspected).toMatchObject({
      ok: true,
      value: { selfSigned: true, subject: 'CN=s3fm-test-minio', problem: expect.stringMatching(/self-signed/) },
    });
    const pem = (inspected as { value: { pem: string } }).value.pem;
    expect(pem.replace(/\s/g, '')).toBe(certPem.replace(/\s/g, ''));

    expect(await call(services, 'accounts.test', { draft: tlsDraft({ trustedCertificatePem: pem }) })).toMatchObject({
      ok: true,
      value: { method: 'ListBuckets' },
    });
    expect(await call(services, 'accounts.test', { draft: tlsDraft({ caCertFile: certFile }) })).toMatchObject({
      ok: true,
    });
  });

  it('a launch account (S3FM_*) trusts the CA file S3FM_CA_CERT_FILE names, and only then', async () => {
    const refused = await servicesForLaunchAccount(tlsMinio).call('buckets.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'certificate-untrusted' } });
    const bucket = `ca-file-${randomBytes(3).toString('hex')}`;
    const trusting = servicesForLaunchAccount(tlsMinio, { caCertFile: certFile });
    expect(await trusting.call('buckets.create', { name: bucket })).toMatchObject({ ok: true });
    const listed = await trusting.call('buckets.list', {});
    expect(listed).toMatchObject({ ok: true });
    expect(JSON.stringify(listed)).toContain(bucket);
  });
});

describe('AWS profiles', () => {
  it('lists the profiles of ~/.aws and connects with one that has an endpoint_url', async () => {
    const home = await tempFolder('s3fm-home-');
    const awsPaths = { credentialsFile: join(home, '.aws-credentials'), configFile: join(home, '.aws-config') };
    await writeFile(
      awsPaths.credentialsFile,
      `[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = nope\n\n` +
        `[minio]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${s3.secretAccessKey}\n`,
    );
    await writeFile(
      awsPaths.configFile,
      `[profile minio]\nregion = us-east-1\nendpoint_url = ${s3.endpoint}\n\n` +
        `[profile work]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-west-1\n\n` +
        `[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n`,
    );
    const services = await servicesIn(await tempFolder('s3fm-profiles-'), awsPaths);
    const profiles = await call(services, 'accounts.profiles', {});
    expect(profiles).toEqual({
      ok: true,
      value: [
        { name: 'default', kind: 'static', region: null, endpoint: null },
        { name: 'minio', kind: 'static', region: 'us-east-1', endpoint: s3.endpoint },
        { name: 'work', kind: 'sso', region: 'eu-west-1', endpoint: null },
      ],
    });
    expect(JSON.stringify(profiles)).not.toContain(s3.secretAccessKey);

    const draft = minioDraft({ credentialSource: 'profile', profile: 'minio', accessKeyId: '', secretAccessKey: '' });
    expect(await call(services, 'accounts.test', { draft })).toMatchObject({
      ok: true,
      value: { method: 'ListBuckets' },
    });
    const saved = await call(services, 'accounts.save', { draft });
    if (!saved.ok) throw new Error(saved.error.message);
    const bucketList = await call(services, 'buckets.list', { accountId: (saved.value as AccountSummary).id });
    expect(bucketList.ok).toBe(true);

    // An SSO profile whose token was never fetched: tell the person to log in.
    const sso = await call(services, 'accounts.test', { draft: { ...draft, profile: 'work' } });
    expect(sso).toMatchObject({ ok: false, error: { code: 'credentials-expired' } });
    expect(JSON.stringify(sso)).toContain('aws sso login');
  });
});

describe('bad input is refused with a clear error, and nothing is stored', () => {
  it('refuses empty fields, a bad endpoint, a region with spaces and a duplicate name', async () => {
    const dataDir = await tempFolder('s3fm-bad-input-');
    const services = await servicesIn(dataDir);
    const cases: [Partial<AccountDraft>, string][] = [
      [{ name: '' }, 'name'],
      [{ accessKeyId: '' }, 'accessKeyId'],
      [{ secretAccessKey: '' }, 'secretAccessKey'],
      [{ endpoint: 'localhost:9000' }, 'endpoint'],
      [{ endpoint: 'not a url' }, 'endpoint'],
      [{ endpoint: '' }, 'endpoint'],
      [{ region: 'us east 1' }, 'region'],
    ];
    for (const [overrides, field] of cases) {
      const result = await call(services, 'accounts.save', { draft: minioDraft(overrides) });
      expect(result, field).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect((result as { error: { message: string } }).error.message, field).toContain(field);
    }
    await expect(readFile(join(dataDir, 'settings.json'))).rejects.toThrow();

    const first = await call(services, 'accounts.save', { draft: minioDraft({ secretStorage: 'session' }) });
    expect(first.ok).toBe(true);
    const before = await readFile(join(dataDir, 'settings.json'), 'utf8');
    const duplicate = await call(services, 'accounts.save', {
      draft: minioDraft({ name: ' test minio ', secretStorage: 'session' }),
    });
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).toBe(before);
  });
});
