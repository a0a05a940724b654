/**
 * The last stage of `npm test`: looks for every secret the run used (as the tests and test
 * servers noted them, scripts/test-secrets.ts) in everything the run left behind, in each
 * form the log's redaction also masks (raw, JSON-escaped, URL-encoded, base64 at any
 * alignment; src/main/services/logging/secret-forms.ts), inside zip archives too
 * (Playwright's traces, less what the test itself typed into a form: scripts/trace-typed-input.ts).
 * Prints what it covered and fails the run on any finding, naming the file and the secret's
 * label, never the secret.
 *
 * Covered: test-results/ (Vitest's and Playwright's reports, traces, screenshots, the
 * compatibility results) and what tests left in the temporary folder during this session
 * (folders named s3fm-*: data folders, logs, journals, links files, spools not removed).
 * Not covered: data folders a test removed when it ended (the tests that make secrets check
 * their own folders before that), and secrets no test noted (a key made in the UI).
 *
 * node --import tsx scripts/secrets-scan.ts [folder…]
 */
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { secretForms } from '../src/main/services/logging/secret-forms';
import { readTestSecrets, testSecretsDir, type TestSecret } from './test-secrets';
import { withoutTypedInput, type ZipEntry } from './trace-typed-input';

/** Secrets shorter than this are not looked for: they would be found in ordinary text by chance. */
export const MIN_SCANNED_SECRET_LENGTH = 8;

/** Files larger than this are not read (and are listed as such). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Temporary folders of the test servers themselves, which hold their own credentials by
 * design (SeaweedFS's identities file, MinIO's configuration), and of the test session
 * (the test keyring lives there).
 */
const serverFolderPrefixes = ['s3fm-moto-', 's3fm-seaweedfs-', 's3fm-s3rver-', 's3fm-test-session.', 'minio-test-'];

/** A secret found where it should not be. */
export interface ScanFinding {
  file: string;
  /** The secret's label (what it is), never its value. */
  label: string;
  /** raw, JSON-escaped, URL-encoded or base64. */
  form: string;
}

/** What a scan looked at and what it found. */
export interface ScanReport {
  secrets: number;
  /** Labels of secrets too short to look for. */
  skipped: string[];
  files: number;
  bytes: number;
  archives: number;
  /** Files that could not be read, or were too large. */
  unread: string[];
  findings: ScanFinding[];
}

/** How a form of a secret is named in a finding (secretForms makes raw, JSON, URL and base64 forms). */
function formName(form: string, secret: string): string {
  if (form === secret) return 'raw';
  if (form.includes('%')) return 'URL-encoded';
  if (form.includes('\\')) return 'JSON-escaped';
  return 'base64';
}

/** The entries of a zip archive (stored or deflated), by name; what cannot be read is skipped. */
export function zipEntries(archive: Buffer): ZipEntry[] {
  const entries: ZipEntry[] = [];
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > archive.length) return entries;
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  for (let index = 0; index < count && offset + 46 <= archive.length; index++) {
    if (archive.readUInt32LE(offset) !== 0x02014b50) break;
    const method = archive.readUInt16LE(offset + 10);
    const compressed = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const local = archive.readUInt32LE(offset + 42);
    const name = archive.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    offset += 46 + nameLength + extraLength + commentLength;
    if (local + 30 > archive.length || archive.readUInt32LE(local) !== 0x04034b50) continue;
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(start, start + compressed);
    try {
      if (method === 0) entries.push({ name, data: raw });
      else if (method === 8) entries.push({ name, data: inflateRawSync(raw) });
    } catch {
      // A damaged entry: the rest of the archive is still read.
    }
  }
  return entries;
}

/** Every regular file under a folder (symbolic links are not followed), or the path itself if it is a file. */
async function filesUnder(root: string, exclude: ReadonlySet<string>): Promise<string[]> {
  const resolved = path.resolve(root);
  if (exclude.has(resolved)) return [];
  const info = await lstat(resolved).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [resolved];
  if (!info.isDirectory()) return [];
  const names = await readdir(resolved).catch(() => [] as string[]);
  const nested = await Promise.all(names.map((name) => filesUnder(path.join(resolved, name), exclude)));
  return nested.flat();
}

