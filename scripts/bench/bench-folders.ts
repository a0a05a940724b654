/**
 * The folders the transfers phase moves up and down: one of small files (4–64 KiB each), and
 * one of mixed sizes (mostly small, some of 1–20 MiB, a few of 64 MiB), as a person's project
 * or photo folder is. Their sizes and places come from a fixed seed, so every run moves the
 * same amount; their bytes are random (nothing compresses them), written once per run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../../test/seeded-random';
import { fileDigest } from '../../test/transfer-files';

const KiB = 1024;
const MiB = 1024 * KiB;

/** How many files of each kind a folder holds. */
export interface FolderSpec {
  /** Files of 4–64 KiB. */
  small: number;
  /** Files of 1–20 MiB. */
  medium: number;
  /** Files of 64 MiB. */
  large: number;
}

/** The kinds of file, with their size ranges (bytes, inclusive) and the extension they get. */
const KINDS = {
  small: { min: 4 * KiB, max: 64 * KiB, ext: 'txt' },
  medium: { min: 1 * MiB, max: 20 * MiB, ext: 'jpg' },
  large: { min: 64 * MiB, max: 64 * MiB, ext: 'mov' },
} as const;

/** A folder of `count` small files (4–64 KiB). */
export function smallFolderSpec(count: number): FolderSpec {
  return { small: count, medium: 0, large: 0 };
}

/**
 * A folder of `count` files of mixed sizes: 0.1% of 64 MiB (at least one), 1.9% of 1–20 MiB,
 * the rest of 4–64 KiB. For 5,000 files: 5 of 64 MiB, 95 of 1–20 MiB and 4,900 small ones,
 * about 1.5 GiB in all.
 */
export function mixedFolderSpec(count: number): FolderSpec {
  const large = Math.min(count, Math.max(1, Math.round(count * 0.001)));
  const medium = Math.min(count - large, Math.round(count * 0.019));
  return { small: count - large - medium, medium, large };
}

/** One file of a planned folder. */
export interface PlannedFile {
  /** Its path below the folder, with '/' between segments. */
  relative: string;
  size: number;
}

/** The files of a folder: sizes from a fixed seed, kinds spread through nested folders (10 files a folder, two deep). */
export function planFolder(spec: FolderSpec, seed = 12): PlannedFile[] {
  const random = seededRandom(seed);
  const kinds: Array<keyof typeof KINDS> = [
    ...Array<'small'>(spec.small).fill('small'),
    ...Array<'medium'>(spec.medium).fill('medium'),
    ...Array<'large'>(spec.large).fill('large'),
  ];
  // A seeded shuffle (Fisher–Yates), so the big files are not all in the last folder.
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j] ?? 'small', kinds[i] ?? 'small'];
  }
  return kinds.map((kind, i) => {
    const { min, max, ext } = KINDS[kind];
    return {
      relative: `d${String(Math.floor(i / 100)).padStart(2, '0')}/s${Math.floor(i / 10) % 10}/file-${i % 10}.${ext}`,
      size: random.int(min, max),
    };
  });
}

/** The total size of a planned folder, in bytes. */
export function folderBytes(files: readonly PlannedFile[]): number {
  return files.reduce((sum, file) => sum + file.size, 0);
}

/** "5,000 files: 4,900 of 4–64 KiB, 95 of 1–20 MiB, 5 of 64 MiB (1.43 GiB)", for the report. */
export function describeFolder(spec: FolderSpec, files: readonly PlannedFile[]): string {
  const parts = [
    spec.small > 0 ? `${spec.small.toLocaleString('en-US')} of 4–64 KiB` : '',
    spec.medium > 0 ? `${spec.medium.toLocaleString('en-US')} of 1–20 MiB` : '',
    spec.large > 0 ? `${spec.large.toLocaleString('en-US')} of 64 MiB` : '',
  ].filter(Boolean);
  const bytes = folderBytes(files);
  const size = bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(2)} GiB` : `${(bytes / MiB).toFixed(0)} MiB`;
  const count = files.length.toLocaleString('en-US');
  if (spec.medium === 0 && spec.large === 0) return `${count} files of 4–64 KiB (${size})`;
  return `${count} files: ${parts.join(', ')} (${size})`;
}

/** What a folder holds: relative path → size and MD5 (hex). */
export type FolderContents = Map<string, { size: number; md5: string }>;

/** Writes a planned folder of random bytes (8 MiB at a time for big files); returns each file's size and MD5. */
export async function writeFolder(folder: string, files: readonly PlannedFile[]): Promise<FolderContents> {
  const contents: FolderContents = new Map();
  for (const file of files) {
    const target = path.join(folder, ...file.relative.split('/'));
    const hash = createHash('md5');
    if (file.size <= MiB) {
      const bytes = randomBytes(file.size);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, bytes);
      hash.update(bytes);
    } else {
      await mkdir(path.dirname(target), { recursive: true });
      const handle = await open(target, 'w');
      try {
        for (let written = 0; written < file.size;) {
          const piece = randomBytes(Math.min(8 * MiB, file.size - written));
          hash.update(piece);
          await handle.write(piece);
          written += piece.length;
        }
      } finally {
        await handle.close();
      }
    }
    contents.set(file.relative, { size: file.size, md5: hash.digest('hex') });
  }
  return contents;
}

/** Every file below a folder, as relative paths with '/'. */
async function filesBelow(folder: string, relative = ''): Promise<string[]> {
  const entries = await readdir(path.join(folder, relative), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await filesBelow(folder, child)));
    else found.push(child);
  }
  return found;
}

/**
 * Checks a downloaded folder against what was uploaded: exactly the same files (no more, no
 * fewer), each of the same size and MD5. A description of what is wrong, or null.
 */
export async function checkLocalFolder(folder: string, expected: FolderContents): Promise<string | null> {
  const found = await filesBelow(folder).catch(() => null);
  if (found === null) return `the downloaded folder ${path.basename(folder)} is missing`;
  const extra = found.filter((relative) => !expected.has(relative));
  const missing = [...expected.keys()].filter((relative) => !found.includes(relative));
  if (extra.length > 0 || missing.length > 0) {
    return (
      `${found.length} files downloaded, not ${expected.size}` +
      (missing.length > 0 ? `; missing ${missing.length} (${missing[0]}…)` : '') +
      (extra.length > 0 ? `; unexpected ${extra.length} (${extra[0]}…)` : '')
    );
  }
  let wrong = 0;
  let firstWrong = '';
  for (const [relative, { size, md5 }] of expected) {
    const file = path.join(folder, ...relative.split('/'));
    const ok = (await stat(file)).size === size && (await fileDigest(file, 'md5')) === md5;
    if (!ok) {
      wrong += 1;
      firstWrong ||= relative;
    }
  }
  return wrong === 0 ? null : `${wrong} downloaded files differ from the originals (size or MD5; first ${firstWrong})`;
}
