import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanForSecrets, sessionTemporaryFolders, zipEntries } from './secrets-scan';
import { readTestSecrets, registerTestSecrets } from './test-secrets';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'secrets-scan-test-'));
});
afterEach(async () => rm(folder, { recursive: true, force: true }));

/** A zip archive of deflated entries, as Playwright writes its traces. */
function zipOf(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = deflateRawSync(Buffer.from(text));
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(text.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(text.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('secrets scan', () => {
  it('finds a secret raw, JSON-escaped, URL-encoded, base64 at any alignment, and inside a zip', async () => {
    const secret = `pass"word/${randomBytes(12).toString('base64')}`;
    const secrets = [
      { label: 'root password', secret },
      { label: 'short', secret: 'S3RVER' },
    ];
    await mkdir(join(folder, 'data', 'logs'), { recursive: true });
    await writeFile(join(folder, 'data', 'logs', 'main.log'), `{"note":${JSON.stringify(`key ${secret}`)}}\n`);
    await writeFile(join(folder, 'data', 'links.json'), `{"url":"https://x/?t=${encodeURIComponent(secret)}"}`);
    await writeFile(join(folder, 'data', 'raw.txt'), `before ${secret} after`);
    await writeFile(join(folder, 'header.txt'), `Basic ${Buffer.from(`u:${secret}`).toString('base64')}`);
    await writeFile(join(folder, 'clean.json'), '{"nothing":"to see", "S3RVER": true}');
    await writeFile(join(folder, 'trace.zip'), zipOf({ 'network.json': `{"body":"${encodeURIComponent(secret)}"}` }));

    const report = await scanForSecrets([folder], secrets);
    const found = report.findings.map((f) => `${f.file.slice(folder.length + 1)} ${f.form}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'data/logs/main.log JSON-escaped',
        'data/links.json URL-encoded',
        'data/raw.txt raw',
        'header.txt base64',
        'trace.zip!network.json URL-encoded',
      ]),
    );
    expect(found.filter((f) => f.startsWith('clean.json'))).toEqual([]);
    expect(report).toMatchObject({ secrets: 1, skipped: ['short'], files: 6, archives: 1 });
    // A finding names the secret's label, never the secret.
    expect(JSON.stringify(report.findings)).not.toContain(secret);
  });

  it('finds nothing in a clean tree, and leaves excluded folders alone', async () => {
    const secret = randomBytes(18).toString('base64url');
    await mkdir(join(folder, 'secrets'));
    await writeFile(join(folder, 'secrets', 'list.jsonl'), JSON.stringify({ label: 'x', secret }));
    await writeFile(join(folder, 'report.json'), '{"passed":3}');
    const report = await scanForSecrets([folder], [{ label: 'x', secret }], { exclude: [join(folder, 'secrets')] });
    expect(report).toMatchObject({ findings: [], files: 1 });
  });

  it('reads the secrets that tests noted, each once, and notes none outside npm test', async () => {
    const saved = process.env.S3FM_TEST_SECRETS_DIR;
    try {
      delete process.env.S3FM_TEST_SECRETS_DIR;
      registerTestSecrets('ignored', 'not written anywhere');
      process.env.S3FM_TEST_SECRETS_DIR = join(folder, 'noted');
      registerTestSecrets('minio root password', 'first-secret-value', 'second-secret-value');
      registerTestSecrets('again', 'first-secret-value', '');
      await writeFile(join(folder, 'noted', 'cut.jsonl'), '{"label":"cut","sec');
      expect(readTestSecrets(join(folder, 'noted'))).toEqual([
        { label: 'minio root password', secret: 'first-secret-value' },
        { label: 'minio root password', secret: 'second-secret-value' },
      ]);
    } finally {
      if (saved === undefined) delete process.env.S3FM_TEST_SECRETS_DIR;
      else process.env.S3FM_TEST_SECRETS_DIR = saved;
    }
  });

  it("picks this session's s3fm-* temporary folders, not the test servers' own or older ones", async () => {
    for (const name of ['s3fm-e2e-a', 's3fm-seaweedfs-b', 's3fm-test-session.c', 'other-d', 's3fm-old-e'])
      await mkdir(join(folder, name));
    await utimes(join(folder, 's3fm-old-e'), new Date(0), new Date(0));
    expect(await sessionTemporaryFolders(Date.now() - 60_000, folder)).toEqual([join(folder, 's3fm-e2e-a')]);
  });

  it('reads zip entries that are stored or deflated', () => {
    expect(zipEntries(zipOf({ 'a.txt': 'alpha', 'b/c.txt': 'gamma' })).map((e) => [e.name, String(e.data)])).toEqual([
      ['a.txt', 'alpha'],
      ['b/c.txt', 'gamma'],
    ]);
    expect(zipEntries(Buffer.from('not a zip'))).toEqual([]);
  });
});