/** Looks for every form of every secret in the files under `roots` (and inside zip archives there). */
export async function scanForSecrets(
  roots: readonly string[],
  secrets: readonly TestSecret[],
  options: { exclude?: readonly string[] } = {},
): Promise<ScanReport> {
  const usable = secrets.filter((s) => s.secret.length >= MIN_SCANNED_SECRET_LENGTH);
  const needles = usable.flatMap(({ label, secret }) =>
    secretForms(secret).map((form) => ({ label, form: formName(form, secret), bytes: Buffer.from(form, 'utf8') })),
  );
  const report: ScanReport = {
    secrets: usable.length,
    skipped: secrets.filter((s) => s.secret.length < MIN_SCANNED_SECRET_LENGTH).map((s) => s.label),
    files: 0,
    bytes: 0,
    archives: 0,
    unread: [],
    findings: [],
  };
  const search = (content: Buffer, where: string) => {
    const seen = new Set<string>();
    for (const needle of needles) {
      const key = `${needle.label}\u0000${needle.form}`;
      if (!seen.has(key) && content.includes(needle.bytes)) {
        seen.add(key);
        report.findings.push({ file: where, label: needle.label, form: needle.form });
      }
    }
  };
  const exclude = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const files = (await Promise.all(roots.map((root) => filesUnder(root, exclude)))).flat();
  for (const file of [...new Set(files)].sort()) {
    const size = (await stat(file).catch(() => undefined))?.size;
    if (size === undefined || size > MAX_FILE_BYTES) {
      report.unread.push(file);
      continue;
    }
    const content = await readFile(file).catch(() => undefined);
    if (!content) {
      report.unread.push(file);
      continue;
    }
    report.files += 1;
    report.bytes += content.length;
    search(content, file);
    if (content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
      report.archives += 1;
      for (const entry of withoutTypedInput(zipEntries(content))) search(entry.data, `${file}!${entry.name}`);
    }
  }
  return report;
}

/** The temporary folders tests made during this session (named s3fm-*), without the test servers' own. */
export async function sessionTemporaryFolders(sinceMs: number, folder = os.tmpdir()): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const chosen: string[] = [];
  for (const name of names) {
    if (!name.startsWith('s3fm-') || serverFolderPrefixes.some((prefix) => name.startsWith(prefix))) continue;
    const info = await lstat(path.join(folder, name)).catch(() => undefined);
    if (info && info.mtimeMs >= sinceMs) chosen.push(path.join(folder, name));
  }
  return chosen;
}

/** Runs the scan of a test session and prints its report; resolves to the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const secretsFolder = testSecretsDir() ?? path.join(repo, 'test-results', 'secrets');
  const secrets = readTestSecrets(secretsFolder);
  const since = Number(process.env.S3FM_TEST_SESSION_START ?? '');
  const roots =
    argv.length > 0
      ? [...argv]
      : [path.join(repo, 'test-results'), ...(Number.isFinite(since) ? await sessionTemporaryFolders(since) : [])];
  const report = await scanForSecrets(roots, secrets, { exclude: [secretsFolder] });

  const labels = [...new Set(secrets.map((s) => s.label))].join(', ');
  console.log(
    `secrets scan: ${report.secrets} secret(s) the tests noted (${labels || 'none'}), in raw, JSON-escaped, ` +
      `URL-encoded and base64 forms`,
  );
  console.log(
    `  ${report.files} file(s), ${(report.bytes / 1024 / 1024).toFixed(1)} MB, ${report.archives} zip archive(s) ` +
      `opened, under: ${roots.map((root) => path.relative(repo, root) || root).join(', ')}`,
  );
  if (report.skipped.length > 0)
    console.log(`  not looked for (under ${MIN_SCANNED_SECRET_LENGTH} characters): ${report.skipped.join(', ')}`);
  if (report.unread.length > 0) console.log(`  not read: ${report.unread.join(', ')}`);
  console.log('  not covered: data folders removed by the tests that made them; secrets no test noted');
  if (report.secrets === 0) {
    console.log(`secrets scan: FAILED, no secrets were noted in ${secretsFolder}, so nothing was checked`);
    return 1;
  }
  if (report.findings.length > 0) {
    for (const finding of report.findings)
      console.log(`  FOUND ${finding.label} (${finding.form}) in ${path.relative(repo, finding.file)}`);
    console.log(`secrets scan: FAILED, ${report.findings.length} finding(s)`);
    return 1;
  }
  console.log('secrets scan: no secret found');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
